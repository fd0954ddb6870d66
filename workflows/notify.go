package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// escalate notifies managers. A failed notification is logged, never allowed
// to stop the case: the event is on record either way.
func (r *caseRun) escalate(ctx workflow.Context, kind activities.AlertKind, dl cases.DeadlineKind, msg string) {
	r.sendAlert(ctx, acts.Escalate, kind, dl, msg)
}

func (r *caseRun) sendAlert(ctx workflow.Context, activity any, kind activities.AlertKind, dl cases.DeadlineKind, msg string) {
	al := activities.Alert{
		CaseID: r.in.CaseID, Marketplace: r.in.Review.Marketplace, ShopID: r.in.Review.ShopID,
		Kind: kind, Severity: r.view.Case.Severity, Issue: r.view.Case.Issue, Deadline: dl, Message: msg,
		IdempotencyKey: fmt.Sprintf("%s:%s:%d", r.in.CaseID, kind, r.seq),
	}
	if err := r.run(ctx, notifyOptions, activity, al).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Warn("alert not delivered", "kind", kind, "error", err)
	}
}

// flushQuietly flushes from a coroutine that has nowhere to return an error;
// the only failure is cancellation, and the next flush carries the batch.
func (r *caseRun) flushQuietly(ctx workflow.Context) { r.quietly(ctx, r.flush(ctx)) }

// syncQuietly and settleQuietly are sync and settle for coroutines.
func (r *caseRun) syncQuietly(ctx workflow.Context)   { r.quietly(ctx, r.sync(ctx)) }
func (r *caseRun) settleQuietly(ctx workflow.Context) { r.quietly(ctx, r.settle(ctx)) }

func (r *caseRun) quietly(ctx workflow.Context, err error) {
	if err != nil {
		workflow.GetLogger(ctx).Debug("flush skipped", "error", err)
	}
}
