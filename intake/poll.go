// Package intake brings reviews in from marketplaces that Redress must pull:
// a Temporal Schedule per shop runs PollShopWorkflow, and a webhook that only
// names a resource (Mercado Libre) nudges the same poll instead of fetching
// inline, so webhook answers stay fast.
package intake

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// PollInput names the shop to poll.
type PollInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
}

// PollResult says what one poll found.
type PollResult struct {
	Found   int `json:"found"`
	Started int `json:"started"`
	Changed int `json:"changed"` // reviews with a case that changed since the case last saw them
}

// PollWorkflowID is the id of a shop's poll run: concurrent nudges join the
// running poll instead of racing on the shop's cursor.
func PollWorkflowID(m cases.Marketplace, shopID string) string {
	return "poll-" + string(m) + "-" + shopID
}

// PollShopWorkflow pulls the shop's new negative reviews since its cursor and
// opens a case for each. It is one activity wrapped in a workflow so that
// schedules, retries and history come from Temporal.
func PollShopWorkflow(ctx workflow.Context, in PollInput) (PollResult, error) {
	var a *Activities
	var res PollResult
	err := workflow.ExecuteActivity(withMarketplaceOptions(ctx, 2*time.Minute), a.PollReviews, in).Get(ctx, &res)
	return res, err
}

// withMarketplaceOptions: intake calls a marketplace and starts workflows.
// Passing failures are retried with backoff; a permanent class (bad
// credentials, unsupported call) fails the run at once for a person to see.
func withMarketplaceOptions(ctx workflow.Context, timeout time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		HeartbeatTimeout:    30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        10,
			NonRetryableErrorTypes: []string{string(cases.ErrPermanent), string(cases.ErrAuthRevoked)},
		},
	})
}
