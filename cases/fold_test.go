package cases

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var foldStart = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

// foldScript is a case's life as events: opened, classified, two deadlines,
// a task claimed and completed, a reminder and a breach, a message, close.
func foldScript() []Event {
	rv := Review{Marketplace: EBay, ShopID: "s1", ReviewID: "r1", OrderID: "o1", Rating: 1, Text: "broken",
		CreatedAt: foldStart, Buyer: Buyer{ID: "b1", Name: "Ann"}, OrderAmount: 5990, ShippingFee: 800, Currency: "USD"}
	sys := SystemActor
	ana := Actor{ID: "ana", Role: RoleAgent}
	at := func(m int) time.Time { return foldStart.Add(time.Duration(m) * time.Minute) }
	due := at(600)
	var seq int64
	ev := func(t EventType, a Actor, m int, data any) Event {
		seq++
		return NewEvent("c1", seq, t, a, at(m), data)
	}
	return []Event{
		ev(EventCaseOpened, sys, 0, CaseOpenedData{Review: &rv, WorkflowID: "case-c1", ReviewDigest: "d1"}),
		ev(EventClassified, sys, 0, ClassifiedData{Issue: IssueQuality, Severity: SeverityBad, Language: "en"}),
		ev(EventDeadlineSet, sys, 0, DeadlineData{Kind: DeadlineFirstContact, StartedAt: at(0), DueAt: due, RemindAt: at(480)}),
		ev(EventDeadlineSet, sys, 0, DeadlineData{Kind: DeadlineResolution, StartedAt: at(0), DueAt: at(480), RemindAt: at(384)}),
		ev(EventStageChanged, sys, 0, StageChangedData{From: StageIntake, To: StageContact}),
		ev(EventTaskCreated, sys, 1, TaskCreatedData{TaskID: "t1", Kind: TaskVerify, Role: RoleAgent,
			Task: &Task{ID: "t1", Kind: TaskVerify, Role: RoleAgent, Status: TaskOpen, DueAt: &due, Input: json.RawMessage(`{"x":1}`)}}),
		ev(EventTaskClaimed, ana, 2, TaskChangedData{TaskID: "t1"}),
		ev(EventDeadlineReminder, sys, 384, DeadlineData{Kind: DeadlineResolution}),
		ev(EventDeadlineBreached, sys, 490, DeadlineData{Kind: DeadlineResolution}),
		ev(EventMessageSent, sys, 500, MessageSentData{Kind: "first_contact", Text: "hello", Ref: "m1"}),
		ev(EventDeadlineMet, sys, 500, DeadlineData{Kind: DeadlineFirstContact}),
		ev(EventTaskCompleted, ana, 510, TaskChangedData{TaskID: "t1", Result: json.RawMessage(`{"ok":true}`)}),
		ev(EventVerified, ana, 510, VerifiedData{Responsibility: RespMerchant}),
		ev(EventStageChanged, sys, 520, StageChangedData{From: StageContact, To: StageClosed}),
		ev(EventCaseClosed, sys, 520, CaseClosedData{Outcome: OutcomeUnchanged}),
	}
}

func TestFoldBuildsTheCase(t *testing.T) {
	s, err := Fold(foldScript())
	require.NoError(t, err)
	c := s.Case
	require.Equal(t, "case-c1", c.WorkflowID)
	require.Equal(t, EBay, c.Marketplace)
	require.Equal(t, "Ann", c.BuyerName)
	require.Equal(t, IssueQuality, c.Issue)
	require.Equal(t, StageClosed, c.Stage)
	require.Equal(t, StatusClosed, c.Status)
	require.Equal(t, OutcomeUnchanged, c.Outcome)
	require.Equal(t, RespMerchant, c.Responsibility)
	require.True(t, c.Breached)
	require.Equal(t, int64(15), c.Version)
	require.Equal(t, foldStart.Add(500*time.Minute), *c.FirstContactAt)
	require.NotNil(t, c.ClosedAt)
	require.Nil(t, c.NextDeadlineAt, "no pending deadline after close")

	res := s.Deadline(DeadlineResolution)
	require.Equal(t, DeadlineBreached, res.Status)
	require.True(t, res.Reminded)
	require.Equal(t, int64(600), res.LateBySeconds)
	fc := s.Deadline(DeadlineFirstContact)
	require.Equal(t, DeadlineMet, fc.Status)
	require.Zero(t, fc.LateBySeconds)

	tk := s.Task("t1")
	require.Equal(t, TaskCompleted, tk.Status)
	require.Equal(t, PriorityUrgent, tk.Priority, "the breach raised the live task")
	require.Equal(t, "ana", tk.Assignee)
	require.JSONEq(t, `{"ok":true}`, string(tk.Result))
	require.Len(t, s.Messages, 1)
	require.Equal(t, "hello", s.Messages[0].Text)
}

func TestFoldIsIdempotentAndOrdered(t *testing.T) {
	events := foldScript()
	once, err := Fold(events)
	require.NoError(t, err)
	var twice State
	for _, e := range append(events, events...) {
		require.NoError(t, twice.Apply(e))
	}
	require.Equal(t, once, twice, "an event at or below Seq is ignored")

	// Folding in two batches is folding once.
	var split State
	for _, e := range events[:7] {
		require.NoError(t, split.Apply(e))
	}
	for _, e := range events[5:] {
		require.NoError(t, split.Apply(e))
	}
	require.Equal(t, once, split)
}

func TestFoldUntilIsTheCaseAsItStood(t *testing.T) {
	s, err := FoldUntil(foldScript(), foldStart.Add(3*time.Minute))
	require.NoError(t, err)
	require.Equal(t, StatusOpen, s.Case.Status)
	require.Equal(t, StageContact, s.Case.Stage)
	require.Equal(t, "ana", s.Case.Assignee)
	require.Equal(t, DeadlineResolution, s.Case.NextDeadline, "resolution is due first")
	require.False(t, s.Case.Breached)
	ttb := TimeToBreach(s.Case.NextDeadlineAt, foldStart.Add(3*time.Minute))
	require.Equal(t, 477*time.Minute, time.Duration(*ttb))
	raw, _ := json.Marshal(ttb)
	require.Equal(t, `"7h57m0s"`, string(raw))
}

func TestFoldCancelsDeadlinesAndTasks(t *testing.T) {
	events := foldScript()[:7]
	events = append(events,
		NewEvent("c1", 8, EventDeadlineCancelled, SystemActor, foldStart.Add(time.Hour), DeadlineData{Kind: DeadlineResolution, Reason: "x"}),
		NewEvent("c1", 9, EventTaskCancelled, SystemActor, foldStart.Add(time.Hour), TaskChangedData{TaskID: "t1", Reason: "x"}),
	)
	s, err := Fold(events)
	require.NoError(t, err)
	require.Equal(t, DeadlineCancelled, s.Deadline(DeadlineResolution).Status)
	require.Equal(t, DeadlineFirstContact, s.Case.NextDeadline)
	require.Equal(t, TaskCancelled, s.Task("t1").Status)
	require.Empty(t, s.Case.Assignee)
}

func TestFoldRefusesEventsAboutUnknownThings(t *testing.T) {
	var s State
	err := s.Apply(NewEvent("c1", 1, EventTaskClaimed, SystemActor, foldStart, TaskChangedData{TaskID: "nope"}))
	require.ErrorContains(t, err, "unknown task")
	err = s.Apply(NewEvent("c1", 1, EventDeadlineMet, SystemActor, foldStart, DeadlineData{Kind: DeadlineAppeal}))
	require.ErrorContains(t, err, "unknown deadline")
}
