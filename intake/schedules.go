package intake

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/workflows"
)

// Shop is a shop to poll on a schedule.
type Shop struct {
	Marketplace cases.Marketplace
	ShopID      string
	// OrgID owns the shop: its schedule's runs, and the cases they open,
	// act for it (their payloads name it, docs/privacy.md).
	OrgID string
}

// EnsureSchedules creates (or updates the interval of) one poll schedule per
// shop, acting for the shop's organisation (an update sets it on a schedule
// created without). Overlapping runs are skipped: the next tick catches up
// from the cursor.
func EnsureSchedules(ctx context.Context, c client.Client, shops []Shop, every time.Duration) error {
	for _, s := range shops {
		ctx := ctx
		if s.OrgID != "" {
			ctx = payloadcrypt.WithOrg(ctx, s.OrgID)
		}
		id := PollWorkflowID(s.Marketplace, s.ShopID)
		spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: every}}}
		_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
			ID:      id,
			Spec:    spec,
			Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
			Action: &client.ScheduleWorkflowAction{
				ID:        id,
				Workflow:  PollShopWorkflow,
				Args:      []any{PollInput{Marketplace: s.Marketplace, ShopID: s.ShopID}},
				TaskQueue: workflows.TaskQueue,
			},
		})
		if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			err = c.ScheduleClient().GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{
				DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
					in.Description.Schedule.Spec = &spec
					return &client.ScheduleUpdate{Schedule: &in.Description.Schedule}, nil
				},
			})
		}
		if err != nil {
			return fmt.Errorf("poll schedule %s: %w", id, err)
		}
	}
	return nil
}
