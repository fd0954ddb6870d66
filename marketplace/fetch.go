package marketplace

import (
	"context"

	"github.com/redress-hq/redress/cases"
)

// ResourceFetcher is implemented by connectors whose webhooks only name a
// resource (Mercado Libre): the caller answers the webhook first, then
// turns WebhookEvent.Resource into the review or the buyer's message.
type ResourceFetcher interface {
	FetchReview(ctx context.Context, shopID, resource string) (cases.Review, error)
	// FetchBuyerMessage returns the event completed with the order, message
	// id and text.
	FetchBuyerMessage(ctx context.Context, shopID, resource string) (WebhookEvent, error)
}

// BuyerMessageFetcher is implemented by connectors whose message
// notifications only name a resource (Mercado Libre): it returns the message
// as a buyer_message event carrying its order, id, text and time.
type BuyerMessageFetcher interface {
	FetchBuyerMessage(ctx context.Context, shopID, resource string) (WebhookEvent, error)
}
