package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// verify waits for the verify task (opened once evidence is in) and records
// who is responsible. No remedy is chosen before it.
func (r *caseRun) verify(ctx workflow.Context) (cases.Responsibility, error) {
	if r.view.Case.Responsibility != "" {
		return r.view.Case.Responsibility, nil
	}
	r.setStage(ctx, cases.StageVerification)
	if err := r.flush(ctx); err != nil {
		return "", err
	}
	opened := func() bool { return r.verifyTaskID != "" }
	rested := r.atRest(opened)
	err := workflow.Await(ctx, opened)
	rested()
	if err != nil {
		return "", err
	}
	if _, err := r.awaitTask(ctx, r.verifyTaskID); err != nil {
		return "", err
	}
	return r.view.Case.Responsibility, nil
}
