package workflows

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/cases"
)

// TestFoldEqualsQueryForEveryRecordedHistory replays every recorded history
// and checks that the events the case shipped to case_events (every sync's
// batch, seen on replay even where the sync is a local activity), folded by
// cases.State.Apply as the store folds them, are exactly the state its Query
// returns at the end, with nothing left unshipped. For histories recorded
// between events-not-rows 1 and 3, and from 6, it also folds the SyncCase
// inputs as they sit in the history (what committed workflow tasks sent to
// case_events) and requires the same state.
func TestFoldEqualsQueryForEveryRecordedHistory(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	t.Cleanup(func() { caseEnded, batchTaken = nil, nil })
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var ended *caseRun
			var shippedEvents []cases.Event
			caseEnded = func(r *caseRun) { ended = r }
			batchTaken = func(_ string, events []cases.Event) { shippedEvents = append(shippedEvents, events...) }
			rep := worker.NewWorkflowReplayer()
			rep.RegisterWorkflow(CaseWorkflow)
			require.NoError(t, rep.ReplayWorkflowHistoryFromJSONFile(nil, f))
			require.NotNil(t, ended, "the case ran to its end")

			h := &harness{t: t}
			q := ended.snapshot()
			require.NotNil(t, q.Case)
			require.Empty(t, ended.pending, "every recorded event was shipped")
			require.Equal(t, ended.view.Seq, q.EventCount, "every recorded event folded")
			rebuilt, err := cases.Fold(shippedEvents)
			require.NoError(t, err)
			require.JSONEq(t, jsonOf(h, stateOf(rebuilt)), jsonOf(h, queryParts(q)), "case_events fold to the Query's state")

			batches := syncBatches(t, f)
			switch {
			case strings.HasPrefix(filepath.Base(f), "events_not_rows_v6"):
				// From v6 only a committed workflow task writes the index.
				require.NotEmpty(t, batches, "v6 syncs through SyncCase activities, in history")
			case strings.HasPrefix(filepath.Base(f), "events_not_rows_v7"):
				requireSyncActivitiesExactlyInUpdateTasks(t, f)
				return // the activities carry only the update tasks' batches
			}
			if len(batches) == 0 || batches[0].Case.ID != "" {
				return // a local-activity sync (v4, v5), or rows (before events-not-rows)
			}
			var events []cases.Event
			for _, b := range batches {
				events = append(events, b.Events...)
			}
			shipped, err := cases.Fold(events)
			require.NoError(t, err)
			// The replayer runs the case under its own workflow id.
			replayed := strings.ReplaceAll(jsonOf(h, ended.view), `"ReplayId"`, `"`+cases.WorkflowIDFor(shipped.Case.ID)+`"`)
			require.JSONEq(t, replayed, jsonOf(h, shipped), "case_events as shipped fold to the same state")
		})
	}
}

// syncBatches decodes the SyncCase inputs of a recorded history.
func syncBatches(t *testing.T, path string) []cases.SyncBatch {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var hist historypb.History
	require.NoError(t, temporalproto.CustomJSONUnmarshalOptions{DiscardUnknown: true}.Unmarshal(raw, &hist))
	var out []cases.SyncBatch
	for _, e := range hist.Events {
		if e.EventType != enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED {
			continue
		}
		a := e.GetActivityTaskScheduledEventAttributes()
		if a.ActivityType.GetName() != "SyncCase" {
			continue
		}
		var b cases.SyncBatch
		require.NoError(t, json.Unmarshal(a.Input.Payloads[0].Data, &b))
		out = append(out, b)
	}
	return out
}

// requireSyncActivitiesExactlyInUpdateTasks checks events-not-rows version 7
// in a recorded history: a workflow task that accepted an update writes the
// index through a SyncCase activity (only a committed task schedules one),
// every other task through the fenced local activity.
func requireSyncActivitiesExactlyInUpdateTasks(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var hist historypb.History
	require.NoError(t, temporalproto.CustomJSONUnmarshalOptions{DiscardUnknown: true}.Unmarshal(raw, &hist))
	type task struct{ update, activity, local bool }
	var tasks []task
	for _, e := range hist.Events {
		switch e.EventType {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			tasks = append(tasks, task{})
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			tasks[len(tasks)-1].update = true
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			if e.GetActivityTaskScheduledEventAttributes().ActivityType.GetName() == "SyncCase" {
				tasks[len(tasks)-1].activity = true
			}
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			var marker struct{ ActivityType string }
			if p := e.GetMarkerRecordedEventAttributes().GetDetails()["data"].GetPayloads(); len(p) > 0 &&
				json.Unmarshal(p[0].Data, &marker) == nil && marker.ActivityType == "SyncCase" {
				tasks[len(tasks)-1].local = true
			}
		}
	}
	var activities, locals int
	for i, tk := range tasks {
		require.False(t, tk.activity && !tk.update, "workflow task %d: a SyncCase activity without an update", i)
		require.False(t, tk.local && tk.update, "workflow task %d: an update's events written from inside its task", i)
		if tk.activity {
			activities++
		}
		if tk.local {
			locals++
		}
	}
	require.Positive(t, activities, "the recorded case ran updates")
	require.Positive(t, locals, "the playbook's syncs are local")
}
