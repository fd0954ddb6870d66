package workflows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// reviewChanges signals the review as it now stands at start+d.
func (h *harness) reviewChanges(d time.Duration, edit func(*cases.Review)) {
	rv := h.in.Review
	edit(&rv)
	h.at(d, func() { h.env.SignalWorkflow(SignalReviewChanged, ReviewChange{Review: rv, Source: "webhook"}) })
}

// A 5★ revision while the case waits (nothing pending) closes it at once as
// revised: open tasks are cancelled and no public reply goes out.
func TestRevisionClosesWaitingCase(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 1)
	h.reviewChanges(2*time.Hour, func(rv *cases.Review) { rv.Rating, rv.Text = 5, "Llegó, todo bien" })
	h.reviewChanges(2*time.Hour+time.Minute, func(rv *cases.Review) { rv.Rating = 1 }) // too late: the case is closed
	res := h.run()
	require.Equal(t, cases.OutcomeRevised, res.Outcome)
	require.Empty(t, h.replies)
	require.Equal(t, cases.TaskCancelled, h.tasks()[h.taskID(cases.TaskVerify, 1)].Status)
	changed := h.events(cases.EventReviewChanged)
	require.Len(t, changed, 1)
	var d struct {
		Source string         `json:"source"`
		From   map[string]any `json:"from"`
		To     map[string]any `json:"to"`
	}
	require.NoError(t, json.Unmarshal(changed[0].Data, &d))
	require.Equal(t, "webhook", d.Source)
	require.EqualValues(t, 1, d.From["rating"])
	require.EqualValues(t, 5, d.To["rating"])
	c := h.lastCase()
	require.Equal(t, 5, c.Rating)
	require.Equal(t, "Llegó, todo bien", c.Text)
	require.Equal(t, ReviewDigest(cases.Review{Rating: 5, Text: "Llegó, todo bien"}), c.ReviewDigest)
	require.Equal(t, testStart.Add(2*time.Hour), *c.ClosedAt)
}

// A removal during a manual refund: the refund the buyer was promised is
// finished first, then the case closes as removed, without a follow-up.
func TestRemovalDuringRemedyClosesAfterItsSteps(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueQuality], 1)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
	h.reviewChanges(35*time.Minute, func(rv *cases.Review) { rv.Removed = true })
	h.complete(50*time.Minute, cases.TaskManualStep, 1, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "AMZ-RF-1"}})
	res := h.run()
	require.Equal(t, cases.OutcomeRemoved, res.Outcome)
	require.Len(t, h.events(cases.EventRemedyCompleted), 1)
	require.Equal(t, testStart.Add(50*time.Minute), *h.lastCase().ClosedAt)
	require.Len(t, h.messages, 2, "first contact and offer; no follow-up")
	require.Empty(t, h.events(cases.EventFollowUpSent))
}

// A worse edit is reclassified and alerts the seller; the same content
// redelivered changes nothing; the case goes on.
func TestWorseEditReclassifiesAndAlerts(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	worse := func(rv *cases.Review) { rv.Rating, rv.Text = 1, "It arrived broken, the box was crushed." }
	h.reviewChanges(time.Hour, worse)
	h.reviewChanges(time.Hour+time.Minute, worse)
	h.send(2*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
	res := h.run()
	require.Equal(t, cases.OutcomeClosedByManager, res.Outcome)
	require.Len(t, h.events(cases.EventReviewChanged), 1, "a redelivery is not a change")
	re := h.events(cases.EventReclassified)
	require.Len(t, re, 1)
	require.Contains(t, string(re[0].Data), `"to":"damaged_or_lost"`)
	require.Contains(t, string(re[0].Data), `"reason":"review_changed"`)
	require.Equal(t, cases.IssueDamagedOrLost, h.lastCase().Issue)
	require.Equal(t, cases.SeverityBad, h.lastCase().Severity)
	require.Equal(t, 1, h.lastCase().Rating)
	var kinds []string
	for _, a := range h.alerts {
		kinds = append(kinds, string(a.Kind))
	}
	require.Contains(t, kinds, alertReviewChanged)
}

// A Taobao 追评 closes the public reply window: no reply when the buyer stays silent.
func TestTaobaoFollowUpReviewClosesReplyWindow(t *testing.T) {
	h := newHarness(t, cases.Taobao, issueTexts[cases.IssueLogisticsDelay], 1)
	h.complete(5*time.Minute, cases.TaskContactBuyer, 1, agent, CompleteTaskRequest{Contact: &ContactResult{
		Message: "您好，非常抱歉物流太慢了。", Reference: "千牛 12:05"}})
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.reviewChanges(6*time.Hour, func(rv *cases.Review) { rv.FollowUpText = "追评：还是没有人联系我" })
	res := h.run()
	require.Equal(t, cases.OutcomeBuyerUnreachable, res.Outcome)
	require.Empty(t, h.replies)
	posted := h.events(cases.EventPublicReplyPosted)
	require.Len(t, posted, 1)
	require.Contains(t, string(posted[0].Data), `"reason":"follow_up_review_posted"`)
	require.Len(t, h.events(cases.EventSellerAlerted), 2, "the 追评 alerts the seller")
}

// A reply seen on the platform (posted in the seller console) is the
// review's reply: the approval waiting for it is dropped, its deadline met.
func TestReplySeenOnPlatformIsThePublicReply(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	// No answer by 12 h → approve_reply opens; the reply shows up at 14 h.
	h.reviewChanges(14*time.Hour, func(rv *cases.Review) { rv.Replied = true })
	res := h.run()
	require.Equal(t, cases.OutcomeBuyerUnreachable, res.Outcome)
	require.Empty(t, h.replies)
	require.Equal(t, cases.TaskCancelled, h.tasks()[h.taskID(cases.TaskApproveReply, 1)].Status)
	require.Equal(t, cases.DeadlineMet, h.deadlines()[cases.DeadlinePublicReply].Status)
	posted := h.events(cases.EventPublicReplyPosted)
	require.Len(t, posted, 1)
	require.JSONEq(t, `{"posted":true,"seen_on_platform":true}`, string(posted[0].Data))
}
