package workflows

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/cases"
)

// CaseWorkflowName is the registered name of CaseWorkflow; callers that must
// not depend on the implementation start it by this name.
const CaseWorkflowName = "CaseWorkflow"

// StartCase starts the case workflow for a review. The workflow id is derived
// from the review, so the same review — posted again, redelivered by a
// webhook or polled twice, even concurrently — maps to one case. started is
// false when the case already existed (open or closed).
func StartCase(ctx context.Context, c client.Client, in CaseInput) (started bool, err error) {
	if in.CaseID == "" {
		in.CaseID = cases.CaseIDFor(in.Review.Marketplace, in.Review.ShopID, in.Review.ReviewID)
	}
	opts := client.StartWorkflowOptions{
		ID:        cases.WorkflowIDFor(in.CaseID),
		TaskQueue: TaskQueue,
		// A review is one case forever: a closed case is not reopened by a redelivery.
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		// No search attributes: nothing lists cases through Temporal's
		// visibility (the index in PostgreSQL answers every list), so a case
		// costs no visibility write beyond its own start.
	}
	_, err = c.ExecuteWorkflow(ctx, opts, CaseWorkflowName, in)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &already):
		return false, nil
	default:
		return false, fmt.Errorf("start case %s: %w", in.CaseID, err)
	}
}

// Typed search attribute keys, kept current only by cases started before
// events-not-rows (see upsertSearchAttributes).
var (
	StageKey       = temporal.NewSearchAttributeKeyKeyword(SearchAttrStage)
	MarketplaceKey = temporal.NewSearchAttributeKeyKeyword(SearchAttrMarketplace)
	IssueKey       = temporal.NewSearchAttributeKeyKeyword(SearchAttrIssue)
	BreachedKey    = temporal.NewSearchAttributeKeyBool(SearchAttrBreached)
)
