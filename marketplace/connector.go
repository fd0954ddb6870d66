// Package marketplace is how Redress talks to platforms: one Connector per
// marketplace, speaking that platform's wire format, with errors mapped into
// the classes activities retry by.
package marketplace

import (
	"context"
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Connector is what a case needs from a marketplace. Every write carries an
// idempotency key derived from case and step; where the platform has no
// idempotency, the connector reads back before writing again.
type Connector interface {
	Marketplace() cases.Marketplace
	// Caps returns the platform's capabilities, limits and rules.
	Caps() cases.PlatformRules

	// ParseWebhook verifies (where the platform signs) and decodes one delivery.
	ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]WebhookEvent, error)
	// ListNegativeReviews returns 1–3★ reviews newer than the cursor and the next cursor.
	ListNegativeReviews(ctx context.Context, shopID string, cursor string) ([]cases.Review, string, error)
	// GetReview reads a review's current state, to detect edits, revisions and removal.
	GetReview(ctx context.Context, shopID, reviewID string) (ReviewState, error)
	GetEvidence(ctx context.Context, shopID, orderID string) (Evidence, error)
	MessageEligibility(ctx context.Context, shopID, orderID string) (Eligibility, error)

	SendBuyerMessage(ctx context.Context, req MessageRequest) (WriteResult, error)
	PostPublicReply(ctx context.Context, req ReplyRequest) (WriteResult, error)
	IssueRefund(ctx context.Context, req RefundRequest) (RefundResult, error)
	RefundStatus(ctx context.Context, shopID, refundID string) (RefundResult, error)
	IssueCoupon(ctx context.Context, req CouponRequest) (WriteResult, error)
	CreateReship(ctx context.Context, req ReshipRequest) (WriteResult, error)
	// SubmitAppeal files an appeal; platforms without an appeal API return
	// Manual=true so a person files it.
	SubmitAppeal(ctx context.Context, req AppealRequest) (AppealResult, error)
}

// WebhookKind says what a webhook delivery means to Redress.
type WebhookKind string

const (
	WebhookReview       WebhookKind = "review"        // a new or changed review
	WebhookBuyerMessage WebhookKind = "buyer_message" // the buyer wrote to the seller
	WebhookIgnored      WebhookKind = "ignored"       // a topic Redress does not handle
)

// WebhookEvent is one decoded webhook delivery.
type WebhookEvent struct {
	Kind       WebhookKind   `json:"kind"`
	DeliveryID string        `json:"delivery_id"` // stable across redeliveries, for dedup
	ShopID     string        `json:"shop_id"`
	Review     *cases.Review `json:"review,omitempty"`
	// For buyer messages: which review/order the message belongs to.
	ReviewID  string    `json:"review_id,omitempty"`
	OrderID   string    `json:"order_id,omitempty"`
	MessageID string    `json:"message_id,omitempty"`
	Text      string    `json:"text,omitempty"`
	At        time.Time `json:"at"`
	// Resource is set when the platform only notifies and the review must be fetched.
	Resource string `json:"resource,omitempty"`
}

// ReviewState is a review as it stands now on the platform.
type ReviewState struct {
	ReviewID   string    `json:"review_id"`
	Rating     int       `json:"rating"`
	Text       string    `json:"text"`
	Removed    bool      `json:"removed"`
	Revised    bool      `json:"revised"`   // the buyer changed rating or text
	FollowUp   bool      `json:"follow_up"` // Taobao 追评: a follow-up review closes the reply window
	HasReply   bool      `json:"has_reply"` // a public reply is already posted
	ReplyText  string    `json:"reply_text,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
	LastReadAt time.Time `json:"last_read_at"`
}

// Evidence is what verification looks at before any compensation.
type Evidence struct {
	Order    OrderInfo      `json:"order"`
	Tracking []TrackingStep `json:"tracking"`
	Courier  string         `json:"courier"`
	// TrackingNumber is the shipment's, where the platform gives it (eBay
	// fulfillments); order care tells it to the buyer.
	TrackingNumber string        `json:"tracking_number,omitempty"`
	Chat           []ChatMessage `json:"chat"`
	Claims         []Claim       `json:"claims"`
	// Unavailable names evidence the platform's API cannot provide, and why
	// (e.g. Taobao chat), so the agent knows to look in the seller console.
	Unavailable []string `json:"unavailable,omitempty"`
}

type OrderInfo struct {
	OrderID     string      `json:"order_id"`
	Status      string      `json:"status"`
	Amount      cases.Money `json:"amount"`
	ShippingFee cases.Money `json:"shipping_fee"`
	Currency    string      `json:"currency"`
	Items       []string    `json:"items"`
	PaidAt      *time.Time  `json:"paid_at,omitempty"`
	ShippedAt   *time.Time  `json:"shipped_at,omitempty"`
	DeliveredAt *time.Time  `json:"delivered_at,omitempty"`
	Refunded    bool        `json:"refunded"`
	// ShipmentID is the platform's shipment of the order, where it has one
	// (Mercado Libre's shipments notifications name it, not the order).
	ShipmentID string `json:"shipment_id,omitempty"`
}

type TrackingStep struct {
	At          time.Time `json:"at"`
	Status      string    `json:"status"`
	Description string    `json:"description"`
	Location    string    `json:"location,omitempty"`
}

type ChatMessage struct {
	At   time.Time `json:"at"`
	From string    `json:"from"` // buyer or seller
	Text string    `json:"text"`
}

type Claim struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Stage  string `json:"stage"` // e.g. claim, dispute (mediation)
}

// Eligibility says whether the seller may message the buyer now.
type Eligibility struct {
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason,omitempty"` // e.g. blocked_by_refund, mediation, window_closed
	// MaxChars is the platform's limit for this conversation.
	MaxChars int `json:"max_chars"`
}

// Write requests. IdempotencyKey is derived from case and step.
type MessageRequest struct {
	ShopID         string `json:"shop_id"`
	OrderID        string `json:"order_id"`
	BuyerID        string `json:"buyer_id"`
	Text           string `json:"text"`
	Language       string `json:"language"`
	IdempotencyKey string `json:"idempotency_key"`
}

type ReplyRequest struct {
	ShopID         string `json:"shop_id"`
	ReviewID       string `json:"review_id"`
	OrderID        string `json:"order_id"`
	Text           string `json:"text"`
	IdempotencyKey string `json:"idempotency_key"`
}

type RefundRequest struct {
	ShopID         string      `json:"shop_id"`
	OrderID        string      `json:"order_id"`
	Amount         cases.Money `json:"amount"`
	Currency       string      `json:"currency"`
	Reason         string      `json:"reason"`
	IdempotencyKey string      `json:"idempotency_key"`
}

type CouponRequest struct {
	ShopID         string      `json:"shop_id"`
	BuyerID        string      `json:"buyer_id"`
	OrderID        string      `json:"order_id"`
	Amount         cases.Money `json:"amount"`
	Currency       string      `json:"currency"`
	FreeShipping   bool        `json:"free_shipping"`
	IdempotencyKey string      `json:"idempotency_key"`
}

type ReshipRequest struct {
	ShopID         string `json:"shop_id"`
	OrderID        string `json:"order_id"`
	Note           string `json:"note"`
	IdempotencyKey string `json:"idempotency_key"`
}

type AppealRequest struct {
	ShopID         string   `json:"shop_id"`
	ReviewID       string   `json:"review_id"`
	OrderID        string   `json:"order_id"`
	Statement      string   `json:"statement"`
	Evidence       []string `json:"evidence"` // references: chat ids, tracking numbers, files
	IdempotencyKey string   `json:"idempotency_key"`
}

// WriteResult identifies what the platform created.
type WriteResult struct {
	ID string `json:"id"`
	// Replayed is true when the write had already happened (found on read-back).
	Replayed bool `json:"replayed"`
}

type RefundResult struct {
	ID       string      `json:"id"`
	Status   string      `json:"status"` // pending, completed, failed
	Amount   cases.Money `json:"amount"`
	Replayed bool        `json:"replayed"`
}

type AppealResult struct {
	ID     string `json:"id"`
	Manual bool   `json:"manual"` // the platform has no appeal API: a person must file it
	Status string `json:"status"`
}

// Registry finds the connector for a marketplace.
type Registry interface {
	Get(m cases.Marketplace) (Connector, error)
}
