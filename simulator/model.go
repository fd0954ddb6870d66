package simulator

import (
	"time"

	"github.com/redress-hq/redress/cases"
)

// Shop is a seller account on one platform. ID is the seller's id there
// (Mercado Libre user id, Taobao nick, eBay username, Amazon seller id).
type Shop struct {
	Platform cases.Marketplace `json:"platform"`
	ID       string            `json:"id"`
	// Token is the credential the shop was authorized with: its OAuth refresh
	// token, or its TOP session key on Taobao.
	Token string `json:"token"`
}

type TrackingEvent struct {
	At          time.Time `json:"at"`
	Status      string    `json:"status"`
	Description string    `json:"description"`
	Location    string    `json:"location,omitempty"`
}

type ChatMessage struct {
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	From string    `json:"from"` // buyer or seller
	Text string    `json:"text"`
}

type Claim struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Stage  string `json:"stage"`
}

// Order is a sale with what verification looks at.
type Order struct {
	Platform       cases.Marketplace `json:"platform"`
	ShopID         string            `json:"shop_id"`
	ID             string            `json:"id"`
	BuyerID        string            `json:"buyer_id"`
	BuyerName      string            `json:"buyer_name"`
	Item           string            `json:"item"`
	Amount         cases.Money       `json:"amount"`
	ShippingFee    cases.Money       `json:"shipping_fee"`
	Currency       string            `json:"currency"`
	Courier        string            `json:"courier"`
	TrackingNumber string            `json:"tracking_number"`
	Tracking       []TrackingEvent   `json:"tracking"`
	Chat           []ChatMessage     `json:"chat"`
	Claims         []Claim           `json:"claims"`
	CreatedAt      time.Time         `json:"created_at"`
	ShippedAt      *time.Time        `json:"shipped_at,omitempty"`
	DeliveredAt    *time.Time        `json:"delivered_at,omitempty"`
	Refunds        []*Refund         `json:"refunds"`
	// MessagingClosed, when set, is why the platform closed private messages
	// to the buyer (e.g. mediation, window_closed).
	MessagingClosed string `json:"messaging_closed,omitempty"`
	// Solicited: Amazon's review solicitation was sent (once per order).
	Solicited bool `json:"solicited,omitempty"`
}

// Refunded reports whether any refund was made on the order.
func (o *Order) Refunded() bool { return len(o.Refunds) > 0 }

// Refund is asynchronous: pending until read once, then completed.
type Refund struct {
	ID        string      `json:"id"`
	Amount    cases.Money `json:"amount"`
	Status    string      `json:"status"`
	Reference string      `json:"reference"` // the idempotency key, comment or client reference
	CreatedAt time.Time   `json:"created_at"`
	reads     int
}

// Revision is an earlier version of a review's rating and text.
type Revision struct {
	Rating int       `json:"rating"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// Review is a buyer's review of a sale (1–5 stars; platforms without stars
// map them: Mercado Libre and eBay negative/neutral/positive, Taobao bad/neutral/good).
type Review struct {
	Platform   cases.Marketplace `json:"platform"`
	ShopID     string            `json:"shop_id"`
	ID         string            `json:"id"`
	OrderID    string            `json:"order_id"`
	Rating     int               `json:"rating"`
	Text       string            `json:"text"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	Revisions  []Revision        `json:"revisions"`
	FollowUp   string            `json:"follow_up,omitempty"` // Taobao 追评
	FollowUpAt *time.Time        `json:"follow_up_at,omitempty"`
	Reply      string            `json:"reply,omitempty"`
	RepliedAt  *time.Time        `json:"replied_at,omitempty"`
	Removed    bool              `json:"removed"`
}

// Coupon and Reship are seller remedies recorded by the platform.
type Coupon struct {
	ID        string      `json:"id"`
	OrderID   string      `json:"order_id"`
	BuyerID   string      `json:"buyer_id"`
	Code      string      `json:"code"`
	Amount    cases.Money `json:"amount"`
	Reference string      `json:"reference"`
}

type Reship struct {
	ID        string `json:"id"`
	OrderID   string `json:"order_id"`
	Reference string `json:"reference"`
	Note      string `json:"note"`
}

func stars(rating int) string {
	switch {
	case rating <= 2:
		return "negative"
	case rating == 3:
		return "neutral"
	default:
		return "positive"
	}
}
