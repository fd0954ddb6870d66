package intake

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// NotificationInput is a webhook delivery that names a resource to fetch.
type NotificationInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	Resource    string            `json:"resource"`
	DeliveryID  string            `json:"delivery_id"`
	// Kind says what the resource is: a review (the default) or a buyer message.
	Kind marketplace.WebhookKind `json:"kind,omitempty"`
}

// IngestWorkflowID dedupes redeliveries of the same notification.
func IngestWorkflowID(m cases.Marketplace, deliveryID string) string {
	return "ingest-" + string(m) + "-" + deliveryID
}

// IngestNotificationWorkflow fetches the review a notification names and
// opens its case. Fetching happens here, not in the webhook handler, because
// platforms give webhooks a few hundred milliseconds to answer.
func IngestNotificationWorkflow(ctx workflow.Context, in NotificationInput) (PollResult, error) {
	var a *Activities
	var res PollResult
	err := workflow.ExecuteActivity(withMarketplaceOptions(ctx, time.Minute), a.FetchAndOpen, in).Get(ctx, &res)
	return res, err
}

// FetchAndOpen reads the notified review and starts its case when it is 1–3★
// (or sends it to its case when it changed), or reads the notified buyer message and signals it to its case.
// Connectors that cannot fetch a single review fall back to a shop poll.
func (a *Activities) FetchAndOpen(ctx context.Context, in NotificationInput) (PollResult, error) {
	conn, err := a.Markets.Get(in.Marketplace)
	if err != nil {
		return PollResult{}, temporal.NewNonRetryableApplicationError(err.Error(), string(cases.ErrPermanent), err)
	}
	if in.Kind == marketplace.WebhookBuyerMessage {
		return PollResult{}, a.fetchAndDeliverMessage(ctx, conn, in)
	}
	fetcher, ok := conn.(marketplace.ResourceFetcher)
	if !ok || in.Resource == "" {
		return a.PollReviews(ctx, PollInput{Marketplace: in.Marketplace, ShopID: in.ShopID})
	}
	review, err := fetcher.FetchReview(ctx, in.ShopID, in.Resource)
	if err != nil {
		return PollResult{}, asApplicationError(err)
	}
	res := PollResult{Found: 1}
	started, changed, err := a.openOrChange(ctx, review, "webhook")
	if started {
		res.Started = 1
	}
	if changed {
		res.Changed = 1
	}
	return res, err
}

func (a *Activities) fetchAndDeliverMessage(ctx context.Context, conn marketplace.Connector, in NotificationInput) error {
	fetcher, ok := conn.(marketplace.BuyerMessageFetcher)
	if !ok || a.Cases == nil {
		err := fmt.Errorf("%s: cannot fetch buyer message %q", in.Marketplace, in.Resource)
		return temporal.NewNonRetryableApplicationError(err.Error(), string(cases.ErrPermanent), err)
	}
	ev, err := fetcher.FetchBuyerMessage(ctx, in.ShopID, in.Resource)
	if err != nil {
		return asApplicationError(err)
	}
	if ev.ShopID == "" {
		ev.ShopID = in.ShopID
	}
	_, err = DeliverBuyerMessage(ctx, a.Temporal, a.Cases, in.Marketplace, ev)
	return err
}
