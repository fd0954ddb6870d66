package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Defaults when the shop set no delays.
const (
	defaultFollowUpDelay    = 24 * time.Hour // as FOLLOW_UP_DELAY's default
	defaultReviewCheckDelay = 72 * time.Hour // as REVIEW_CHECK_DELAY's default
)

// followUp checks in with the buyer after the remedy, never asking for a
// review change, then checks the review for the outcome.
func (r *caseRun) followUp(ctx workflow.Context) (cases.Outcome, error) {
	if r.reviewEnd != "" {
		return r.reviewEnd, nil // revised or removed while the remedy ran
	}
	r.setStage(ctx, cases.StageFollowUp)
	if err := r.sync(ctx); err != nil {
		return "", err
	}
	rested := r.atRest(neverWakes)
	err := sleep(ctx, orDefault(r.settings.FollowUpDelay, defaultFollowUpDelay), "follow_up")
	rested()
	if err != nil {
		return "", err
	}
	text, err := r.render(cases.PurposeFollowUp, "", 0)
	if r.byHand(ctx, r.rules.MessageAPI) {
		if err := r.followUpByHand(ctx, text, err); err != nil {
			return "", err
		}
		return r.checkReview(ctx, cases.OutcomeUnchanged)
	}
	v := r.verdict(ctx, cases.TextMessage, text, false)
	vs := v.Violations
	closed, eligErr := r.conversationClosed(ctx)
	if eligErr != nil {
		return "", eligErr
	}
	switch {
	case err != nil || len(vs) > 0:
		r.record(ctx, cases.EventMessageBlocked, cases.SystemActor, map[string]any{"kind": msgFollowUp, "violations": vs})
	case closed != "":
		// Mercado Libre closes the conversation after a refund: the follow-up
		// is skipped, not forced, and the review check still runs.
		r.record(ctx, cases.EventMessageBlocked, cases.SystemActor, map[string]any{"kind": msgFollowUp, "reason": closed})
	default:
		by := cases.SystemActor
		if doubts := r.byHandDoubts(ctx, v, cases.SystemActor); len(doubts) > 0 {
			// A follow-up the guard is unsure about waits for a manager, who
			// sends it as it is, edited, or says it went outside Redress.
			done, err := r.followUpForAManager(ctx, text, doubts)
			if err != nil {
				return "", err
			}
			if done.Contact.SentOutside {
				r.record(ctx, cases.EventFollowUpSent, done.Actor, map[string]any{"outside_redress": true})
				return r.checkReview(ctx, cases.OutcomeUnchanged)
			}
			text, by = done.Contact.Message, done.Actor
		}
		sent, err := r.sendMessage(ctx, msgFollowUp, text, false, by)
		if err != nil {
			return "", err
		}
		if sent {
			r.record(ctx, cases.EventFollowUpSent, by, nil)
		}
	}
	return r.checkReview(ctx, cases.OutcomeUnchanged)
}

// followUpForAManager opens a contact_buyer task for a manager (it carries
// the guard's doubts) with the follow-up text and waits for it.
func (r *caseRun) followUpForAManager(ctx workflow.Context, text string, doubts []cases.Violation) (CompleteTaskRequest, error) {
	id := r.openTask(ctx, cases.TaskContactBuyer, ContactTaskInput{
		Draft: text, MaxChars: r.rules.MessageMaxChars, Charset: r.rules.MessageCharset, Reason: doubtReason(doubts),
		ForbidReview: r.rules.ForbidsReviewChangeRequest, GuardDoubts: doubts,
	}, nil)
	return r.awaitTask(ctx, id)
}

// conversationClosed asks the platform whether the buyer can still be
// messaged; it returns why not ("" when messaging is allowed). Cases started
// before this check existed keep their recorded behaviour.
func (r *caseRun) conversationClosed(ctx workflow.Context) (string, error) {
	if r.version(ctx, "follow-up-checks-eligibility") == workflow.DefaultVersion {
		return "", nil
	}
	elig, ok, err := callMarket[activities.OrderInput, marketplace.Eligibility](ctx, r, marketStep[activities.OrderInput]{
		Step: "follow_up_eligibility", Call: "message_eligibility", Activity: acts.MessageEligibility,
		Params: r.orderInput(),
	})
	switch {
	case err != nil:
		return "", err
	case !ok:
		return "eligibility_unknown", nil
	case !elig.Allowed:
		return "conversation_closed: " + elig.Reason, nil
	}
	return "", nil
}

// checkReview waits the shop's review-check delay and reads the review:
// removed or revised wins; otherwise the fallback outcome stands. Amazon has
// no API to read reviews, so there the fallback is final.
func (r *caseRun) checkReview(ctx workflow.Context, fallback cases.Outcome) (cases.Outcome, error) {
	r.setStage(ctx, cases.StageFollowUp)
	if fallback != cases.OutcomeBuyerUnreachable {
		// Nobody waits on the follow-up message itself: the index got the
		// stage at the follow-up wait and gets the rest at close.
		sync := r.sync
		if r.mirror >= 2 {
			sync = r.flush
		}
		if err := sync(ctx); err != nil {
			return "", err
		}
		rested := r.atRest(neverWakes)
		err := sleep(ctx, orDefault(r.settings.ReviewCheckDelay, defaultReviewCheckDelay), "review_check")
		rested()
		if err != nil {
			return "", err
		}
	}
	if !reviewsReadable(r.rules) {
		r.record(ctx, cases.EventReviewChecked, cases.SystemActor, map[string]any{"readable": false, "outcome": fallback})
		return fallback, nil
	}
	st, ok, err := r.readReview(ctx, "review_check")
	if err != nil {
		return "", err
	}
	outcome := fallback
	switch {
	case !ok:
	case st.Removed:
		outcome = cases.OutcomeRemoved
	case st.Revised || st.Rating > r.in.Review.Rating:
		outcome = cases.OutcomeRevised
	}
	r.record(ctx, cases.EventReviewChecked, cases.SystemActor, map[string]any{
		"read": ok, "rating": st.Rating, "removed": st.Removed, "revised": st.Revised, "outcome": outcome,
	})
	return outcome, nil
}

// reviewsReadable: Amazon's SP-API offers no way to read a review.
func reviewsReadable(rules cases.PlatformRules) bool { return rules.Marketplace != cases.Amazon }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
