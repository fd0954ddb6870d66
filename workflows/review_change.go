package workflows

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// changeReviewChanges: a review-changed signal acts on the case. Cases whose
// history holds such a signal from before the change ignored it and still do.
const changeReviewChanges = "review-changes-reach-case"

// alertReviewChanged is the seller alert for a review that got worse or new text.
const alertReviewChanged = "review_changed"

// ReviewDigest fingerprints what a buyer can change about a review: rating,
// text, removal, a 追评 and a visible reply. Equal digests mean a redelivery.
func ReviewDigest(rv cases.Review) string {
	h := sha256.New()
	for _, part := range []string{strconv.Itoa(rv.Rating), rv.Text, strconv.FormatBool(rv.Removed), rv.FollowUpText, strconv.FormatBool(rv.Replied)} {
		h.Write([]byte(strconv.Itoa(len(part)) + ":" + part + "|")) // length-prefixed: no two reviews collide
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// listenReviewChanges applies review-changed signals for the life of the case.
// Nobody waits for an answer, so a redelivery or a change to a closed case is
// dropped.
func (r *caseRun) listenReviewChanges(ctx workflow.Context) {
	changes := workflow.GetSignalChannel(ctx, SignalReviewChanged)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var c ReviewChange
			if !changes.Receive(ctx, &c) {
				return
			}
			next := mergeReview(r.review, c.Review)
			if r.closed() || r.reviewEnd != "" || ReviewDigest(next) == ReviewDigest(r.review) {
				continue
			}
			if r.version(ctx, changeReviewChanges) == workflow.DefaultVersion {
				continue
			}
			r.onReviewChanged(ctx, next, c.Source)
			r.settleQuietly(ctx)
		}
	})
}

// mergeReview takes the buyer-changeable fields of the review as it now
// stands. A 追评 and a visible reply, once seen, stay: a source that does not
// report them (a plain list) does not take them back.
func mergeReview(cur, now cases.Review) cases.Review {
	next := cur
	next.Rating, next.Text, next.Removed = now.Rating, now.Text, now.Removed
	if now.FollowUpText != "" {
		next.FollowUpText = now.FollowUpText
	}
	next.Replied = cur.Replied || now.Replied
	return next
}

// onReviewChanged records the change (old → new) and acts on it: a removal or
// a 4–5★ revision ends the case (see endByReview); otherwise a 追评 closes the
// public reply window where the platform says so, a reply seen on the platform
// is the case's public reply, and a worse rating or new text is reclassified
// and alerts the seller.
func (r *caseRun) onReviewChanged(ctx workflow.Context, next cases.Review, source string) {
	prev := r.review
	r.review = next
	r.record(ctx, cases.EventReviewChanged, cases.SystemActor, map[string]any{
		"source": source, "from": reviewSummary(prev), "to": reviewSummary(next),
		"review": next, "review_digest": ReviewDigest(next),
	})
	_, negative := cases.SeverityOf(next.Rating)
	switch {
	case next.Removed:
		r.endByReview(ctx, cases.OutcomeRemoved)
		return
	case !negative:
		r.endByReview(ctx, cases.OutcomeRevised)
		return
	}
	followUp := next.FollowUpText != prev.FollowUpText
	if followUp && r.rules.ReplyBlockedByFollowUp {
		r.closeReplyWindow(ctx, "follow_up_review_posted")
	}
	if next.Replied && !prev.Replied {
		r.replySeenOnPlatform(ctx)
	}
	if next.Rating < prev.Rating || next.Text != prev.Text || followUp {
		r.reclassifyOnChange(ctx, prev)
	}
}

// endByReview closes the case with the review's outcome. Remedy steps
// already running finish first (the buyer was promised them) and the case
// then closes without follow-up; anywhere else the playbook stops at once,
// so a pending public reply, task or wait is dropped.
func (r *caseRun) endByReview(ctx workflow.Context, outcome cases.Outcome) {
	r.reviewEnd = outcome
	if r.remedyRunning {
		workflow.GetLogger(ctx).Info("review changed during the remedy: closing after its steps", "outcome", outcome)
		return
	}
	r.cancelPlaybook()
}

// closeReplyWindow: the platform no longer takes a public reply (Taobao after
// a 追评). A reply awaiting approval is dropped with its deadline.
func (r *caseRun) closeReplyWindow(ctx workflow.Context, reason string) {
	r.replyClosed = reason
	if t := r.openTaskOf(cases.TaskApproveReply); t != nil {
		r.cancelTask(ctx, t.ID, cases.SystemActor, reason)
	}
	r.cancelDeadline(ctx, cases.DeadlinePublicReply, reason)
}

// replySeenOnPlatform: a public reply is up (posted in the seller console):
// it is the review's one reply, so the case posts none.
func (r *caseRun) replySeenOnPlatform(ctx workflow.Context) {
	if r.view.PublicReply != nil {
		return
	}
	if t := r.openTaskOf(cases.TaskApproveReply); t != nil {
		r.cancelTask(ctx, t.ID, cases.SystemActor, "public reply seen on the platform")
	}
	r.meetDeadline(ctx, cases.DeadlinePublicReply)
	r.record(ctx, cases.EventPublicReplyPosted, cases.SystemActor, map[string]any{"posted": true, "seen_on_platform": true})
}

// reclassifyOnChange classifies the review as it now reads and alerts the seller.
func (r *caseRun) reclassifyOnChange(ctx workflow.Context, prev cases.Review) {
	rv := r.review
	text := rv.Text
	if rv.FollowUpText != "" {
		text += "\n" + rv.FollowUpText
	}
	cls := cases.Classify(text, rv.Rating, r.language())
	if from := r.view.Case.Issue; cls.Issue != from {
		r.sla = r.slaFor(cls.Issue)
		r.record(ctx, cases.EventReclassified, cases.SystemActor, map[string]any{
			"from": from, "to": cls.Issue, "reason": "review_changed", "confidence": cls.Confidence,
		})
		r.upsertSearchAttributes(ctx)
	}
	msg := fmt.Sprintf("review %s changed: %d★ → %d★, %s", rv.ReviewID, prev.Rating, rv.Rating, r.view.Case.Issue)
	r.sendAlert(ctx, acts.AlertSeller, alertReviewChanged, "", msg)
	r.record(ctx, cases.EventSellerAlerted, cases.SystemActor, map[string]any{
		"severity": r.view.Case.Severity, "issue": r.view.Case.Issue, "reason": "review_changed",
	})
}

func reviewSummary(rv cases.Review) map[string]any {
	return map[string]any{
		"rating": rv.Rating, "text": rv.Text, "removed": rv.Removed,
		"follow_up_text": rv.FollowUpText, "replied": rv.Replied,
	}
}
