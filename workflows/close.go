package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// close ends the case with its outcome: open tasks are cancelled, pending
// deadlines dropped (breaches stay on record), and the index gets the last batch.
func (r *caseRun) close(ctx workflow.Context, outcome cases.Outcome, by cases.Actor, reason string) error {
	if reason == "" {
		reason = string(outcome)
	}
	r.cancelLiveTasks(ctx, by, "case closed: "+reason)
	for _, kind := range r.deadlineKinds() {
		r.cancelDeadline(ctx, kind, "case closed")
	}
	r.setStage(ctx, cases.StageClosed)
	r.record(ctx, cases.EventCaseClosed, by, map[string]any{"outcome": outcome, "reason": reason, "breached": r.view.Case.Breached})
	return r.sync(ctx)
}
