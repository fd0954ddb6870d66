package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// eBay bans automated replies to feedback: a manager approves (and may edit)
// the reply; the guard vets the edit before it is accepted.
func TestEBayPublicReplyNeedsApproval(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	approve := cases.TaskApproveReply
	// No reply by 12 h → approve_reply opens.
	h.complete(13*time.Hour, approve, 1, agent, CompleteTaskRequest{Approval: &Approval{Approved: true}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeNotManager
	h.complete(13*time.Hour+time.Minute, approve, 1, manager, CompleteTaskRequest{Approval: &Approval{Approved: true,
		Text: "Sorry for the delay. Visit www.example-shop.com for help."}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeGuardRejected
	edited := "We are sorry the parcel was late. We have contacted the buyer privately to make this right."
	h.complete(13*time.Hour+2*time.Minute, approve, 1, manager, CompleteTaskRequest{Approval: &Approval{Approved: true, Text: edited}})
	res := h.run()
	require.Equal(t, cases.OutcomeBuyerUnreachable, res.Outcome)
	require.Len(t, h.replies, 1)
	require.Equal(t, edited, h.replies[0].Request.Text)
	posted := h.events(cases.EventPublicReplyPosted)
	require.Len(t, posted, 1)
	require.Equal(t, manager.ID, posted[0].Actor)
}

// Amazon has no public reply channel: recorded and skipped, review never read.
func TestAmazonHasNoPublicReply(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueLogisticsDelay], 1)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	res := h.run()
	require.Equal(t, cases.OutcomeBuyerUnreachable, res.Outcome)
	require.Empty(t, h.replies)
	posted := h.events(cases.EventPublicReplyPosted)
	require.Len(t, posted, 1)
	require.JSONEq(t, `{"posted":false,"reason":"no_public_channel","marketplace":"amazon"}`, string(posted[0].Data))
	_, hasPublic := h.deadlines()[cases.DeadlinePublicReply]
	require.False(t, hasPublic)
}

// Taobao: no reply after a 追评 (follow-up review).
func TestTaobaoNoReplyAfterFollowUpReview(t *testing.T) {
	h := newHarness(t, cases.Taobao, issueTexts[cases.IssueLogisticsDelay], 1)
	h.review.FollowUp = true
	h.complete(5*time.Minute, cases.TaskContactBuyer, 1, agent, CompleteTaskRequest{Contact: &ContactResult{
		Message: "您好，非常抱歉给您带来不便。", Reference: "千牛 10:05"}})
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.run()
	require.Empty(t, h.replies)
	require.Equal(t, cases.DeadlineCancelled, h.deadlines()[cases.DeadlinePublicReply].Status)
	posted := h.events(cases.EventPublicReplyPosted)
	require.Len(t, posted, 1)
	require.Contains(t, string(posted[0].Data), "follow_up_review_posted")
}

// A remedy with a public apology posts the review's one reply; Mercado Libre
// posts it without a person.
func TestApologyRemedyPostsOnePublicReply(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueServiceAttitude], 2)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyApology}})
	h.run()
	require.Len(t, h.replies, 1)
	require.LessOrEqual(t, len([]rune(h.replies[0].Request.Text)), 159)
	// The private apology went before the public one.
	require.Equal(t, "reply", h.order[2], h.order)
}

// A buyer who answers while the silent-buyer reply awaits approval reopens
// the private path: the drafted public reply is dropped.
func TestReplyWhileApprovalPendingDropsPublicReply(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	opt := h.firstOption(cases.IssueQuality, cases.RespMerchant)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(13*time.Hour, "m-late")
	h.complete(14*time.Hour, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})
	res := h.run()
	require.Equal(t, cases.OutcomeUnchanged, res.Outcome)
	require.Empty(t, h.replies)
	require.Equal(t, cases.TaskCancelled, h.tasks()[h.taskID(cases.TaskApproveReply, 1)].Status)
	require.Equal(t, cases.DeadlineCancelled, h.deadlines()[cases.DeadlinePublicReply].Status)
	require.Len(t, h.events(cases.EventRemedyCompleted), 1)
}
