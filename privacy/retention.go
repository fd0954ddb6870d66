// Package privacy runs the retention of buyers' personal data: a Temporal
// Schedule starts RetentionWorkflow, whose activity shreds the data of
// buyers whose cases all closed longer ago than their organisation's
// retention (PRIVACY_RETENTION_DAYS unless the organisation set its own;
// store.ShredExpired). See docs/privacy.md.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// RetentionScheduleID names the schedule (and the workflows it starts).
const RetentionScheduleID = "redress-privacy-retention"

// RetentionInput is what each scheduled run is given.
type RetentionInput struct {
	// Days personal data is kept after a buyer's last case closed, in
	// organisations that did not set their own.
	Days int `json:"days"`
	// Batch is how many buyers one activity shreds (default 200).
	Batch int `json:"batch,omitempty"`
}

// retentionPerOrganisation is the change that gave each organisation its
// own retention (RetentionPolicy instead of one cutoff).
const retentionPerOrganisation = "retention-per-organisation"

// maxPasses bounds one run's history; what is left waits for the next run.
const maxPasses = 50

// RetentionWorkflow shreds, batch by batch, the buyers whose retention has
// passed at the run's start, and returns how many.
func RetentionWorkflow(ctx workflow.Context, in RetentionInput) (int, error) {
	if in.Days < 1 {
		return 0, temporal.NewNonRetryableApplicationError(fmt.Sprintf("retention of %d days", in.Days), "InvalidInput", nil)
	}
	if in.Batch <= 0 {
		in.Batch = 200
	}
	now := workflow.Now(ctx)
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 5, NonRetryableErrorTypes: []string{"InvalidInput"}},
	})
	// Runs started before organisations had their own retention shred with
	// one cutoff for all (ShredExpired), as they were scheduled to.
	perOrg := workflow.GetVersion(ctx, retentionPerOrganisation, workflow.DefaultVersion, 1) >= 1
	var a *Activities
	total := 0
	for range maxPasses {
		var r store.Retention
		var f workflow.Future
		if perOrg {
			f = workflow.ExecuteActivity(ctx, a.ShredByPolicy, store.RetentionPolicy{Now: now, DefaultDays: in.Days}, in.Batch)
		} else {
			f = workflow.ExecuteActivity(ctx, a.ShredExpired, now.AddDate(0, 0, -in.Days), in.Batch)
		}
		if err := f.Get(ctx, &r); err != nil {
			return total, err
		}
		total += r.Buyers
		if !r.More {
			break
		}
	}
	workflow.GetLogger(ctx).Info("retention pass done", "default_days", in.Days, "buyers_shredded", total)
	return total, nil
}

// Shredder is the store's retention query.
type Shredder interface {
	ShredExpired(ctx context.Context, p store.RetentionPolicy, limit int) (store.Retention, error)
}

// Activities hold what retention runs on.
type Activities struct{ Store Shredder }

// ShredByPolicy shreds one batch, each organisation by its own retention;
// safe to repeat (shredded buyers are not found again).
func (a *Activities) ShredByPolicy(ctx context.Context, p store.RetentionPolicy, limit int) (store.Retention, error) {
	r, err := a.Store.ShredExpired(ctx, p, limit)
	if errors.Is(err, store.ErrInvalid) {
		return r, temporal.NewNonRetryableApplicationError(err.Error(), "InvalidInput", err)
	}
	return r, err
}

// ShredExpired shreds one batch with one cutoff for every organisation: the
// activity of runs scheduled before retentionPerOrganisation.
func (a *Activities) ShredExpired(ctx context.Context, closedBefore time.Time, limit int) (store.Retention, error) {
	return a.ShredByPolicy(ctx, store.RetentionPolicy{Now: closedBefore.AddDate(0, 0, 1), DefaultDays: 1, SameForAll: true}, limit)
}

// Register adds the retention workflow and its activity to a worker.
func Register(r worker.Registry, a *Activities) {
	r.RegisterWorkflow(RetentionWorkflow)
	r.RegisterActivity(a)
}

// EnsureRetentionSchedule creates the schedule, or updates its interval and
// retention when they changed. Overlapping runs are skipped.
func EnsureRetentionSchedule(ctx context.Context, c client.Client, days int, every time.Duration) error {
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: every}}}
	action := &client.ScheduleWorkflowAction{
		ID:        RetentionScheduleID,
		Workflow:  RetentionWorkflow,
		Args:      []any{RetentionInput{Days: days}},
		TaskQueue: workflows.TaskQueue,
	}
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: RetentionScheduleID, Spec: spec, Action: action, Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = c.ScheduleClient().GetHandle(ctx, RetentionScheduleID).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				in.Description.Schedule.Spec = &spec
				in.Description.Schedule.Action = action
				return &client.ScheduleUpdate{Schedule: &in.Description.Schedule}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("retention schedule: %w", err)
	}
	return nil
}
