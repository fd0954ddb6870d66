package simulator

import (
	"fmt"
	"time"

	"github.com/redress-hq/redress/cases"
)

// NewOrder describes a sale without a review yet (order care, issue 15).
type NewOrder struct {
	Platform    cases.Marketplace `json:"platform"`
	ShopID      string            `json:"shop_id"`
	BuyerID     string            `json:"buyer_id"`
	BuyerName   string            `json:"buyer_name"`
	Item        string            `json:"item"`
	Amount      cases.Money       `json:"amount"`
	ShippingFee cases.Money       `json:"shipping_fee"`
	Currency    string            `json:"currency"`
}

// AddOrder creates a paid, unshipped order and returns a copy.
func (s *Simulator) AddOrder(in NewOrder) (Order, error) {
	if !in.Platform.Valid() {
		return Order{}, fmt.Errorf("simulator: unknown platform %q", in.Platform)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.shops[key(in.Platform, in.ShopID)]; !ok {
		return Order{}, fmt.Errorf("simulator: shop %s/%s: %w", in.Platform, in.ShopID, ErrNotFound)
	}
	o := &Order{Platform: in.Platform, ShopID: in.ShopID, ID: s.newID(""), BuyerID: in.BuyerID, BuyerName: in.BuyerName,
		Item: in.Item, Amount: in.Amount, ShippingFee: in.ShippingFee, Currency: in.Currency, CreatedAt: s.now()}
	if o.BuyerID == "" {
		o.BuyerID = s.newID("")
	}
	if o.BuyerName == "" {
		o.BuyerName = "buyer" + o.BuyerID
	}
	if o.Currency == "" {
		o.Currency = defaultCurrency[in.Platform]
	}
	if o.Item == "" {
		o.Item = "Item"
	}
	s.putOrder(o)
	return *o, nil
}

// ShipOrder hands the order to a carrier: the platform's shipment and
// fulfillment answers show it shipped from now on.
func (s *Simulator) ShipOrder(platform cases.Marketplace, orderID, courier, tracking string) error {
	return s.moveOrder(platform, orderID, func(o *Order, now time.Time) {
		o.Courier, o.TrackingNumber, o.ShippedAt = courier, tracking, &now
		o.Tracking = append(o.Tracking, TrackingEvent{At: now, Status: "shipped", Description: "handed to " + courier})
	})
}

// AddTracking adds a carrier event; status "delivered" delivers the order.
func (s *Simulator) AddTracking(platform cases.Marketplace, orderID string, ev TrackingEvent) error {
	return s.moveOrder(platform, orderID, func(o *Order, now time.Time) {
		if ev.At.IsZero() {
			ev.At = now
		}
		o.Tracking = append(o.Tracking, ev)
		if ev.Status == "delivered" {
			at := ev.At
			o.DeliveredAt = &at
		}
	})
}

func (s *Simulator) moveOrder(platform cases.Marketplace, orderID string, f func(*Order, time.Time)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[key(platform, orderID)]
	if !ok {
		return ErrNotFound
	}
	f(o, s.now())
	return nil
}
