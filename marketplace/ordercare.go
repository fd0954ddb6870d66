package marketplace

import (
	"context"
	"time"
)

// Solicitor is implemented by connectors whose platform has an official
// review-request operation (Amazon's Solicitations API). It is the only way
// order care ever asks for a review: the platform's own fixed text, once per
// order, in the platform's window.
type Solicitor interface {
	// SolicitationAvailable reads whether the platform offers the solicitation
	// for the order now (Amazon: getSolicitationActionsForOrder lists
	// productReviewAndSellerFeedback). It is also the read-back: once sent,
	// the action is no longer offered.
	SolicitationAvailable(ctx context.Context, shopID, orderID string) (bool, error)
	// RequestReviewSolicitation sends the platform's solicitation for the order.
	RequestReviewSolicitation(ctx context.Context, shopID, orderID, idempotencyKey string) (WriteResult, error)
}

// QuestionAnswerer is implemented by connectors whose platform has pre-sale
// listing questions with an answer operation (Mercado Libre POST /answers).
type QuestionAnswerer interface {
	AnswerQuestion(ctx context.Context, shopID, itemID, questionID, text string) (WriteResult, error)
}

// Webhook kinds for order care (issue 15).
const (
	WebhookOrder    WebhookKind = "order"    // the order changed (OrderID)
	WebhookShipment WebhookKind = "shipment" // a shipment changed (Resource names it; ShipmentID below)
	WebhookQuestion WebhookKind = "question" // a pre-sale question was asked (MessageID is its id)
)

// Question is a pre-sale question on a listing.
type Question struct {
	ID        string    `json:"id"`
	ItemID    string    `json:"item_id"`
	BuyerID   string    `json:"buyer_id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// QuestionLister is implemented by connectors whose platform lists a
// seller's unanswered pre-sale questions (Mercado Libre questions search).
type QuestionLister interface {
	UnansweredQuestions(ctx context.Context, shopID string) ([]Question, error)
}

// OrderLister is implemented by connectors that can list a shop's recent
// orders: order care's polling fallback where notifications do not come.
type OrderLister interface {
	// RecentOrders returns the ids of orders changed (Mercado Libre) or
	// created (eBay) since, and the newest such time seen (the next cursor).
	RecentOrders(ctx context.Context, shopID string, since time.Time) ([]string, time.Time, error)
}
