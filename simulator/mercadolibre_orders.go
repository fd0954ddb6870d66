package simulator

import (
	"net/http"

	"github.com/redress-hq/redress/cases"
)

// Claims, shipments and Mercado Pago refunds of Mercado Libre orders.

func (s *Simulator) meliClaims(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	if q.Get("resource") != "order" || q.Get("resource_id") == "" {
		writeJSON(w, 400, map[string]any{"error": "invalid_query", "message": "resource and resource_id must be sent together"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []any{}
	if o, ok := s.meliOrderOf(shopID, q.Get("resource_id")); ok {
		for _, c := range o.Claims {
			data = append(data, map[string]any{"id": meliNum(c.ID), "resource_id": meliNum(o.ID), "resource": "order", "status": c.Status,
				"type": "mediations", "stage": c.Stage, "parent_id": nil, "reason_id": c.Reason, "fulfilled": true, "quantity_type": nil,
				"players": []any{}, "resolution": nil, "site_id": meliSite(o), "date_created": o.CreatedAt, "last_updated": o.CreatedAt})
		}
	}
	writeJSON(w, 200, map[string]any{"paging": map[string]any{"total": len(data), "offset": 0, "limit": 30}, "data": data})
}

// meliShipmentOrder finds the order of a shipment id; "x-format-new: true" is mandatory.
func (s *Simulator) meliShipmentOrder(w http.ResponseWriter, r *http.Request, shopID string) (*Order, bool) {
	o, ok := s.meliOrderOf(shopID, meliOrderFrom(meliShipmentBase, r.PathValue("id")))
	if !ok {
		meliError(w, 404, "not_found", "failed to retrieve data", 0)
	}
	return o, ok
}

// meliShipmentStatus maps the simulator's tracking to Mercado Libre's
// shipment statuses (in transit is shipped).
func meliShipmentStatus(status string) string {
	switch status {
	case "delivered", "not_delivered", "cancelled", "ready_to_ship", "handling", "pending":
		return status
	}
	return "shipped"
}

func (s *Simulator) meliShipment(w http.ResponseWriter, r *http.Request, shopID string) {
	if r.Header.Get("X-Format-New") != "true" {
		meliError(w, 400, "bad_request", "the header x-format-new: true is required", 0)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliShipmentOrder(w, r, shopID)
	if !ok {
		return
	}
	status := "ready_to_ship"
	if len(o.Tracking) > 0 {
		status = meliShipmentStatus(o.Tracking[len(o.Tracking)-1].Status)
	}
	writeJSON(w, 200, map[string]any{
		"id": meliDerived(meliShipmentBase, o.ID), "external_reference": nil, "status": status, "substatus": nil,
		"date_created": o.CreatedAt, "last_updated": o.CreatedAt, "declared_value": o.Amount,
		"tracking_number": o.TrackingNumber, "tracking_method": o.Courier, "tags": []string{},
		"logistic":  map[string]any{"mode": "me2", "type": "drop_off", "direction": "forward"},
		"source":    map[string]any{"site_id": meliSite(o), "market_place": "MELI", "customer_id": nil, "application_id": nil},
		"lead_time": map[string]any{"cost": o.ShippingFee, "currency_id": o.Currency, "list_cost": o.ShippingFee, "cost_type": "charged"},
	})
}

func (s *Simulator) meliShipmentHistory(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliShipmentOrder(w, r, shopID)
	if !ok {
		return
	}
	out := []any{}
	for _, t := range o.Tracking {
		out = append(out, map[string]any{"status": meliShipmentStatus(t.Status), "substatus": t.Description, "date": t.At})
	}
	writeJSON(w, 200, out)
}

func meliRefundJSON(paymentID string, rf *Refund) map[string]any {
	return map[string]any{"id": meliNum(rf.ID), "payment_id": meliNum(paymentID), "amount": rf.Amount,
		"source":       map[string]any{"id": paymentID, "name": "Seller", "type": "collector"},
		"date_created": rf.CreatedAt, "unique_sequence_number": nil, "refund_mode": "standard", "adjustment_amount": 0,
		"status": rf.Status, "reason": nil}
}

// meliRefund is Mercado Pago's refund: X-Idempotency-Key is required, and a
// repeat returns the first refund instead of refunding again. Without an
// amount the refund is total.
func (s *Simulator) meliRefund(w http.ResponseWriter, r *http.Request, shopID string) {
	idem := r.Header.Get("X-Idempotency-Key")
	if idem == "" {
		meliError(w, 400, "bad_request", "Header X-Idempotency-Key can't be null (4292)", 0)
		return
	}
	var body struct {
		Amount cases.Money `json:"amount"`
	}
	if r.ContentLength != 0 && !readJSON(w, r, &body, meliError) {
		return
	}
	payment := r.PathValue("payment")
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, meliOrderFrom(meliPaymentBase, payment))
	if !ok {
		meliError(w, 404, "not_found", "Payment not found (4040)", 0)
		return
	}
	if prev, ok := s.mpKeys[shopID+"|"+idem]; ok {
		writeJSON(w, 201, meliRefundJSON(payment, prev))
		return
	}
	left := o.Amount - refundedTotal(o)
	if body.Amount == 0 {
		body.Amount = left
	}
	if body.Amount <= 0 || body.Amount > left {
		meliError(w, 400, "bad_request", "Invalid refund amount", 0)
		return
	}
	rf := &Refund{ID: s.newID(""), Amount: body.Amount, Status: "approved", Reference: idem, CreatedAt: s.now()}
	o.Refunds = append(o.Refunds, rf)
	s.mpKeys[shopID+"|"+idem] = rf
	s.record(LedgerEntry{Platform: cases.MercadoLibre, ShopID: shopID, Kind: LedgerRefund, Ref: idem, ID: rf.ID, OrderID: o.ID, Payload: body.Amount.String()})
	writeJSON(w, 201, meliRefundJSON(payment, rf))
}

func refundedTotal(o *Order) cases.Money {
	var sum cases.Money
	for _, rf := range o.Refunds {
		sum += rf.Amount
	}
	return sum
}

func (s *Simulator) meliRefundGet(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	payment := r.PathValue("payment")
	if o, ok := s.meliOrderOf(shopID, meliOrderFrom(meliPaymentBase, payment)); ok {
		for _, rf := range o.Refunds {
			if rf.ID == r.PathValue("refund") {
				writeJSON(w, 200, meliRefundJSON(payment, rf))
				return
			}
		}
	}
	meliError(w, 404, "not_found", "refund not found", 0)
}
