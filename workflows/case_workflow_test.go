package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

var issueTexts = map[cases.Issue]string{
	cases.IssueLogisticsDelay:        "The package arrived late, shipping was slow.",
	cases.IssueDamagedOrLost:         "The item arrived broken, the box was crushed.",
	cases.IssueQuality:               "Poor quality, it stopped working after two days.",
	cases.IssueNotAsDescribed:        "Wrong color, not as described at all.",
	cases.IssueServiceAttitude:       "Rude seller who ignored my messages.",
	cases.IssueBuyerMisunderstanding: "I don't know how to set it up, there are no instructions.",
	cases.IssueSuspectedMalicious:    "Give me money or I will leave more bad reviews.",
}

// The private path for every ordinary issue: automatic first contact, reply,
// verification, remedy, follow-up, revised review.
func TestHappyPathEachIssue(t *testing.T) {
	for _, issue := range cases.Issues {
		if issue == cases.IssueSuspectedMalicious {
			continue
		}
		t.Run(string(issue), func(t *testing.T) {
			h := newHarness(t, cases.EBay, issueTexts[issue], 2)
			h.review.Revised, h.review.Rating = true, 4
			opt := h.firstOption(issue, cases.RespMerchant)
			h.verifyAs(10*time.Minute, cases.RespMerchant)
			h.buyerReplies(20*time.Minute, "m-1")
			h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})

			res := h.run()
			require.Equal(t, cases.OutcomeRevised, res.Outcome)
			require.False(t, res.Breached)
			c := h.lastCase()
			require.Equal(t, issue, c.Issue)
			require.Equal(t, cases.StageClosed, c.Stage)
			require.Equal(t, cases.StatusClosed, c.Status)
			require.Equal(t, opt.Type, c.Remedy)
			require.NotNil(t, c.FirstContactAt)

			// First contact went out at once, the offer before any money moved, then the follow-up.
			require.GreaterOrEqual(t, len(h.messages), 3)
			require.Equal(t, h.in.CaseID+":message_first_contact:1", h.messages[0].Request.IdempotencyKey)
			require.True(t, strings.HasPrefix(h.order[1], "message:"+h.in.CaseID+":message_remedy_offer:1"), h.order)
			require.Equal(t, h.in.CaseID+":message_follow_up:1", h.messages[len(h.messages)-1].Request.IdempotencyKey)
			dl := h.deadlines()
			require.Equal(t, cases.DeadlineMet, dl[cases.DeadlineFirstContact].Status)
			require.Equal(t, cases.DeadlineMet, dl[cases.DeadlineSolution].Status)
			require.Equal(t, cases.DeadlineMet, dl[cases.DeadlineResolution].Status)
			require.Len(t, h.events(cases.EventRemedyCompleted), 1)
			require.Len(t, h.events(cases.EventSellerAlerted), 1)
			require.NotEmpty(t, h.alerts)
			require.Equal(t, "new_case", string(h.alerts[0].Kind))
		})
	}
}

// No reply by the no-reply point → public reply (Mercado Libre posts it
// without a person), then the buyer stays unreachable.
func TestNoReplyGoesPublic(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 1)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	res := h.run()
	require.Equal(t, cases.OutcomeBuyerUnreachable, res.Outcome)
	require.Len(t, h.replies, 1)
	require.Equal(t, h.in.CaseID+":public_reply:1", h.replies[0].Request.IdempotencyKey)
	require.LessOrEqual(t, len([]rune(h.replies[0].Request.Text)), 159)
	require.Equal(t, cases.DeadlineMet, h.deadlines()[cases.DeadlinePublicReply].Status)
	require.Len(t, h.events(cases.EventPublicReplyPosted), 1)
}

// A reply after the public reply reopens the private path.
func TestLateReplyReopensPrivatePath(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueDamagedOrLost], 1)
	h.in.Settings.ReviewCheckDelay = 72 * time.Hour
	opt := h.firstOption(cases.IssueDamagedOrLost, cases.RespCourier)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	// no-reply point is 12 h after contact; the reply comes at 20 h.
	h.buyerReplies(20*time.Hour, "m-late")
	h.complete(21*time.Hour, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})
	res := h.run()
	require.Equal(t, cases.OutcomeUnchanged, res.Outcome)
	require.Len(t, h.replies, 1, "public reply posted while the buyer was silent")
	require.Len(t, h.events(cases.EventRemedyCompleted), 1, "remedy executed after the late reply")
}

// Duplicate buyer replies (webhook redelivery, agent re-entry) are recorded once.
func TestDuplicateBuyerReplyIgnored(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	opt := h.firstOption(cases.IssueQuality, cases.RespMerchant)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.buyerReplies(21*time.Minute, "m-1")
	h.send(22*time.Minute, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "again", Actor: agent}, CodeDuplicate)
	h.send(23*time.Minute, UpdateBuyerReply, BuyerReply{MessageID: "m-2", Text: "more", Actor: agent}, "")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})
	h.run()
	require.Len(t, h.events(cases.EventBuyerReplied), 2)
}

// A confirmed malicious buyer is appealed against, never compensated.
func TestMaliciousAppeal(t *testing.T) {
	for _, won := range []bool{true, false} {
		t.Run(map[bool]string{true: "won", false: "lost"}[won], func(t *testing.T) {
			h := newHarness(t, cases.Taobao, issueTexts[cases.IssueSuspectedMalicious], 1)
			h.verifyAs(time.Hour, cases.RespMaliciousBuyer)
			// Taobao has no appeal API: filing without saying so is refused.
			h.complete(2*time.Hour, cases.TaskPrepareAppeal, 1, agent, CompleteTaskRequest{Appeal: &AppealFiling{Statement: "Buyer demanded money."}})
			h.outcomes[len(h.outcomes)-1].wantCode = CodeWrongPayload
			h.complete(3*time.Hour, cases.TaskPrepareAppeal, 1, agent, CompleteTaskRequest{Appeal: &AppealFiling{
				Statement: "The buyer demanded money in exchange for the review.", Evidence: []string{"chat-1"}, FiledManually: true, Reference: "TB-APL-9",
			}})
			h.complete(30*time.Hour, cases.TaskRecordAppealOutcome, 1, agent, CompleteTaskRequest{AppealOutcome: &AppealOutcome{Won: won}})
			res := h.run()
			want := cases.OutcomeAppealLost
			if won {
				want = cases.OutcomeAppealWon
			}
			require.Equal(t, want, res.Outcome)
			require.Empty(t, h.messages, "a malicious buyer is not contacted")
			require.Empty(t, h.refunds)
			require.Empty(t, h.coupons)
			require.Equal(t, cases.IssueSuspectedMalicious, h.lastCase().Issue)
			dl := h.deadlines()[cases.DeadlineAppeal]
			require.Equal(t, cases.DeadlineMet, dl.Status)
			require.Len(t, h.events(cases.EventAppealSubmitted), 1)
		})
	}
}

// A remedy above the limit needs a manager; a rejection sends it back to
// choose_remedy with the reason, and an approval lets it run.
func TestRemedyApprovalRejectedThenApproved(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 1)
	h.in.Settings.ApprovalLimit = 1000 // 10.00: a full refund of 59.90 needs approval
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	refund := CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}}
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, refund)
	// An agent cannot approve.
	h.complete(35*time.Minute, cases.TaskApproveRemedy, 1, agent, CompleteTaskRequest{Approval: &Approval{Approved: true}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeNotManager
	h.complete(40*time.Minute, cases.TaskApproveRemedy, 1, manager, CompleteTaskRequest{Approval: &Approval{Approved: false, Reason: "try a reship first"}})
	h.complete(50*time.Minute, cases.TaskChooseRemedy, 2, agent, refund)
	h.complete(60*time.Minute, cases.TaskApproveRemedy, 2, manager, CompleteTaskRequest{Approval: &Approval{Approved: true, Reason: "repeat customer"}})
	h.run()
	require.Len(t, h.events(cases.EventRemedyRejected), 1)
	require.Len(t, h.events(cases.EventRemedyApproved), 1)
	require.Contains(t, string(h.tasks()[h.taskID(cases.TaskChooseRemedy, 2)].Input), "try a reship first")
	require.Len(t, h.refunds, 1)
	require.Equal(t, cases.Money(5990), h.refunds[0].Request.Amount)
	require.Equal(t, cases.Money(5990), h.lastCase().RemedyCost)
}

// A remedy step failing halfway opens an incident; a retry resumes the case.
func TestRemedyStepIncidentRetry(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueDamagedOrLost], 1)
	h.in.Review.Marketplace = cases.Amazon // reships through MCF
	h.failCalls["create_reship"] = 1
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
	incID := h.in.CaseID + "-remedy_reship"
	h.send(35*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: "nope", Action: IncidentRetry, Actor: agent}, CodeIncidentNotFound)
	h.send(36*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentSkip, Actor: agent}, CodeWrongPayload)
	h.send(40*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentRetry, Reason: "warehouse fixed", Actor: agent}, "")
	h.run()
	inc := h.incidents()[incID]
	require.Equal(t, cases.IncidentResolved, inc.Status)
	require.Equal(t, "create_reship", inc.Call)
	require.Equal(t, cases.ErrPermanent, inc.ErrorClass)
	require.Len(t, h.reships, 1)
	require.Equal(t, h.in.CaseID+":remedy_reship:1", h.reships[0].Request.IdempotencyKey)
	require.Len(t, h.events(cases.EventRemedyCompleted), 1, "the case continued after the retried step")
	require.Equal(t, cases.DeadlineMet, h.deadlines()[cases.DeadlineReship].Status)
	require.Len(t, h.events(cases.EventRemedyStepFailed), 1)
}

// A skipped step is on record and the case goes on.
func TestRemedyStepIncidentSkip(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueDamagedOrLost], 1)
	h.in.Review.Marketplace = cases.Amazon // reships through MCF
	h.failCalls["create_reship"] = 1
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
	h.send(40*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: h.in.CaseID + "-remedy_reship", Action: IncidentSkip,
		Reason: "shipped by hand from the store", Actor: manager}, "")
	h.run()
	require.Equal(t, cases.IncidentSkipped, h.incidents()[h.in.CaseID+"-remedy_reship"].Status)
	require.Empty(t, h.reships)
	done := h.events(cases.EventRemedyCompleted)
	require.Len(t, done, 1)
	require.Contains(t, string(done[0].Data), `"skipped":["reship"]`)
}

// A corrected message (shorter text) is retried under a new idempotency key.
func TestIncidentRetryWithCorrectedParams(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 2)
	h.failCalls["send_buyer_message"] = 1
	incID := h.in.CaseID + "-message_first_contact"
	h.send(5*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentRetry,
		Params: []byte(`{"request":{"text":"Hello, we are sorry. Call +1 555 123 4567"}}`), Actor: agent}, CodeGuardRejected)
	h.send(6*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentRetry,
		Params: []byte(`{"request":{"text":"We are sorry about the problem with your order. How can we help?"}}`), Actor: agent}, "")
	h.send(7*time.Minute, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
	res := h.run()
	require.Equal(t, cases.OutcomeClosedByManager, res.Outcome)
	require.Len(t, h.messages, 1)
	require.Equal(t, h.in.CaseID+":message_first_contact:2", h.messages[0].Request.IdempotencyKey)
	require.Equal(t, "We are sorry about the problem with your order. How can we help?", h.messages[0].Request.Text)
}

// Verification finding a malicious buyer while the contact task waits drops
// the contact and goes to appeal.
func TestMaliciousVerdictDuringContactGoesToAppeal(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 1)
	h.in.Settings.AutoContact = false
	h.verifyAs(time.Hour, cases.RespMaliciousBuyer)
	h.complete(2*time.Hour, cases.TaskPrepareAppeal, 1, agent, CompleteTaskRequest{Appeal: &AppealFiling{
		Statement: "Chat shows the buyer demanded a refund for a positive review.", FiledManually: true}})
	h.complete(3*time.Hour, cases.TaskRecordAppealOutcome, 1, agent, CompleteTaskRequest{AppealOutcome: &AppealOutcome{Won: false}})
	res := h.run()
	require.Equal(t, cases.OutcomeAppealLost, res.Outcome)
	require.Empty(t, h.messages)
	require.Empty(t, h.replies)
	require.Equal(t, cases.TaskCancelled, h.tasks()[h.taskID(cases.TaskContactBuyer, 1)].Status)
}
