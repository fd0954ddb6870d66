package ebay

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/redress-hq/redress/marketplace"
)

// order is the part of Sell Fulfillment's Order that Redress reads.
type order struct {
	OrderID                string    `json:"orderId"`
	CreationDate           time.Time `json:"creationDate"`
	OrderFulfillmentStatus string    `json:"orderFulfillmentStatus"`
	Buyer                  struct {
		Username string `json:"username"`
	} `json:"buyer"`
	PricingSummary struct {
		Total        amount `json:"total"`
		DeliveryCost amount `json:"deliveryCost"`
	} `json:"pricingSummary"`
	LineItems []struct {
		LineItemID   string `json:"lineItemId"`
		LegacyItemID string `json:"legacyItemId"` // the listing id
		Title        string `json:"title"`
	} `json:"lineItems"`
	PaymentSummary struct {
		Payments []struct {
			PaymentDate *time.Time `json:"paymentDate"`
		} `json:"payments"`
		Refunds []orderRefund `json:"refunds"`
	} `json:"paymentSummary"`
}

// orderRefund is an OrderRefund of paymentSummary.refunds.
type orderRefund struct {
	RefundID     string     `json:"refundId"`
	RefundStatus string     `json:"refundStatus"` // PENDING, REFUNDED, FAILED
	Amount       amount     `json:"amount"`
	RefundDate   *time.Time `json:"refundDate"`
}

// listings are the order's listing ids, which Message API conversations reference.
func (o order) listings() []string {
	var ids []string
	for _, li := range o.LineItems {
		if li.LegacyItemID != "" {
			ids = append(ids, li.LegacyItemID)
		}
	}
	return ids
}

// hasLineItem matches a Feedback API orderLineItemId: the line item id, or
// the legacy "itemId-transactionId" form.
func (o order) hasLineItem(id string) bool {
	for _, li := range o.LineItems {
		if li.LineItemID == id || li.LegacyItemID+"-"+li.LineItemID == id {
			return true
		}
	}
	return false
}

func (c *Client) order(ctx context.Context, op, shopID, orderID string) (order, error) {
	var o order
	err := c.rest.Get(ctx, op, shopID, c.url("/sell/fulfillment/v1/order/%s", orderID), &o)
	return o, err
}

// orderSearch bounds getOrders: feedback and member messages come within 90
// days of the sale, and one search reads at most maxOrderPages pages.
const (
	orderWindow    = 90 * 24 * time.Hour
	ordersPageSize = 200
	maxOrderPages  = 10
)

// findOrder searches the orders created in the window before `at` for one
// that match accepts (eBay's feedback and messages name line items and
// listings, not orders). It returns false when none does.
func (c *Client) findOrder(ctx context.Context, op, shopID string, at time.Time, match func(order) bool) (order, bool, error) {
	if at.IsZero() {
		at = time.Now()
	}
	window := "creationdate:[" + at.Add(-orderWindow).UTC().Format("2006-01-02T15:04:05.000Z") + "..]"
	for page := 0; page < maxOrderPages; page++ {
		q := url.Values{"filter": {window}, "limit": {strconv.Itoa(ordersPageSize)}, "offset": {strconv.Itoa(page * ordersPageSize)}}
		var res struct {
			Orders []order `json:"orders"`
			Total  int     `json:"total"`
		}
		if err := c.rest.Get(ctx, op, shopID, c.url("/sell/fulfillment/v1/order")+"?"+q.Encode(), &res); err != nil {
			return order{}, false, err
		}
		for _, o := range res.Orders {
			if match(o) {
				return o, true, nil
			}
		}
		if (page+1)*ordersPageSize >= res.Total {
			break
		}
	}
	return order{}, false, nil
}

type fulfillment struct {
	FulfillmentID          string     `json:"fulfillmentId"`
	ShippingCarrierCode    string     `json:"shippingCarrierCode"`
	ShipmentTrackingNumber string     `json:"shipmentTrackingNumber"`
	ShippedDate            *time.Time `json:"shippedDate"`
}

func (c *Client) fulfillments(ctx context.Context, op, shopID, orderID string) ([]fulfillment, error) {
	var res struct {
		Fulfillments []fulfillment `json:"fulfillments"`
	}
	err := c.rest.Get(ctx, op, shopID, c.url("/sell/fulfillment/v1/order/%s/shipping_fulfillment", orderID), &res)
	return res.Fulfillments, err
}

// GetEvidence reads the order, its shipping fulfillments and the buyer's
// conversations about its listings. eBay exposes no carrier scan history:
// tracking is the shipment.
func (c *Client) GetEvidence(ctx context.Context, shopID, orderID string) (marketplace.Evidence, error) {
	const op = "get_evidence"
	o, err := c.order(ctx, op, shopID, orderID)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	ev := marketplace.Evidence{Order: marketplace.OrderInfo{
		OrderID: o.OrderID, Status: o.OrderFulfillmentStatus, Amount: o.PricingSummary.Total.money(),
		ShippingFee: o.PricingSummary.DeliveryCost.money(), Currency: o.PricingSummary.Total.Currency,
		Refunded: len(o.PaymentSummary.Refunds) > 0,
	}}
	for _, li := range o.LineItems {
		ev.Order.Items = append(ev.Order.Items, li.Title)
	}
	if len(o.PaymentSummary.Payments) > 0 {
		ev.Order.PaidAt = o.PaymentSummary.Payments[0].PaymentDate
	}
	fs, err := c.fulfillments(ctx, op, shopID, orderID)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	for _, f := range fs {
		if f.ShippedDate == nil {
			continue
		}
		if ev.Order.ShippedAt == nil {
			ev.Order.ShippedAt = f.ShippedDate
			ev.Courier = f.ShippingCarrierCode
			ev.TrackingNumber = f.ShipmentTrackingNumber
		}
		ev.Tracking = append(ev.Tracking, marketplace.TrackingStep{At: *f.ShippedDate, Status: "shipped",
			Description: f.ShippingCarrierCode + " " + f.ShipmentTrackingNumber})
	}
	msgs, err := c.orderMessages(ctx, op, shopID, o)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	for _, m := range msgs {
		from := "buyer"
		if m.SenderUsername == shopID {
			from = "seller"
		}
		ev.Chat = append(ev.Chat, marketplace.ChatMessage{At: m.CreatedDate, From: from, Text: m.MessageBody})
	}
	return ev, nil
}
