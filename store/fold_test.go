package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// caseScript is a case's first events: opened with its review, classified,
// two deadlines, a contact task, then the task claimed and a reminder.
func caseScript(reviewID string) []cases.Event {
	id := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)
	rv := cases.Review{Marketplace: cases.MercadoLibre, ShopID: "shop-1", ReviewID: reviewID, OrderID: "order-" + reviewID,
		Rating: 2, Text: "llegó tarde", Language: "es", CreatedAt: day0.Add(-time.Hour),
		Buyer: cases.Buyer{ID: "buyer-1", Name: "Ana"}, OrderAmount: 5990, ShippingFee: 990, Currency: "BRL"}
	sys, ana := cases.SystemActor, cases.Actor{ID: "ana", Role: cases.RoleAgent}
	due := day0.Add(12 * time.Hour)
	var seq int64
	ev := func(t cases.EventType, a cases.Actor, d time.Duration, data any) cases.Event {
		seq++
		return cases.NewEvent(id, seq, t, a, day0.Add(d), data)
	}
	return []cases.Event{
		ev(cases.EventCaseOpened, sys, 0, cases.CaseOpenedData{Review: &rv, WorkflowID: cases.WorkflowIDFor(id), ReviewDigest: "dg"}),
		ev(cases.EventClassified, sys, 0, cases.ClassifiedData{Issue: cases.IssueLogisticsDelay, Severity: cases.SeverityBad, Language: "es"}),
		ev(cases.EventDeadlineSet, sys, 0, cases.DeadlineData{Kind: cases.DeadlineFirstContact, StartedAt: day0, DueAt: due, RemindAt: day0.Add(10 * time.Hour)}),
		ev(cases.EventDeadlineSet, sys, 0, cases.DeadlineData{Kind: cases.DeadlineResolution, StartedAt: day0, DueAt: day0.Add(24 * time.Hour), RemindAt: day0.Add(20 * time.Hour)}),
		ev(cases.EventStageChanged, sys, 0, cases.StageChangedData{From: cases.StageIntake, To: cases.StageContact}),
		ev(cases.EventTaskCreated, sys, time.Minute, cases.TaskCreatedData{TaskID: id + "-contact_buyer-1", Kind: cases.TaskContactBuyer, Role: cases.RoleAgent,
			Task: &cases.Task{ID: id + "-contact_buyer-1", Kind: cases.TaskContactBuyer, Role: cases.RoleAgent, Status: cases.TaskOpen, DueAt: &due, Input: json.RawMessage(`{"draft":"Hola"}`)}}),
		ev(cases.EventTaskClaimed, ana, 2*time.Minute, cases.TaskChangedData{TaskID: id + "-contact_buyer-1"}),
		ev(cases.EventDeadlineReminder, sys, 10*time.Hour, cases.DeadlineData{Kind: cases.DeadlineFirstContact}),
	}
}

func appendEvents(t *testing.T, s *store.Store, events []cases.Event) {
	t.Helper()
	require.NoError(t, s.SyncCase(context.Background(), cases.SyncBatch{Events: events}))
}

func TestAppendEventsWritesTheRowsTheyFoldTo(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	events := caseScript("r-1")
	id := events[0].CaseID
	appendEvents(t, s, events[:5])
	appendEvents(t, s, events[3:]) // overlapping, as a retried batch would be

	want, err := cases.Fold(events)
	require.NoError(t, err)
	got, err := s.GetCase(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Ana", got.BuyerName)
	assert.Equal(t, cases.IssueLogisticsDelay, got.Issue)
	assert.Equal(t, cases.StageContact, got.Stage)
	assert.Equal(t, "ana", got.Assignee)
	assert.Equal(t, int64(8), got.Version)
	assert.Equal(t, cases.DeadlineFirstContact, got.NextDeadline)
	assert.True(t, want.Case.NextDeadlineAt.Equal(*got.NextDeadlineAt))

	task, err := s.GetTask(ctx, id+"-contact_buyer-1")
	require.NoError(t, err)
	assert.Equal(t, cases.TaskClaimed, task.Status)
	assert.Equal(t, cases.PriorityHigh, task.Priority, "the reminder raised it")
	assert.JSONEq(t, `{"draft":"Hola"}`, string(task.Input))
	task.SetTimeToBreach(day0)
	require.NotNil(t, task.TimeToBreach, "a live task has a time to breach")
	assert.Equal(t, 12*time.Hour, time.Duration(*task.TimeToBreach))

	deadlines, err := s.ListDeadlines(ctx, id)
	require.NoError(t, err)
	require.Len(t, deadlines, 2)
	assert.True(t, deadlines[0].Reminded)

	stored, err := s.ListEvents(ctx, id, 0, 500)
	require.NoError(t, err)
	require.Len(t, stored, len(events), "each event once")

	// The store's rows are the fold of case_events: folding what it holds
	// gives the same case.
	refold, err := cases.Fold(stored)
	require.NoError(t, err)
	assert.Equal(t, jsonString(t, want.Case), jsonString(t, refold.Case))
}

func TestAppendEventsIsIdempotent(t *testing.T) {
	s := storetest.New(t)
	events := caseScript("r-1")
	appendEvents(t, s, events)
	before := snapshot(t, s, events[0].CaseID)
	appendEvents(t, s, events)
	appendEvents(t, s, events[2:4])
	assert.Equal(t, before, snapshot(t, s, events[0].CaseID))
}

func TestAppendEventsConcurrentBatchesFoldInOrder(t *testing.T) {
	s := storetest.New(t)
	events := caseScript("r-1")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.SyncCase(context.Background(), cases.SyncBatch{Events: events[:1+i%len(events)]})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	appendEvents(t, s, events)
	got, err := s.GetCase(context.Background(), events[0].CaseID)
	require.NoError(t, err)
	assert.Equal(t, int64(len(events)), got.Version)
	assert.Equal(t, "ana", got.Assignee)
}

// A case indexed before the fold (rows written by the workflow) folds its
// next events onto those rows.
func TestAppendEventsAfterRowsWrittenBeforeTheFold(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	b := fullBatch(1) // version 1, events 1 and 2, a contact task, an incident, a deadline
	b.Case.Version = 2
	b.Tasks[0].Version = 2
	mustSync(t, s, b)
	claimed := cases.NewEvent(b.Case.ID, 3, cases.EventTaskClaimed, cases.Actor{ID: "bo", Role: cases.RoleAgent},
		day0.Add(time.Hour), cases.TaskChangedData{TaskID: b.Tasks[0].ID})
	appendEvents(t, s, []cases.Event{claimed})

	got, err := s.GetCase(ctx, b.Case.ID)
	require.NoError(t, err)
	assert.Equal(t, "bo", got.Assignee)
	assert.Equal(t, int64(3), got.Version)
	assert.Equal(t, b.Case.BuyerName, got.BuyerName, "the rest of the row stands")
	task, err := s.GetTask(ctx, b.Tasks[0].ID)
	require.NoError(t, err)
	assert.Equal(t, cases.TaskClaimed, task.Status)
	assert.JSONEq(t, `{"draft": "Hola"}`, string(task.Input))
}

func TestCaseAsOf(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	events := caseScript("r-1")
	appendEvents(t, s, events)
	id := events[0].CaseID

	st, err := s.CaseAsOf(ctx, id, day0.Add(90*time.Second))
	require.NoError(t, err)
	assert.Equal(t, int64(6), st.Seq, "before the claim")
	assert.Empty(t, st.Case.Assignee)
	require.Len(t, st.Tasks, 1)
	assert.Equal(t, cases.TaskOpen, st.Tasks[0].Status)
	require.NotNil(t, st.Case.TimeToBreach)
	assert.Equal(t, 12*time.Hour-90*time.Second, time.Duration(*st.Case.TimeToBreach), "counted from as_of")

	_, err = s.CaseAsOf(ctx, id, day0.Add(-time.Hour))
	require.ErrorIs(t, err, store.ErrNotFound, "before the case opened")
	_, err = s.CaseAsOf(ctx, "cs_nope", day0)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestListCasesAtRisk(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	soon := caseScript("r-soon") // first contact due day0+12h
	appendEvents(t, s, soon)
	later := caseScript("r-later")
	appendEvents(t, s, later[:1])
	// r-later's only deadline is due in three days.
	appendEvents(t, s, []cases.Event{cases.NewEvent(later[0].CaseID, 2, cases.EventDeadlineSet, cases.SystemActor, day0,
		cases.DeadlineData{Kind: cases.DeadlineFirstContact, StartedAt: day0, DueAt: day0.Add(72 * time.Hour), RemindAt: day0.Add(60 * time.Hour)})})

	page, err := s.ListCases(ctx, store.CaseFilter{AtRisk: 4 * time.Hour, Now: day0.Add(10 * time.Hour)})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, soon[0].CaseID, page.Items[0].ID)
	page, err = s.ListCases(ctx, store.CaseFilter{AtRisk: 100 * time.Hour, Now: day0})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	_, err = s.ListCases(ctx, store.CaseFilter{AtRisk: -time.Hour})
	require.ErrorIs(t, err, store.ErrInvalid)
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return string(raw)
}
