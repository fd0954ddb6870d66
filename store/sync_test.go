package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// fullBatch is a case at version v with two events, a task, an incident and
// a deadline whose fields all depend on v, so an overwrite is visible.
func fullBatch(v int64) cases.SyncBatch {
	c := newCase("r-1", day0)
	c.Version = v
	c.Stage = cases.StageAwaitingReply
	c.Assignee = fmt.Sprintf("agent-%d", v)
	c.NextDeadline = cases.DeadlineSolution
	c.NextDeadlineAt = at(time.Duration(v) * time.Hour)
	c.FirstContactAt = at(30 * time.Minute)
	c.UpdatedAt = day0.Add(time.Duration(v) * time.Minute)

	task := newTask(c, 1, at(24*time.Hour))
	task.Version = v
	task.Assignee = c.Assignee
	inc := newIncident(c, "contact-1", day0)
	inc.Version = v
	inc.Attempts = int(v)
	return cases.SyncBatch{
		Case:   c,
		Events: []cases.Event{newEvent(c.ID, 2*v-1, day0), newEvent(c.ID, 2*v, day0)},
		Tasks:  []cases.Task{task},
		Deadlines: []cases.Deadline{{
			Kind: cases.DeadlineFirstContact, StartedAt: day0, DueAt: day0.Add(24 * time.Hour),
			RemindAt: day0.Add(20 * time.Hour), Status: cases.DeadlinePending, LateBySeconds: v,
		}},
		Incidents: []cases.Incident{inc},
	}
}

func TestSyncCaseRoundTrip(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	b := fullBatch(1)
	mustSync(t, s, b)

	got, err := s.GetCase(ctx, b.Case.ID)
	require.NoError(t, err)
	assert.Equal(t, b.Case.ID, got.ID)
	assert.Equal(t, b.Case.Assignee, got.Assignee)
	assert.Equal(t, cases.Money(5990), got.OrderAmount)
	assert.True(t, b.Case.OpenedAt.Equal(got.OpenedAt))
	require.NotNil(t, got.NextDeadlineAt)
	assert.True(t, b.Case.NextDeadlineAt.Equal(*got.NextDeadlineAt))
	assert.Nil(t, got.ResolvedAt)

	events, err := s.ListEvents(ctx, b.Case.ID, 0, 0)
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.JSONEq(t, `{"seq": 1}`, string(events[0].Data))
	assert.Equal(t, cases.RoleSystem, events[0].Role)

	task, err := s.GetTask(ctx, b.Tasks[0].ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{"draft": "Hola"}`, string(task.Input))
	assert.Nil(t, task.Result, "no result yet must read back as none")

	inc, err := s.GetIncident(ctx, b.Incidents[0].ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{"text": "Hola"}`, string(inc.Params))

	deadlines, err := s.ListDeadlines(ctx, b.Case.ID)
	require.NoError(t, err)
	require.Len(t, deadlines, 1)
	assert.Equal(t, cases.DeadlineFirstContact, deadlines[0].Kind)
	assert.True(t, deadlines[0].DueAt.Equal(day0.Add(24*time.Hour)))
}

func TestSyncCaseEmptyJSONIsStoredAsDefaults(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	b := fullBatch(1)
	b.Events[0].Data = nil
	b.Tasks[0].Input = nil
	b.Incidents[0].Params = nil
	mustSync(t, s, b)

	events, err := s.ListEvents(ctx, b.Case.ID, 0, 10)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(events[0].Data))
	task, err := s.GetTask(ctx, b.Tasks[0].ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(task.Input))
	inc, err := s.GetIncident(ctx, b.Incidents[0].ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(inc.Params))
}

// snapshot reads everything a batch can touch, for before/after comparisons.
func snapshot(t *testing.T, s *store.Store, caseID string) any {
	t.Helper()
	ctx := context.Background()
	c, err := s.GetCase(ctx, caseID)
	require.NoError(t, err)
	events, err := s.ListEvents(ctx, caseID, 0, 500)
	require.NoError(t, err)
	tasks, err := s.ListTasks(ctx, store.TaskFilter{CaseID: caseID, Status: store.TaskStatusAll})
	require.NoError(t, err)
	incidents, err := s.ListIncidents(ctx, store.IncidentFilter{CaseID: caseID, Status: store.IncidentStatusAll})
	require.NoError(t, err)
	deadlines, err := s.ListDeadlines(ctx, caseID)
	require.NoError(t, err)
	// Through JSON so that equal instants in different zones compare equal.
	out, err := json.Marshal([]any{c, events, tasks, incidents, deadlines})
	require.NoError(t, err)
	return string(out)
}

func TestSyncCaseIsIdempotent(t *testing.T) {
	s := storetest.New(t)
	b := fullBatch(1)
	mustSync(t, s, b)
	before := snapshot(t, s, b.Case.ID)
	mustSync(t, s, b)
	assert.Equal(t, before, snapshot(t, s, b.Case.ID))

	events, err := s.ListEvents(context.Background(), b.Case.ID, 0, 500)
	require.NoError(t, err)
	assert.Len(t, events, 2)
}

func TestSyncCaseOlderVersionNeverOverwritesNewer(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	mustSync(t, s, fullBatch(1))
	mustSync(t, s, fullBatch(3))
	newer := snapshot(t, s, fullBatch(1).Case.ID)

	// A retried, late batch at version 2 with a different case row, task,
	// incident and deadline: only its events (3 and 4, new) may land.
	mustSync(t, s, fullBatch(2))

	id := fullBatch(1).Case.ID
	c, err := s.GetCase(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, int64(3), c.Version)
	assert.Equal(t, "agent-3", c.Assignee)
	task, err := s.GetTask(ctx, fullBatch(3).Tasks[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "agent-3", task.Assignee)
	inc, err := s.GetIncident(ctx, fullBatch(3).Incidents[0].ID)
	require.NoError(t, err)
	assert.Equal(t, 3, inc.Attempts)
	deadlines, err := s.ListDeadlines(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, int64(3), deadlines[0].LateBySeconds)

	events, err := s.ListEvents(ctx, id, 0, 500)
	require.NoError(t, err)
	var seqs []int64
	for _, e := range events {
		seqs = append(seqs, e.Seq)
	}
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6}, seqs)
	assert.NotEqual(t, newer, snapshot(t, s, id), "the late batch's events are new and must be added")
}

// Ten workflows' worth of retries write overlapping event ranges of one
// case at once: every event lands exactly once and the newest version wins.
func TestSyncCaseConcurrentOverlappingBatches(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	base := newCase("r-1", day0)
	mustSync(t, s, cases.SyncBatch{Case: base})

	const writers = 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := base
			c.Version = int64(w + 1)
			c.Assignee = fmt.Sprintf("agent-%d", w+1)
			var events []cases.Event
			// Writer w holds events w+1 … w+5: neighbours overlap by four.
			for seq := int64(w + 1); seq <= int64(w+5); seq++ {
				events = append(events, newEvent(c.ID, seq, day0))
			}
			errs <- s.SyncCase(ctx, cases.SyncBatch{Case: c, Events: events})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	events, err := s.ListEvents(ctx, base.ID, 0, 500)
	require.NoError(t, err)
	require.Len(t, events, writers+4)
	for i, e := range events {
		assert.Equal(t, int64(i+1), e.Seq)
	}
	c, err := s.GetCase(ctx, base.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(writers), c.Version)
	assert.Equal(t, fmt.Sprintf("agent-%d", writers), c.Assignee)
}

func TestSyncCaseRejectsRowsOfAnotherCase(t *testing.T) {
	s := storetest.New(t)
	b := fullBatch(1)
	b.Events[1].CaseID = "cs_other"
	err := s.SyncCase(context.Background(), b)
	require.ErrorIs(t, err, store.ErrInvalid)

	_, err = s.GetCase(context.Background(), b.Case.ID)
	require.ErrorIs(t, err, store.ErrNotFound, "nothing of a refused batch is written")
}

func TestSyncCaseFillsImplicitCaseIDs(t *testing.T) {
	s := storetest.New(t)
	b := fullBatch(1)
	b.Events[0].CaseID = ""
	b.Tasks[0].CaseID, b.Tasks[0].WorkflowID = "", ""
	mustSync(t, s, b)
	task, err := s.GetTask(context.Background(), b.Tasks[0].ID)
	require.NoError(t, err)
	assert.Equal(t, b.Case.ID, task.CaseID)
	assert.Equal(t, b.Case.WorkflowID, task.WorkflowID)
}

func TestSyncCaseViolatingSchemaIsInvalid(t *testing.T) {
	s := storetest.New(t)
	b := fullBatch(1)
	b.Case.Rating = 7
	require.ErrorIs(t, s.SyncCase(context.Background(), b), store.ErrInvalid)
}

func TestSyncCaseSameReviewUnderAnotherIDConflicts(t *testing.T) {
	s := storetest.New(t)
	b := fullBatch(1)
	mustSync(t, s, b)
	dup := cases.SyncBatch{Case: b.Case}
	dup.Case.ID, dup.Case.WorkflowID = "cs_impostor", "case-cs_impostor"
	require.ErrorIs(t, s.SyncCase(context.Background(), dup), store.ErrConflict)
}

func TestCaseEventsAreAppendOnly(t *testing.T) {
	s := storetest.New(t)
	b := fullBatch(1)
	mustSync(t, s, b)
	_, err := s.DB().Exec(`UPDATE case_events SET type = 'note_added' WHERE case_id = $1`, b.Case.ID)
	require.ErrorContains(t, err, "append-only")
	_, err = s.DB().Exec(`DELETE FROM case_events WHERE case_id = $1`, b.Case.ID)
	require.ErrorContains(t, err, "append-only")
}
