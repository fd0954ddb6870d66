package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// First contact is late: reminder at 80 %, breach at 24 h (tasks go urgent,
// managers hear of it, the case stays breached), then met 6 h late.
func TestFirstContactReminderBreachAndLateMet(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	h.in.Settings.AutoContact = false
	contactID := h.taskID(cases.TaskContactBuyer, 1)
	var prioAtReminder, prioAtBreach cases.Priority
	// Resolution (12 h) reminds at 9.6 h and breaks at 12 h, before first contact's own.
	h.at(10*time.Hour, func() { prioAtReminder = h.queryTask(contactID).Priority })
	h.at(13*time.Hour, func() { prioAtBreach = h.queryTask(contactID).Priority })
	h.complete(30*time.Hour, cases.TaskContactBuyer, 1, agent, CompleteTaskRequest{Contact: &ContactResult{
		Message: "Hello, we are sorry your parcel was late. How can we make this right?",
	}})
	h.send(31*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "enough for the test", Actor: manager}, "")
	res := h.run()

	require.True(t, res.Breached)
	require.True(t, h.lastCase().Breached)
	require.Equal(t, cases.PriorityHigh, prioAtReminder)
	require.Equal(t, cases.PriorityUrgent, prioAtBreach)
	dl := h.deadlines()[cases.DeadlineFirstContact]
	require.Equal(t, cases.DeadlineBreached, dl.Status, "a breach stays on record")
	require.True(t, dl.Reminded)
	require.Equal(t, testStart.Add(24*time.Hour), *dl.BreachedAt)
	require.Equal(t, testStart.Add(30*time.Hour), *dl.MetAt)
	require.Equal(t, int64(6*3600), dl.LateBySeconds)

	var kinds []activities.AlertKind
	for _, a := range h.alerts {
		if a.Deadline == cases.DeadlineFirstContact {
			kinds = append(kinds, a.Kind)
		}
	}
	require.Equal(t, []activities.AlertKind{activities.AlertReminder, activities.AlertBreach}, kinds)
	reminders := h.eventsOfKind(cases.EventDeadlineReminder, cases.DeadlineFirstContact)
	require.Len(t, reminders, 1)
	require.Equal(t, testStart.Add(time.Duration(0.8*float64(24*time.Hour))), reminders[0].At)
	met := h.eventsOfKind(cases.EventDeadlineMet, cases.DeadlineFirstContact)
	require.Len(t, met, 1)
	require.Contains(t, string(met[0].Data), `"late_by_seconds":21600`)
	// Resolution (12 h) broke too, before anyone acted.
	require.Equal(t, cases.DeadlineBreached, h.deadlines()[cases.DeadlineResolution].Status)
}

// The solution is due 3 h after the buyer's reply; an offer 4 h later is 1 h late.
func TestSolutionDeadlineBreach(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	opt := h.firstOption(cases.IssueQuality, cases.RespMerchant)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(20*time.Minute+4*time.Hour, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})
	res := h.run()
	require.True(t, res.Breached)
	dl := h.deadlines()[cases.DeadlineSolution]
	require.Equal(t, cases.DeadlineBreached, dl.Status)
	require.Equal(t, testStart.Add(20*time.Minute+3*time.Hour), dl.DueAt)
	require.Equal(t, int64(3600), dl.LateBySeconds)
	require.Len(t, h.events(cases.EventEscalated), 1)
}

// Mercado Libre counts 08:00–21:00 in the shop's zone: a review at 20:00
// Monday in Buenos Aires has 1 h that day and 11 h from Tuesday 08:00.
func TestMercadoLibreBusinessHours(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 2)
	h.in.Settings.AutoContact = false
	h.in.Settings.TimeZone = "America/Argentina/Buenos_Aires" // UTC-3, no DST
	reviewAt := time.Date(2026, 11, 2, 23, 0, 0, 0, time.UTC) // 20:00 local
	h.env.SetStartTime(reviewAt)
	h.in.Review.CreatedAt, h.in.ReceivedAt = reviewAt, reviewAt
	h.send(30*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
	h.run()

	dl := h.deadlines()[cases.DeadlineFirstContact]
	require.Equal(t, time.Date(2026, 11, 3, 22, 0, 0, 0, time.UTC), dl.DueAt.UTC(), "Tue 19:00 local")
	// Reminder at 80 % of 12 business hours = 9 h 36 m: Tue 16:36 local.
	require.Equal(t, time.Date(2026, 11, 3, 19, 36, 0, 0, time.UTC), dl.RemindAt.UTC())
	rem := h.eventsOfKind(cases.EventDeadlineReminder, cases.DeadlineFirstContact)
	require.Len(t, rem, 1)
	require.Equal(t, dl.RemindAt.UTC(), rem[0].At.UTC())
	require.Equal(t, cases.DeadlineBreached, dl.Status)
	require.Equal(t, dl.DueAt.UTC(), dl.BreachedAt.UTC())
}

func (h *harness) eventsOfKind(t cases.EventType, kind cases.DeadlineKind) []cases.Event {
	var out []cases.Event
	for _, e := range h.events(t) {
		if containsKind(e.Data, kind) {
			out = append(out, e)
		}
	}
	return out
}

func containsKind(data []byte, kind cases.DeadlineKind) bool {
	return len(data) > 0 && strings.Contains(string(data), `"kind":"`+string(kind)+`"`)
}

func (h *harness) queryTask(id string) cases.Task {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(QueryState)
	require.NoError(h.t, err)
	var st CaseState
	require.NoError(h.t, v.Get(&st))
	for _, t := range st.Tasks {
		if t.ID == id {
			return t
		}
	}
	h.t.Fatalf("task %s not in state", id)
	return cases.Task{}
}

// Every other deadline: reminded at 80 %, breached at due, and met late by
// exactly the delay the scenario builds in.
func TestEachDeadlineRemindsBreachesAndRecordsLateness(t *testing.T) {
	h := time.Hour
	tests := []struct {
		kind   cases.DeadlineKind
		lateBy time.Duration
		setup  func(x *harness)
	}{
		{cases.DeadlinePublicReply, 6 * h, func(x *harness) {
			// eBay: no reply by 12 h; the reply is due 24 h later (36 h) and approved at 42 h.
			x.verifyAs(10*time.Minute, cases.RespCourier)
			x.complete(42*h, cases.TaskApproveReply, 1, manager, CompleteTaskRequest{Approval: &Approval{Approved: true}})
		}},
		{cases.DeadlineAppeal, 6 * h, func(x *harness) {
			x.in.Review.Text = issueTexts[cases.IssueSuspectedMalicious]
			x.verifyAs(time.Hour, cases.RespMaliciousBuyer)
			x.complete(30*h, cases.TaskPrepareAppeal, 1, agent, CompleteTaskRequest{Appeal: &AppealFiling{
				Statement: "The buyer demanded money for the review.", FiledManually: true}})
			x.complete(31*h, cases.TaskRecordAppealOutcome, 1, agent, CompleteTaskRequest{AppealOutcome: &AppealOutcome{Won: true}})
		}},
		{cases.DeadlineReship, 2 * h, func(x *harness) {
			// Reship chosen at 30 m fails; the retry at 50 h 30 m is 2 h past its 48 h.
			x.in.Review.Text = issueTexts[cases.IssueDamagedOrLost]
			x.failCalls["create_reship"] = 1
			x.verifyAs(10*time.Minute, cases.RespCourier)
			x.buyerReplies(20*time.Minute, "m-1")
			x.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
			x.send(50*h+30*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: x.in.CaseID + "-remedy_reship",
				Action: IncidentRetry, Reason: "stock is back", Actor: agent}, "")
		}},
		{cases.DeadlineResolution, 3 * h, func(x *harness) {
			// Logistics: 12 h to finish handling; the remedy runs at 15 h.
			x.verifyAs(10*time.Minute, cases.RespCourier)
			x.buyerReplies(11*time.Hour, "m-1")
			x.complete(15*h, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyFreeShippingNext}})
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			x := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
			switch tc.kind {
			case cases.DeadlineAppeal:
				x.in.Review.Marketplace = cases.Taobao
				x.in.CaseID = cases.CaseIDFor(cases.Taobao, "shop-1", "rv-1")
			case cases.DeadlineReship:
				x.in.Review.Marketplace = cases.Amazon // reships through MCF
			}
			tc.setup(x)
			res := x.run()
			require.True(t, res.Breached)
			dl, ok := x.deadlines()[tc.kind]
			require.True(t, ok, "deadline %s never set", tc.kind)
			require.True(t, dl.Reminded, "no reminder")
			require.Equal(t, cases.DeadlineBreached, dl.Status)
			require.Equal(t, dl.DueAt, *dl.BreachedAt)
			require.NotNil(t, dl.MetAt, "met late")
			require.Equal(t, int64(tc.lateBy/time.Second), dl.LateBySeconds)
			require.Len(t, x.eventsOfKind(cases.EventDeadlineReminder, tc.kind), 1)
			require.Len(t, x.eventsOfKind(cases.EventDeadlineBreached, tc.kind), 1)
		})
	}
}
