package testenv

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/workflows"
)

// PollShop runs one PollShopWorkflow for the shop, as its schedule would, and
// returns what the poll found and started.
func (s *Stack) PollShop(ctx context.Context, m cases.Marketplace, shopID string) (intake.PollResult, error) {
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        intake.PollWorkflowID(m, shopID),
		TaskQueue: workflows.TaskQueue,
		// A schedule tick still running is joined, not raced.
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}, intake.PollShopWorkflow, intake.PollInput{Marketplace: m, ShopID: shopID})
	if err != nil {
		return intake.PollResult{}, fmt.Errorf("start poll of %s/%s: %w", m, shopID, err)
	}
	var res intake.PollResult
	if err := run.Get(ctx, &res); err != nil {
		return res, fmt.Errorf("poll of %s/%s: %w", m, shopID, err)
	}
	return res, nil
}
