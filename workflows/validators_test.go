package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// Every rejection code, each from the validator, leaving the case untouched.
func TestValidatorRejections(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	verify := h.taskID(cases.TaskVerify, 1)
	bot := cases.Actor{ID: "bot", Role: cases.RoleAutomation}
	m := time.Minute

	h.send(1*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: "nope", Actor: agent}, CodeTaskNotFound)
	h.send(2*m, UpdateClaimTask, ClaimTaskRequest{TaskID: verify, Actor: bot}, CodeWrongRole)
	h.send(3*m, UpdateClaimTask, ClaimTaskRequest{TaskID: verify, Actor: agent}, "")
	h.send(4*m, UpdateClaimTask, ClaimTaskRequest{TaskID: verify, Actor: agent2}, CodeTaskClaimedByOther)
	h.send(5*m, UpdateUnclaimTask, UnclaimTaskRequest{TaskID: verify, Actor: agent2}, CodeTaskClaimedByOther)
	h.send(6*m, UpdateAssignTask, AssignTaskRequest{TaskID: verify, Assignee: agent2.ID, Actor: agent}, CodeNotManager)
	h.send(7*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: verify, Actor: agent2,
		Verify: &VerifyResult{Responsibility: cases.RespCourier}}, CodeTaskClaimedByOther)
	h.send(8*m, UpdateClaimTask, ClaimTaskRequest{TaskID: verify, Actor: manager, Takeover: true}, "")
	h.send(9*m, UpdateAssignTask, AssignTaskRequest{TaskID: verify, Assignee: agent.ID, Actor: manager}, "")
	h.send(10*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: verify, Actor: agent,
		Remedy: &RemedyChoice{Type: cases.RemedyCoupon}}, CodeWrongPayload)
	h.send(11*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: verify, Actor: agent,
		Verify: &VerifyResult{Findings: "looked"}}, CodeMissingResponsibility)
	h.verifyAs(12*m, cases.RespCourier)
	h.send(13*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: verify, Actor: agent,
		Verify: &VerifyResult{Responsibility: cases.RespCourier}}, CodeTaskNotOpen)
	h.buyerReplies(14*m, "m-1")

	choose := h.taskID(cases.TaskChooseRemedy, 1)
	h.send(15*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: choose, Actor: agent,
		Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}}, CodeRemedyNotAllowed)
	h.send(16*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: choose, Actor: agent,
		Remedy: &RemedyChoice{Type: cases.RemedyCoupon, Amount: 100}}, CodeAmountOutOfRange)
	h.send(17*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: choose, Actor: agent,
		Remedy: &RemedyChoice{Type: cases.RemedyCoupon, Message: "Here is a coupon, write me at alice@example.com"}}, CodeGuardRejected)
	h.send(18*m, UpdateReclassify, ReclassifyRequest{Issue: "weather", Actor: agent}, CodeWrongPayload)
	h.send(19*m, UpdateReclassify, ReclassifyRequest{Issue: cases.IssueLogisticsDelay, Actor: agent}, CodeDuplicate)
	h.send(20*m, UpdateAddNote, NoteRequest{NoteID: "n-1", Text: "buyer is polite", Actor: agent}, "")
	h.send(21*m, UpdateAddNote, NoteRequest{NoteID: "n-1", Text: "buyer is polite", Actor: agent}, CodeDuplicate)
	h.send(22*m, UpdateCloseCase, CloseCaseRequest{Reason: "no", Actor: agent}, CodeNotManager)
	h.send(23*m, UpdateCloseCase, CloseCaseRequest{Actor: manager}, CodeWrongPayload)
	h.send(24*m, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: "x", Action: IncidentRetry, Actor: agent}, CodeIncidentNotFound)
	h.send(25*m, UpdateCloseCase, CloseCaseRequest{Reason: "handled by phone", Actor: manager}, "")
	h.send(25*m, UpdateAddNote, NoteRequest{NoteID: "n-2", Text: "late", Actor: agent}, "")
	h.outcomes[len(h.outcomes)-1].wantCode = CodeCaseClosed
	h.send(25*m, UpdateCompleteTask, CompleteTaskRequest{TaskID: choose, Actor: agent,
		Remedy: &RemedyChoice{Type: cases.RemedyCoupon}}, CodeCaseClosed)

	res := h.run()
	require.Equal(t, cases.OutcomeClosedByManager, res.Outcome)
	// Rejected updates left no trace: one note, one claim by agent, one takeover.
	require.Len(t, h.events(cases.EventNoteAdded), 1)
	require.Len(t, h.events(cases.EventTaskClaimed), 2)
	require.Len(t, h.events(cases.EventTaskAssigned), 1)
	require.Empty(t, h.events(cases.EventRemedyChosen))
}

// A manager closing the case cancels its open tasks and records who and why.
func TestManagerCloseCancelsTasks(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	h.in.Settings.AutoContact = false
	h.send(time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "duplicate of another case", Actor: manager}, "")
	res := h.run()
	require.Equal(t, cases.OutcomeClosedByManager, res.Outcome)
	tasks := h.tasks()
	require.Equal(t, cases.TaskCancelled, tasks[h.taskID(cases.TaskContactBuyer, 1)].Status)
	require.Equal(t, cases.TaskCancelled, tasks[h.taskID(cases.TaskVerify, 1)].Status)
	closed := h.events(cases.EventCaseClosed)
	require.Len(t, closed, 1)
	require.Equal(t, manager.ID, closed[0].Actor)
	require.Contains(t, string(closed[0].Data), "duplicate of another case")
	c := h.lastCase()
	require.Equal(t, cases.StatusClosed, c.Status)
	require.Equal(t, cases.OutcomeClosedByManager, c.Outcome)
	require.NotNil(t, c.ClosedAt)
	for _, d := range h.deadlines() {
		require.NotEqual(t, cases.DeadlinePending, d.Status, "deadline %s left pending", d.Kind)
	}
}

// The state query shows the live case.
func TestQueryState(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	var st CaseState
	h.at(30*time.Minute, func() {
		v, err := h.env.QueryWorkflow(QueryState)
		require.NoError(t, err)
		require.NoError(t, v.Get(&st))
	})
	h.send(time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
	h.run()
	require.Equal(t, h.in.CaseID, st.CaseID)
	require.Equal(t, cases.StageAwaitingReply, st.Stage)
	require.Equal(t, cases.StatusOpen, st.Status)
	require.Equal(t, cases.IssueQuality, st.Issue)
	require.Equal(t, cases.SeverityBad, st.Severity)
	require.Len(t, st.Messages, 1)
	require.Equal(t, "first_contact", st.Messages[0].Kind)
	require.Len(t, st.Tasks, 1)
	require.Equal(t, cases.TaskVerify, st.Tasks[0].Kind)
	require.NotEmpty(t, st.Deadlines)
	require.Greater(t, st.EventCount, int64(5))
}

// Cancelling the workflow from outside still closes the case in the index.
func TestExternalCancelClosesCase(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	h.at(time.Hour, func() { h.env.CancelWorkflow() })
	h.env.ExecuteWorkflow(CaseWorkflow, h.in)
	require.True(t, h.env.IsWorkflowCompleted())
	require.Error(t, h.env.GetWorkflowError())
	c := h.lastCase()
	require.Equal(t, cases.StatusClosed, c.Status)
	require.Equal(t, cases.TaskCancelled, h.tasks()[h.taskID(cases.TaskVerify, 1)].Status)
	h.checkAuditTrail()
}

// An agent reclassifies; the remedy options follow the new issue.
func TestReclassify(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	h.send(5*time.Minute, UpdateReclassify, ReclassifyRequest{Issue: cases.IssueLogisticsDelay, Reason: "photos show a late parcel, item fine", Actor: agent}, "")
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyShippingCompensation}})
	h.run()
	re := h.events(cases.EventReclassified)
	require.Len(t, re, 1)
	require.Equal(t, agent.ID, re[0].Actor)
	require.Equal(t, cases.IssueLogisticsDelay, h.lastCase().Issue)
	require.Len(t, h.refunds, 1, "shipping compensation is paid as a refund")
	require.Equal(t, cases.Money(1200), h.refunds[0].Request.Amount, "1.5 × the 8.00 shipping fee")
}
