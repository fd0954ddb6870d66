package amazon

import (
	"context"
	"net/url"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

type money struct {
	CurrencyCode string `json:"CurrencyCode"`
	Amount       string `json:"Amount"`
}

func (m money) value() cases.Money {
	v, _ := cases.ParseMoney(m.Amount)
	return v
}

type order struct {
	AmazonOrderID      string     `json:"AmazonOrderId"`
	OrderStatus        string     `json:"OrderStatus"`
	PurchaseDate       *time.Time `json:"PurchaseDate"`
	LatestShipDate     *time.Time `json:"LatestShipDate"`
	LatestDeliveryDate *time.Time `json:"LatestDeliveryDate"`
	OrderTotal         money      `json:"OrderTotal"`
	TrackingInfo       struct {
		CarrierID  string `json:"carrierId"`
		TrackingID string `json:"trackingId"`
	} `json:"TrackingInfo"`
}

// GetEvidence reads the order, its items and the carrier's tracking history.
// Amazon offers no buyer-seller message history: Chat stays empty.
func (c *Client) GetEvidence(ctx context.Context, shopID, orderID string) (marketplace.Evidence, error) {
	const op = "get_evidence"
	var o struct {
		Payload order `json:"payload"`
	}
	if err := c.rest.Get(ctx, op, shopID, c.url("/orders/v0/orders/%s", orderID), &o); err != nil {
		return marketplace.Evidence{}, err
	}
	p := o.Payload
	ev := marketplace.Evidence{Courier: p.TrackingInfo.CarrierID, Order: marketplace.OrderInfo{
		OrderID: p.AmazonOrderID, Status: p.OrderStatus, Amount: p.OrderTotal.value(), Currency: p.OrderTotal.CurrencyCode,
		PaidAt: p.PurchaseDate, ShippedAt: p.LatestShipDate, DeliveredAt: p.LatestDeliveryDate,
	}}
	var items struct {
		Payload struct {
			OrderItems []struct {
				Title         string `json:"Title"`
				ShippingPrice money  `json:"ShippingPrice"`
			} `json:"OrderItems"`
		} `json:"payload"`
	}
	if err := c.rest.Get(ctx, op, shopID, c.url("/orders/v0/orders/%s/orderItems", orderID), &items); err != nil {
		return marketplace.Evidence{}, err
	}
	for _, it := range items.Payload.OrderItems {
		ev.Order.Items = append(ev.Order.Items, it.Title)
		ev.Order.ShippingFee += it.ShippingPrice.value()
	}
	if p.TrackingInfo.TrackingID != "" {
		var tr struct {
			Payload struct {
				EventHistory []struct {
					EventCode string    `json:"eventCode"`
					EventTime time.Time `json:"eventTime"`
					Location  struct {
						City string `json:"city"`
					} `json:"location"`
				} `json:"eventHistory"`
			} `json:"payload"`
		}
		q := url.Values{"trackingId": {p.TrackingInfo.TrackingID}, "carrierId": {p.TrackingInfo.CarrierID}}
		if err := c.rest.Get(ctx, op, shopID, c.url("/shipping/v2/tracking")+"?"+q.Encode(), &tr); err != nil {
			return marketplace.Evidence{}, err
		}
		for _, e := range tr.Payload.EventHistory {
			ev.Tracking = append(ev.Tracking, marketplace.TrackingStep{At: e.EventTime, Status: e.EventCode, Location: e.Location.City})
		}
	}
	refunds, err := c.refunds(ctx, op, shopID, orderID)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	ev.Order.Refunded = len(refunds) > 0
	return ev, nil
}
