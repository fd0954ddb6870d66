package workflows

import (
	"go.temporal.io/sdk/workflow"
)

// run executes a short side effect of the case's own (the index mirror, an
// alert, a store read). From events-not-rows version 4 it is a local
// activity: it runs in the worker's workflow task, so the history keeps one
// marker with its result instead of three activity events with its input,
// and nothing waits for a task queue round trip (the alert reaches the
// seller without one). Before, it is the activity it always was. In
// version 6 the index mirror did not come here; from version 7 it does
// again with a fence, outside tasks that ran an update (see sync).
func (r *caseRun) run(ctx workflow.Context, opts workflow.ActivityOptions, activity any, arg any) workflow.Future {
	if r.mirror < 4 {
		return executeActivity(ctx, opts, activity, arg)
	}
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    opts.StartToCloseTimeout,
		ScheduleToCloseTimeout: opts.ScheduleToCloseTimeout,
		RetryPolicy:            opts.RetryPolicy,
	})
	return workflow.ExecuteLocalActivity(lctx, activity, arg)
}

// executeActivity schedules activity as an activity task with opts.
func executeActivity(ctx workflow.Context, opts workflow.ActivityOptions, activity any, arg any) workflow.Future {
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), activity, arg)
}
