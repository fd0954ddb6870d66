package workflows

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// Amazon refunds only in Seller Central: the refund is a manual_step task
// with the console path, amount and currency; the validator wants a bounded
// reference; the remedy is done manually, by the agent, with that reference.
func TestAmazonRefundIsAManualStep(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueQuality], 1)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
	step := h.taskID(cases.TaskManualStep, 1)
	for i, ref := range []string{"", "   ", strings.Repeat("x", maxReferenceChars+1)} {
		h.complete(40*time.Minute+time.Duration(i)*time.Minute, cases.TaskManualStep, 1, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: ref}})
		h.outcomes[len(h.outcomes)-1].wantCode = CodeWrongPayload
	}
	// The wrong payload for the kind is refused too.
	h.complete(44*time.Minute, cases.TaskManualStep, 1, agent, CompleteTaskRequest{Contact: &ContactResult{Message: "done"}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeWrongPayload
	h.complete(45*time.Minute, cases.TaskManualStep, 1, agent2, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "AMZ-RF-4471"}})

	res := h.run()
	require.Equal(t, cases.OutcomeUnchanged, res.Outcome)
	require.Empty(t, h.refunds, "no connector call for a step without an API")
	require.Empty(t, h.incidents())

	task := h.tasks()[step]
	require.Equal(t, cases.TaskCompleted, task.Status)
	require.Equal(t, cases.RoleAgent, task.Role)
	var in ManualStepInput
	require.NoError(t, json.Unmarshal(task.Input, &in))
	require.Equal(t, "refund", in.Step)
	require.Equal(t, "no_refund_api", in.Why)
	require.Equal(t, cases.Money(5990), in.Amount)
	require.Equal(t, "USD", in.Currency)
	require.Contains(t, in.Console, "Seller Central → Orders → Manage Orders → search order ord-1")
	require.Contains(t, in.Console, "59.90 USD")
	require.NotEmpty(t, in.Reference)

	var done map[string]any
	for _, e := range h.events(cases.EventRemedyStepDone) {
		require.NoError(t, json.Unmarshal(e.Data, &done))
		if done["step"] == "refund" {
			require.Equal(t, agent2.ID, e.Actor)
			break
		}
	}
	require.Equal(t, map[string]any{"step": "refund", "ref": "AMZ-RF-4471", "manual": true, "by": agent2.ID}, done)
	require.Equal(t, cases.DeadlineMet, h.deadlines()["manual_refund"].Status)
	require.Len(t, h.events(cases.EventRemedyCompleted), 1)
}

// A manual step nobody does breaches its deadline: reminded at 80 %, then
// escalated with the task urgent, like every other deadline.
func TestManualStepBreachEscalates(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueQuality], 1)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
	h.send(30*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "refunded by phone banking", Actor: manager}, "")
	res := h.run()
	require.True(t, res.Breached)
	dl := h.deadlines()["manual_refund"]
	require.True(t, dl.Reminded)
	require.Equal(t, cases.DeadlineBreached, dl.Status)
	require.Equal(t, testStart.Add(30*time.Minute+manualStepSLA), dl.DueAt)
	require.Len(t, h.eventsOfKind(cases.EventEscalated, "manual_refund"), 1)
	breached := false
	for _, a := range h.alerts {
		breached = breached || (a.Kind == "deadline_breached" && a.Deadline == "manual_refund")
	}
	require.True(t, breached, "managers were alerted")
	task := h.tasks()[h.taskID(cases.TaskManualStep, 1)]
	require.Equal(t, cases.PriorityUrgent, task.Priority)
	require.Equal(t, cases.TaskCancelled, task.Status)
	require.Empty(t, h.refunds)
}

// Taobao's chat is not in TOP: first contact is a contact_buyer task sent in
// 千牛 (no eligibility read, no send), the remedy offer and the reship are
// manual steps, and so is the follow-up.
func TestTaobaoMessagesAreManual(t *testing.T) {
	h := newHarness(t, cases.Taobao, issueTexts[cases.IssueDamagedOrLost], 1)
	const hello = "您好，非常抱歉商品有损坏，我们马上为您处理。"
	h.complete(5*time.Minute, cases.TaskContactBuyer, 1, agent, CompleteTaskRequest{Contact: &ContactResult{Message: hello,
		Reference: strings.Repeat("x", maxReferenceChars+1)}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeWrongPayload // reference too long
	h.complete(6*time.Minute, cases.TaskContactBuyer, 1, agent, CompleteTaskRequest{Contact: &ContactResult{Message: hello, Reference: "千牛 12:06"}})
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
	h.complete(40*time.Minute, cases.TaskManualStep, 1, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "千牛 12:40"}})
	h.complete(50*time.Minute, cases.TaskManualStep, 2, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "SF1234567890"}})
	// Follow-up 1 h after the remedy (50 m).
	h.complete(2*time.Hour, cases.TaskManualStep, 3, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "千牛 14:00"}})
	res := h.run()
	require.Equal(t, cases.OutcomeUnchanged, res.Outcome)
	require.Empty(t, h.messages, "no message goes through a connector")
	require.Empty(t, h.reships)
	require.Empty(t, h.incidents())

	tasks := h.tasks()
	var contactIn ContactTaskInput
	require.NoError(t, json.Unmarshal(tasks[h.taskID(cases.TaskContactBuyer, 1)].Input, &contactIn))
	require.True(t, contactIn.Manual)
	require.Equal(t, "no_message_api", contactIn.Reason)
	require.Contains(t, contactIn.Console, "千牛 → 接待中心")

	steps := map[string]ManualStepInput{}
	for n := 1; n <= 3; n++ {
		var in ManualStepInput
		require.NoError(t, json.Unmarshal(tasks[h.taskID(cases.TaskManualStep, n)].Input, &in))
		steps[in.Step] = in
	}
	require.Equal(t, "message", steps[msgRemedyOffer].Action)
	require.NotEmpty(t, steps[msgRemedyOffer].Text, "the guarded text to send")
	require.Contains(t, steps["reship"].Console, "补发")
	require.Equal(t, "message", steps[msgFollowUp].Action)

	var kinds []string
	for _, e := range h.events(cases.EventMessageSent) {
		var d map[string]any
		require.NoError(t, json.Unmarshal(e.Data, &d))
		require.Equal(t, true, d["manual"])
		require.Equal(t, agent.ID, e.Actor)
		kinds = append(kinds, d["kind"].(string))
	}
	require.Equal(t, []string{msgFirstContact, msgRemedyOffer, msgFollowUp}, kinds)
	dl := h.deadlines()
	require.Equal(t, cases.DeadlineMet, dl[cases.DeadlineFirstContact].Status)
	require.Equal(t, cases.DeadlineMet, dl[cases.DeadlineSolution].Status, "the manual offer is the solution")
	require.Equal(t, cases.DeadlineMet, dl[cases.DeadlineReship].Status)
	require.Equal(t, cases.DeadlineMet, dl["manual_follow_up"].Status)
	require.Len(t, h.events(cases.EventFollowUpSent), 1)
}

// A connector's not_supported where the flags say the API exists (an eBay
// refund) is still an incident: the flags, not the error, decide.
func TestNotSupportedWithAnAPIIsAnIncident(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 1)
	h.failCalls["issue_refund"] = 1
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
	h.send(40*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: h.in.CaseID + "-remedy_refund",
		Action: IncidentRetry, Reason: "order released", Actor: agent}, "")
	h.run()
	require.Equal(t, cases.IncidentResolved, h.incidents()[h.in.CaseID+"-remedy_refund"].Status)
	require.Len(t, h.refunds, 1)
	require.NotContains(t, h.tasks(), h.taskID(cases.TaskManualStep, 1))
}
