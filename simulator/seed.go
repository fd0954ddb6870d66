package simulator

import (
	"errors"
	"fmt"
	"time"

	"github.com/redress-hq/redress/cases"
)

// ErrNotFound is returned for an unknown shop, order or review.
var ErrNotFound = errors.New("simulator: not found")

// Seed registers shops with the credential each was authorized with.
func (s *Simulator) Seed(shops ...Shop) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sh := range shops {
		cp := sh
		s.shops[key(sh.Platform, sh.ID)] = &cp
		if sh.Token != "" {
			s.auth[sh.Platform].refresh[sh.Token] = sh.ID
		}
	}
}

// NewReview describes a review to create with its order.
type NewReview struct {
	Platform       cases.Marketplace `json:"platform"`
	ShopID         string            `json:"shop_id"`
	Rating         int               `json:"rating"`
	Text           string            `json:"text"`
	BuyerID        string            `json:"buyer_id"`
	BuyerName      string            `json:"buyer_name"`
	Item           string            `json:"item"`
	Amount         cases.Money       `json:"amount"`
	ShippingFee    cases.Money       `json:"shipping_fee"`
	Currency       string            `json:"currency"`
	Courier        string            `json:"courier"`
	TrackingNumber string            `json:"tracking_number"`
	Tracking       []TrackingEvent   `json:"tracking"`
	Claims         []Claim           `json:"claims"`
	// CreatedAt backdates the review (e.g. past Taobao's 30-day reply window).
	CreatedAt time.Time `json:"created_at"`
}

// AddReview creates an order and its buyer review, and notifies the webhook
// URL if one is configured. It returns copies of both.
func (s *Simulator) AddReview(in NewReview) (Review, Order, error) {
	if !in.Platform.Valid() {
		return Review{}, Order{}, fmt.Errorf("simulator: unknown platform %q", in.Platform)
	}
	if in.Rating < 1 || in.Rating > 5 {
		return Review{}, Order{}, fmt.Errorf("simulator: rating %d is not 1–5", in.Rating)
	}
	s.mu.Lock()
	if _, ok := s.shops[key(in.Platform, in.ShopID)]; !ok {
		s.mu.Unlock()
		return Review{}, Order{}, fmt.Errorf("simulator: shop %s/%s: %w", in.Platform, in.ShopID, ErrNotFound)
	}
	created := in.CreatedAt
	if created.IsZero() {
		created = s.now()
	}
	o := &Order{
		Platform: in.Platform, ShopID: in.ShopID, ID: s.newID(""),
		BuyerID: in.BuyerID, BuyerName: in.BuyerName, Item: in.Item,
		Amount: in.Amount, ShippingFee: in.ShippingFee, Currency: in.Currency,
		Courier: in.Courier, TrackingNumber: in.TrackingNumber, Tracking: in.Tracking, Claims: in.Claims,
		CreatedAt: created.Add(-7 * 24 * time.Hour),
	}
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
	if len(o.Tracking) > 0 {
		first, last := o.Tracking[0].At, o.Tracking[len(o.Tracking)-1]
		o.ShippedAt = &first
		if last.Status == "delivered" {
			o.DeliveredAt = &last.At
		}
	}
	r := &Review{
		Platform: in.Platform, ShopID: in.ShopID, OrderID: o.ID,
		Rating: in.Rating, Text: in.Text, CreatedAt: created, UpdatedAt: created,
	}
	// Mercado Libre and Amazon identify the buyer's seller feedback by its order.
	r.ID = o.ID
	if in.Platform != cases.MercadoLibre && in.Platform != cases.Amazon {
		r.ID = s.newID("")
	}
	s.putOrder(o)
	s.reviews[key(r.Platform, r.ID)] = r
	if r.Platform == cases.Taobao {
		s.queueTradeRated(r)
	}
	rc, oc := *r, *o
	s.mu.Unlock()

	if s.opts.WebhookURL != "" {
		if err := s.EmitReview(in.Platform, rc.ID); err != nil {
			s.log.Warn("review webhook failed", "platform", in.Platform, "review", rc.ID, "err", err)
		}
	}
	return rc, oc, nil
}

var defaultCurrency = map[cases.Marketplace]string{
	cases.MercadoLibre: "ARS", cases.Taobao: "CNY", cases.EBay: "USD", cases.Amazon: "USD",
}

// Revise changes a review's rating and text, keeping the old version.
func (s *Simulator) Revise(platform cases.Marketplace, reviewID string, rating int, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reviews[key(platform, reviewID)]
	if !ok {
		return ErrNotFound
	}
	r.Revisions = append(r.Revisions, Revision{Rating: r.Rating, Text: r.Text, At: r.UpdatedAt})
	r.Rating, r.Text, r.UpdatedAt = rating, text, s.now()
	if platform == cases.Taobao {
		s.queueTradeRated(r)
	}
	return nil
}

// AddFollowUp adds a buyer's follow-up review (Taobao 追评), which closes
// the seller's reply window.
func (s *Simulator) AddFollowUp(platform cases.Marketplace, reviewID, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reviews[key(platform, reviewID)]
	if !ok {
		return ErrNotFound
	}
	now := s.now()
	r.FollowUp, r.FollowUpAt, r.UpdatedAt = text, &now, now
	return nil
}

// RemoveReview marks a review removed (by the buyer or the platform).
func (s *Simulator) RemoveReview(platform cases.Marketplace, reviewID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reviews[key(platform, reviewID)]
	if !ok {
		return ErrNotFound
	}
	r.Removed, r.UpdatedAt = true, s.now()
	return nil
}

// AddBuyerMessage records a buyer's message on an order and notifies the
// webhook URL if one is configured.
func (s *Simulator) AddBuyerMessage(platform cases.Marketplace, orderID, text string) (ChatMessage, error) {
	s.mu.Lock()
	o, ok := s.orders[key(platform, orderID)]
	if !ok {
		s.mu.Unlock()
		return ChatMessage{}, ErrNotFound
	}
	m := ChatMessage{ID: s.newID("msg"), At: s.now(), From: "buyer", Text: text}
	o.Chat = append(o.Chat, m)
	s.mu.Unlock()
	if s.opts.WebhookURL != "" {
		if err := s.EmitBuyerMessage(platform, orderID, m.ID); err != nil {
			s.log.Warn("message webhook failed", "platform", platform, "order", orderID, "err", err)
		}
	}
	return m, nil
}

// CloseMessaging closes the buyer conversation (e.g. mediation, window_closed).
func (s *Simulator) CloseMessaging(platform cases.Marketplace, orderID, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[key(platform, orderID)]
	if !ok {
		return ErrNotFound
	}
	o.MessagingClosed = reason
	return nil
}

// ExpireAccessTokens invalidates every access token the platform issued, so
// the next call gets 401 and must refresh.
func (s *Simulator) ExpireAccessTokens(platform cases.Marketplace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth[platform].access = map[string]grant{}
}

// RevokeShop withdraws the shop's authorization: refresh tokens stop working
// (invalid_grant) and access tokens expire.
func (s *Simulator) RevokeShop(platform cases.Marketplace, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.auth[platform]
	for t, id := range st.refresh {
		if id == shopID {
			delete(st.refresh, t)
		}
	}
	for t, g := range st.access {
		if g.shopID == shopID {
			delete(st.access, t)
		}
	}
}

// Review returns a copy of a review.
func (s *Simulator) Review(platform cases.Marketplace, reviewID string) (Review, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reviews[key(platform, reviewID)]
	if !ok {
		return Review{}, false
	}
	return *r, true
}

// SeedDemo creates the DemoShops with a few bad reviews, for `redress
// simulate` and `redress dev`; ConnectorConfig(base, nil, DemoShops()...)
// configures connectors for them.
func (s *Simulator) SeedDemo() {
	s.Seed(DemoShops()...)
	day := 24 * time.Hour
	base := s.now().Add(-3 * day)
	track := func(delivered bool) []TrackingEvent {
		t := []TrackingEvent{
			{At: base.Add(-5 * day), Status: "shipped", Description: "Picked up by courier", Location: "Origin hub"},
			{At: base.Add(-3 * day), Status: "in_transit", Description: "Arrived at sorting center", Location: "Sorting center"},
		}
		if delivered {
			t = append(t, TrackingEvent{At: base.Add(-day), Status: "delivered", Description: "Delivered to buyer", Location: "Destination"})
		}
		return t
	}
	demo := []NewReview{
		{Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Text: "Llegó tarde y la caja rota", Item: "Auriculares", Amount: 2599000, ShippingFee: 150000, Courier: "Correo Argentino", TrackingNumber: "CA123", Tracking: track(true)},
		{Platform: cases.MercadoLibre, ShopID: "1001", Rating: 3, Text: "No es lo que esperaba", Item: "Funda", Amount: 899000, ShippingFee: 90000, Courier: "OCA", TrackingNumber: "OCA77", Tracking: track(true)},
		{Platform: cases.Taobao, ShopID: "demo-shop", Rating: 1, Text: "质量很差，用了一天就坏了", Item: "保温杯", Amount: 8900, ShippingFee: 1000, Courier: "中通快递", TrackingNumber: "ZTO5566", Tracking: track(true)},
		{Platform: cases.EBay, ShopID: "demo-seller", Rating: 1, Text: "Item never arrived", Item: "USB hub", Amount: 3499, ShippingFee: 599, Courier: "USPS", TrackingNumber: "9400100000000000000000", Tracking: track(false)},
		{Platform: cases.Amazon, ShopID: "A1DEMOSELLER", Rating: 2, Text: "Damaged on arrival", Item: "Desk lamp", Amount: 4599, ShippingFee: 0, Courier: "UPS", TrackingNumber: "1Z999", Tracking: track(true)},
	}
	for _, r := range demo {
		if _, _, err := s.AddReview(r); err != nil {
			s.log.Warn("demo review", "err", err)
		}
	}
}
