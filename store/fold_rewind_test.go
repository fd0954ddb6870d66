package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func fence(length int64, at time.Duration) *cases.Fence {
	return &cases.Fence{HistoryLength: length, TaskTime: day0.Add(at)}
}

func appendFenced(t *testing.T, s *store.Store, f *cases.Fence, events ...cases.Event) store.Appended {
	t.Helper()
	out, err := s.AppendEvents(context.Background(), cases.SyncBatch{Events: events, Fence: f})
	require.NoError(t, err)
	return out
}

// The drill's case (docs/drills.md, R1): a workflow task completed the
// contact task, wrote that to the index from inside the task, and its worker
// died before the task completed. The retried task never saw the update and
// recorded a reminder instead, with the same sequence number. The index must
// end up as if the lost task had never run: the reminder, the task still
// claimed, no trace of its completion.
func TestALaterTaskReplacesEventsWrittenFromATaskThatNeverCompleted(t *testing.T) {
	ctx := context.Background()
	events := caseScript("r-1")
	id := events[0].CaseID
	committed, reminder := events[:7], events[7] // reminder: seq 8
	completed := cases.NewEvent(id, 8, cases.EventTaskCompleted, cases.Actor{ID: "ana", Role: cases.RoleAgent},
		day0.Add(3*time.Minute), cases.TaskChangedData{TaskID: id + "-contact_buyer-1"})
	note := cases.NewEvent(id, 9, cases.EventNoteAdded, cases.Actor{ID: "ana", Role: cases.RoleAgent},
		day0.Add(3*time.Minute), map[string]any{"text": "done"})

	s := storetest.New(t)
	appendFenced(t, s, fence(3, 0), committed[:5]...)
	appendFenced(t, s, fence(9, time.Minute), committed[5:]...)
	lost := appendFenced(t, s, fence(15, 3*time.Minute), completed, note)
	assert.Zero(t, lost.RewoundFrom, "nothing to replace yet")
	task, err := s.GetTask(ctx, id+"-contact_buyer-1")
	require.NoError(t, err)
	require.Equal(t, cases.TaskCompleted, task.Status, "the lost task's write reached the index")

	// The retried task: same history length is not required, a later start is.
	got := appendFenced(t, s, fence(18, 4*time.Minute), reminder)
	assert.Equal(t, store.Appended{RewoundFrom: 8, Removed: 2}, got)

	clean := storetest.New(t)
	appendEvents(t, clean, append(append([]cases.Event{}, committed...), reminder))
	assert.Equal(t, snapshot(t, clean, id), snapshot(t, s, id), "the index is what the committed events fold to")
	task, err = s.GetTask(ctx, id+"-contact_buyer-1")
	require.NoError(t, err)
	assert.Equal(t, cases.TaskClaimed, task.Status)
	assert.Equal(t, cases.PriorityHigh, task.Priority, "the reminder raised it")

	// The dead task's worker may still be running: its late write is dropped.
	zombie := appendFenced(t, s, fence(15, 3*time.Minute), note)
	assert.Equal(t, store.Appended{Dropped: true}, zombie)
	assert.Equal(t, snapshot(t, clean, id), snapshot(t, s, id))
}

func TestAFencedBatchRetriedOrRepeatedChangesNothing(t *testing.T) {
	s := storetest.New(t)
	events := caseScript("r-1")
	id := events[0].CaseID
	appendFenced(t, s, fence(3, 0), events[:5]...)
	appendFenced(t, s, fence(9, time.Minute), events[5:]...)
	before := snapshot(t, s, id)
	// The local activity retried in the same task, and a later task that
	// recorded the same events (a task retried on the same history).
	assert.Equal(t, store.Appended{}, appendFenced(t, s, fence(9, time.Minute), events[5:]...))
	assert.Equal(t, store.Appended{}, appendFenced(t, s, fence(12, 2*time.Minute), events[5:]...))
	assert.Equal(t, before, snapshot(t, s, id))
}

func TestALaterTaskThatStopsShortRemovesTheEventsPastIt(t *testing.T) {
	s := storetest.New(t)
	events := caseScript("r-1")
	id := events[0].CaseID
	appendFenced(t, s, fence(3, 0), events[:5]...)
	appendFenced(t, s, fence(9, time.Minute), events[5:]...) // 6, 7, 8 from a task that died
	// Its retry recorded 6 and 7 alike and then rested: 8 is in no history.
	got := appendFenced(t, s, fence(12, 2*time.Minute), events[5:7]...)
	assert.Equal(t, store.Appended{RewoundFrom: 8, Removed: 1}, got)

	clean := storetest.New(t)
	appendEvents(t, clean, events[:7])
	assert.Equal(t, snapshot(t, clean, id), snapshot(t, s, id))
}

// Two index writes of one workflow task carry the same fence, to the
// nanosecond; PostgreSQL keeps microseconds. The second must not look older.
func TestTwoBatchesOfOneTaskAreBothWritten(t *testing.T) {
	s := storetest.New(t)
	events := caseScript("r-1")
	f := &cases.Fence{HistoryLength: 9, TaskTime: day0.Add(time.Minute + 999*time.Nanosecond)}
	appendFenced(t, s, f, events[:5]...)
	assert.Equal(t, store.Appended{}, appendFenced(t, s, f, events[5:]...))

	clean := storetest.New(t)
	appendEvents(t, clean, events)
	assert.Equal(t, snapshot(t, clean, events[0].CaseID), snapshot(t, s, events[0].CaseID))
}
