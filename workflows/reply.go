package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// Reply verdicts: what ended a wait for the buyer.
type replyVerdict int

const (
	replied replyVerdict = iota
	noReply
	verdictMalicious // verification found a malicious buyer meanwhile
)

// awaitReply waits for the buyer until the no-reply point after first
// contact. Verification finding a malicious buyer ends the wait too.
func (r *caseRun) awaitReply(ctx workflow.Context, contacted bool) (replyVerdict, error) {
	if r.view.Case.Responsibility == cases.RespMaliciousBuyer {
		return verdictMalicious, nil
	}
	if !contacted && len(r.view.BuyerReplies) == 0 {
		return noReply, nil
	}
	at := workflow.Now(ctx)
	if r.firstContactAt != nil {
		at = r.firstContactAt.Add(r.sla.NoReplyAfter)
	}
	return r.waitForBuyer(ctx, at, "no_reply")
}

// awaitLateReply keeps the private path open after a public reply: a reply
// before the review check reopens it.
func (r *caseRun) awaitLateReply(ctx workflow.Context) (replyVerdict, error) {
	r.setStage(ctx, cases.StageAwaitingReply)
	return r.waitForBuyer(ctx, workflow.Now(ctx).Add(r.lateReplyWindow()), "late_reply_window")
}

func (r *caseRun) waitForBuyer(ctx workflow.Context, at time.Time, timer string) (replyVerdict, error) {
	malicious := func() bool { return r.view.Case.Responsibility == cases.RespMaliciousBuyer }
	got, err := r.awaitUntil(ctx, at, timer, func() bool { return len(r.view.BuyerReplies) > 0 || malicious() })
	switch {
	case err != nil:
		return noReply, err
	case malicious():
		return verdictMalicious, nil
	case got:
		return replied, nil
	}
	return noReply, nil
}

// lateReplyWindow is how long a reply may still reopen the private path:
// until the review is checked.
func (r *caseRun) lateReplyWindow() time.Duration {
	if d := r.settings.ReviewCheckDelay; d > 0 {
		return d
	}
	return defaultReviewCheckDelay
}
