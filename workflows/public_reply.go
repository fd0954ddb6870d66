package workflows

import (
	"encoding/json"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// publicReply posts the review's one public reply when private contact
// failed, or as the public half of an apology. Platform rules decide first:
// Amazon has no public channel; Taobao closes replies after 追评 or 30 days;
// eBay replies need a person's approval. It reports whether a reply is up.
func (r *caseRun) publicReply(ctx workflow.Context, why string) (bool, error) {
	r.setStage(ctx, cases.StagePublicReply)
	if r.view.PublicReply != nil {
		return true, nil // one public reply per review
	}
	if !r.rules.PublicReply {
		r.record(ctx, cases.EventPublicReplyPosted, cases.SystemActor, map[string]any{
			"posted": false, "reason": "no_public_channel", "marketplace": r.rules.Marketplace,
		})
		return false, r.flush(ctx)
	}
	r.startDeadline(ctx, cases.DeadlinePublicReply, workflow.Now(ctx), r.sla.PublicReply)
	if blocked, err := r.replyBlocked(ctx); err != nil || blocked != "" {
		if blocked != "" {
			r.cancelDeadline(ctx, cases.DeadlinePublicReply, blocked)
			r.record(ctx, cases.EventPublicReplyPosted, cases.SystemActor, map[string]any{"posted": false, "reason": blocked})
		}
		return false, err
	}

	remedy := cases.RemedyType("")
	if why == "apology" {
		remedy = cases.RemedyApology
	}
	draft, renderErr := r.render(cases.PurposePublicReply, remedy, 0)
	v := r.verdict(ctx, cases.TextPublicReply, draft, false)
	violations := v.Violations
	var doubts []cases.Violation
	if len(violations) == 0 && draft != "" {
		doubts = r.managerDoubts(ctx, v, cases.SystemActor)
	}
	text, by := draft, cases.SystemActor
	if r.rules.ReplyNeedsHumanApproval || renderErr != nil || len(violations) > 0 || len(doubts) > 0 {
		id := r.openTask(ctx, cases.TaskApproveReply, ApproveReplyInput{
			Draft: draft, MaxChars: r.rules.PublicReplyMaxChars, Violations: violations, GuardDoubts: doubts,
		}, r.dueOf(cases.DeadlinePublicReply))
		done, err := r.awaitReplyApproval(ctx, id, why)
		if err != nil || done == nil {
			return r.view.PublicReply != nil, err // a reply seen on the platform counts
		}
		if !done.Approval.Approved {
			r.cancelDeadline(ctx, cases.DeadlinePublicReply, "reply_rejected: "+done.Approval.Reason)
			return false, r.flush(ctx)
		}
		text, by = r.replyText(r.task(id), *done.Approval), done.Actor
	}

	rv := r.in.Review
	res, ok, err := callMarket[activities.ReplyInput, marketplace.WriteResult](ctx, r, marketStep[activities.ReplyInput]{
		Step: msgPublicReply, Call: "post_public_reply", Activity: acts.PostPublicReply,
		Params: activities.ReplyInput{Marketplace: rv.Marketplace, Guard: r.guardContext(false), Request: marketplace.ReplyRequest{
			ShopID: rv.ShopID, ReviewID: rv.ReviewID, OrderID: rv.OrderID, Text: text,
		}},
		WithKey: func(p activities.ReplyInput, k string) activities.ReplyInput { p.Request.IdempotencyKey = k; return p },
		Check:   func(p activities.ReplyInput) error { return r.guardText(cases.TextPublicReply, p.Request.Text, false) },
	})
	if err != nil || !ok {
		return false, err
	}
	if inc := r.incident(r.in.CaseID + "-" + msgPublicReply); inc != nil {
		var p activities.ReplyInput
		if json.Unmarshal(inc.Params, &p) == nil && p.Request.Text != "" {
			text = p.Request.Text
		}
	}
	r.record(ctx, cases.EventPublicReplyPosted, by, map[string]any{"posted": true, "ref": res.ID, "why": why, "text": text})
	r.meetDeadline(ctx, cases.DeadlinePublicReply)
	return true, r.flush(ctx)
}

// replyBlocked reads the review to enforce one reply per review and
// Taobao's window; it names the reason a reply may not be posted.
func (r *caseRun) replyBlocked(ctx workflow.Context) (string, error) {
	switch {
	case r.reviewEnd != "":
		return "review_" + string(r.reviewEnd), nil
	case r.replyClosed != "":
		return r.replyClosed, nil
	}
	if r.rules.PublicReplyWindow > 0 && !r.in.Review.CreatedAt.IsZero() &&
		workflow.Now(ctx).Sub(r.in.Review.CreatedAt) > r.rules.PublicReplyWindow {
		return "reply_window_closed", nil
	}
	st, ok, err := r.readReview(ctx, "review_before_reply")
	if err != nil || !ok {
		return "", err
	}
	switch {
	case st.Removed:
		return "review_removed", nil
	case st.HasReply:
		return "already_replied", nil
	case st.FollowUp && r.rules.ReplyBlockedByFollowUp:
		return "follow_up_review_posted", nil
	}
	return "", nil
}

// replyText is the approved reply: the manager's edit, or the draft.
func (r *caseRun) replyText(t *cases.Task, a Approval) string {
	if a.Text != "" {
		return a.Text
	}
	var in ApproveReplyInput
	if t != nil {
		_ = json.Unmarshal(t.Input, &in)
	}
	return in.Draft
}

func (r *caseRun) readReview(ctx workflow.Context, step string) (marketplace.ReviewState, bool, error) {
	rv := r.in.Review
	return callMarket[activities.ReviewInput, marketplace.ReviewState](ctx, r, marketStep[activities.ReviewInput]{
		Step: step, Call: "get_review", Activity: acts.GetReview,
		Params: activities.ReviewInput{Marketplace: rv.Marketplace, ShopID: rv.ShopID, ReviewID: rv.ReviewID},
	})
}

// awaitReplyApproval waits for the manager's decision on a drafted reply. A
// reply posted because the buyer was silent is dropped if the buyer answers
// first: the private path is open again (nil result).
func (r *caseRun) awaitReplyApproval(ctx workflow.Context, taskID, why string) (*CompleteTaskRequest, error) {
	if err := r.sync(ctx); err != nil {
		return nil, err
	}
	replies := len(r.view.BuyerReplies)
	buyerAnswered := func() bool { return why == whyNoPrivateAnswer && len(r.view.BuyerReplies) > replies }
	// A review change (a 追评, a reply seen on the platform) settles it too.
	settled := func() bool { return r.replyClosed != "" || r.view.PublicReply != nil }
	decided := func() bool { _, ok := r.taskResults[taskID]; return ok || buyerAnswered() || settled() }
	rested := r.atRest(decided)
	err := workflow.Await(ctx, decided)
	rested()
	if err != nil {
		return nil, err
	}
	if done, ok := r.taskResults[taskID]; ok {
		return &done, nil
	}
	r.cancelTask(ctx, taskID, cases.SystemActor, "buyer replied: private path reopened")
	r.cancelDeadline(ctx, cases.DeadlinePublicReply, "buyer_replied")
	return nil, r.flush(ctx)
}

// whyNoPrivateAnswer: the public reply stands in for a private answer.
const whyNoPrivateAnswer = "no_private_answer"
