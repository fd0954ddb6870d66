package ebay

import (
	"context"
	"time"

	"github.com/redress-hq/redress/marketplace"
)

type refundEntry struct {
	RefundID     string `json:"refundId"`
	RefundStatus string `json:"refundStatus"` // PENDING, REFUNDED, FAILED
	Amount       amount `json:"amount"`
	Comment      string `json:"comment"`
}

type order struct {
	OrderID                string    `json:"orderId"`
	CreationDate           time.Time `json:"creationDate"`
	OrderFulfillmentStatus string    `json:"orderFulfillmentStatus"`
	OrderPaymentStatus     string    `json:"orderPaymentStatus"`
	PricingSummary         struct {
		Total        amount `json:"total"`
		DeliveryCost amount `json:"deliveryCost"`
	} `json:"pricingSummary"`
	LineItems []struct {
		LineItemID string `json:"lineItemId"`
		Title      string `json:"title"`
	} `json:"lineItems"`
	PaymentSummary struct {
		Payments []struct {
			PaymentDate *time.Time `json:"paymentDate"`
		} `json:"payments"`
		Refunds []refundEntry `json:"refunds"`
	} `json:"paymentSummary"`
}

func (c *Client) order(ctx context.Context, op, shopID, orderID string) (order, error) {
	var o order
	err := c.rest.Get(ctx, op, shopID, c.url("/sell/fulfillment/v1/order/%s", orderID), &o)
	return o, err
}

type fulfillment struct {
	FulfillmentID          string     `json:"fulfillmentId"`
	ShippingCarrierCode    string     `json:"shippingCarrierCode"`
	ShipmentTrackingNumber string     `json:"shipmentTrackingNumber"`
	ShippedDate            *time.Time `json:"shippedDate"`
	SellerReference        string     `json:"sellerReference"`
}

func (c *Client) fulfillments(ctx context.Context, op, shopID, orderID string) ([]fulfillment, error) {
	var res struct {
		Fulfillments []fulfillment `json:"fulfillments"`
	}
	err := c.rest.Get(ctx, op, shopID, c.url("/sell/fulfillment/v1/order/%s/shipping_fulfillment", orderID), &res)
	return res.Fulfillments, err
}

// GetEvidence reads the order, its shipping fulfillments and the member
// messages. eBay exposes no carrier scan history: tracking is the shipment.
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
		}
		ev.Tracking = append(ev.Tracking, marketplace.TrackingStep{At: *f.ShippedDate, Status: "shipped",
			Description: f.ShippingCarrierCode + " " + f.ShipmentTrackingNumber})
	}
	msgs, err := c.messages(ctx, op, shopID, orderID)
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
