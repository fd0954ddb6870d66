package simulator

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Amazon SP-API: LWA tokens (POST /amazon/auth/o2/token), x-amz-access-token
// on calls, errors {errors:[{code,message,details}]}. No review or public
// reply API exists, so none is served.

func amazonError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"code": code, "message": message, "details": ""}}})
}

func amazonFault(w http.ResponseWriter, status int, code, message string, retryAfter int) {
	if status == http.StatusTooManyRequests {
		// SP-API states the rate it enforces, not a wait.
		w.Header().Set("x-amzn-RateLimit-Limit", strconv.FormatFloat(1/float64(max(retryAfter, 1)), 'f', 4, 64))
		amazonError(w, status, "QuotaExceeded", "You exceeded your quota for the requested resource.")
		return
	}
	amazonError(w, status, "InternalFailure", message)
}

func (s *Simulator) amazonHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/o2/token", s.amazonToken)
	a := s.amazonAuthed
	mux.HandleFunc("GET /messaging/v1/orders/{id}", a(s.amazonMessagingActions))
	mux.HandleFunc("POST /messaging/v1/orders/{id}/messages/unexpectedProblem", a(s.amazonUnexpectedProblem))
	mux.HandleFunc("GET /orders/v0/orders/{id}", a(s.amazonOrder))
	mux.HandleFunc("GET /orders/v0/orders/{id}/orderItems", a(s.amazonOrderItems))
	mux.HandleFunc("GET /shipping/v2/tracking", a(s.amazonTracking))
	mux.HandleFunc("POST /refunds/2026-01-01/refunds", a(s.amazonCreateRefund))
	mux.HandleFunc("GET /refunds/2026-01-01/refunds", a(s.amazonListRefunds))
	mux.HandleFunc("GET /refunds/2026-01-01/refunds/{id}", a(s.amazonGetRefund))
	mux.HandleFunc("POST /fba/outbound/2020-07-01/fulfillmentOrders", a(s.amazonCreateFulfillment))
	mux.HandleFunc("GET /fba/outbound/2020-07-01/fulfillmentOrders/{id}", a(s.amazonGetFulfillment))
	return http.StripPrefix("/amazon", mux)
}

func (s *Simulator) amazonToken(w http.ResponseWriter, r *http.Request) {
	app := s.opts.Apps[cases.Amazon]
	if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "refresh_token" {
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "grant_type must be refresh_token"})
		return
	}
	if r.Form.Get("client_id") != app.ClientID || r.Form.Get("client_secret") != app.ClientSecret {
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	s.mu.Lock()
	access, refresh, _, ok := s.issue(s.auth[cases.Amazon], r.Form.Get("refresh_token"), false)
	s.mu.Unlock()
	if !ok {
		writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "The request has an invalid grant parameter : refresh_token"})
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": "Atza|" + access, "token_type": "bearer", "expires_in": int(s.opts.AccessTokenTTL.Seconds()), "refresh_token": refresh})
}

type amazonCall func(w http.ResponseWriter, r *http.Request, shopID string)

func (s *Simulator) amazonAuthed(h amazonCall) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		shopID, ok := s.shopFor(s.auth[cases.Amazon], strings.TrimPrefix(r.Header.Get("x-amz-access-token"), "Atza|"))
		s.mu.Unlock()
		if !ok {
			amazonError(w, 403, "Unauthorized", "Access to requested resource is denied. The access token you provided has expired.")
			return
		}
		h(w, r, shopID)
	}
}

func (s *Simulator) amazonOrderOf(w http.ResponseWriter, shopID, id string) (*Order, bool) {
	o, ok := s.orders[key(cases.Amazon, id)]
	if !ok || o.ShopID != shopID {
		amazonError(w, 404, "NotFound", "order not found")
		return nil, false
	}
	return o, true
}

func amazonMoney(m cases.Money, currency string) map[string]any {
	return map[string]any{"CurrencyCode": currency, "Amount": m.String()}
}

func (s *Simulator) amazonMessagingActions(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	actions := []any{}
	if o.MessagingClosed == "" {
		actions = append(actions, map[string]any{"href": "/messaging/v1/orders/" + o.ID + "/messages/unexpectedProblem", "name": "unexpectedProblem"})
	}
	writeJSON(w, 200, map[string]any{"_links": map[string]any{"self": map[string]any{"href": "/messaging/v1/orders/" + o.ID}, "actions": actions}})
}

// amazonUnexpectedProblem enforces 1–2000 characters, no HTML, no email addresses.
func (s *Simulator) amazonUnexpectedProblem(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Text string `json:"text"`
	}
	if !readJSON(w, r, &body, amazonFault) {
		return
	}
	if r.URL.Query().Get("marketplaceIds") == "" {
		amazonError(w, 400, "InvalidInput", "marketplaceIds is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	text := body.Text
	switch {
	case text == "" || utf8.RuneCountInString(text) > 2000:
		amazonError(w, 400, "InvalidInput", "text must be 1-2000 characters")
	case strings.Contains(text, "<") && strings.Contains(text, ">"), strings.Contains(text, "@"):
		amazonError(w, 400, "InvalidInput", "text must not contain HTML or email addresses")
	case o.MessagingClosed != "":
		amazonError(w, 403, "Unauthorized", "this action is not available for the order")
	default:
		m := ChatMessage{ID: s.newID("AM"), At: s.now(), From: "seller", Text: text}
		o.Chat = append(o.Chat, m)
		s.record(LedgerEntry{Platform: cases.Amazon, ShopID: shopID, Kind: LedgerMessage, Ref: o.ID + "|" + text, ID: m.ID, OrderID: o.ID, Payload: text})
		writeJSON(w, 201, map[string]any{})
	}
}

func (s *Simulator) amazonOrder(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	status := "Unshipped"
	if o.ShippedAt != nil {
		status = "Shipped"
	}
	payload := map[string]any{"AmazonOrderId": o.ID, "OrderStatus": status, "PurchaseDate": o.CreatedAt, "LastUpdateDate": o.CreatedAt,
		"OrderTotal": amazonMoney(o.Amount, o.Currency), "FulfillmentChannel": "MFN", "MarketplaceId": "ATVPDKIKX0DER",
		// Modelled: SP-API orders do not carry tracking; the simulator exposes it here.
		"TrackingInfo": map[string]any{"carrierId": o.Courier, "trackingId": o.TrackingNumber}}
	if o.ShippedAt != nil {
		payload["LatestShipDate"] = o.ShippedAt
	}
	if o.DeliveredAt != nil {
		payload["LatestDeliveryDate"] = o.DeliveredAt
	}
	writeJSON(w, 200, map[string]any{"payload": payload})
}

func (s *Simulator) amazonOrderItems(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	writeJSON(w, 200, map[string]any{"payload": map[string]any{"AmazonOrderId": o.ID, "OrderItems": []any{map[string]any{
		"ASIN": "B0SIM" + o.ID, "Title": o.Item, "QuantityOrdered": 1, "ItemPrice": amazonMoney(o.Amount, o.Currency), "ShippingPrice": amazonMoney(o.ShippingFee, o.Currency),
	}}}})
}

func (s *Simulator) amazonTracking(w http.ResponseWriter, r *http.Request, shopID string) {
	id := r.URL.Query().Get("trackingId")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.Platform != cases.Amazon || o.ShopID != shopID || o.TrackingNumber != id || id == "" {
			continue
		}
		events := []any{}
		for _, t := range o.Tracking {
			events = append(events, map[string]any{"eventCode": t.Status, "eventTime": t.At, "location": map[string]any{"city": t.Location}, "shipmentType": "FORWARD"})
		}
		status := "PreTransit"
		if len(o.Tracking) > 0 {
			status = o.Tracking[len(o.Tracking)-1].Status
		}
		writeJSON(w, 200, map[string]any{"payload": map[string]any{"trackingId": id, "eventHistory": events, "summary": map[string]any{"status": status}}})
		return
	}
	amazonError(w, 404, "NotFound", "tracking id not found")
}

// Refunds are modelled (SP-API refunds are feeds): clientReferenceId is
// stored and echoed, not deduplicated, as on platforms without keys.
func amazonRefundJSON(o *Order, rf *Refund) map[string]any {
	return map[string]any{"refundId": rf.ID, "amazonOrderId": o.ID, "status": rf.Status, "clientReferenceId": rf.Reference,
		"amount": map[string]any{"currencyCode": o.Currency, "value": rf.Amount.String()}, "createdTime": rf.CreatedAt}
}

func (s *Simulator) amazonCreateRefund(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		AmazonOrderID     string `json:"amazonOrderId"`
		ClientReferenceID string `json:"clientReferenceId"`
		Amount            struct {
			CurrencyCode string `json:"currencyCode"`
			Value        string `json:"value"`
		} `json:"amount"`
	}
	if !readJSON(w, r, &body, amazonFault) {
		return
	}
	amount, err := cases.ParseMoney(body.Amount.Value)
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, body.AmazonOrderID)
	if !ok {
		return
	}
	if err != nil || amount <= 0 || amount > o.Amount-refundedTotal(o) {
		amazonError(w, 400, "InvalidInput", "amount must be positive and at most the unrefunded total")
		return
	}
	rf := &Refund{ID: s.newID("AR"), Amount: amount, Status: "PENDING", Reference: body.ClientReferenceID, CreatedAt: s.now()}
	o.Refunds = append(o.Refunds, rf)
	s.record(LedgerEntry{Platform: cases.Amazon, ShopID: shopID, Kind: LedgerRefund, Ref: rf.Reference, ID: rf.ID, OrderID: o.ID, Payload: amount.String()})
	writeJSON(w, 202, amazonRefundJSON(o, rf))
}

func (s *Simulator) amazonListRefunds(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.URL.Query().Get("amazonOrderId"))
	if !ok {
		return
	}
	list := []any{}
	for _, rf := range o.Refunds {
		list = append(list, amazonRefundJSON(o, rf))
	}
	writeJSON(w, 200, map[string]any{"refunds": list})
}

func (s *Simulator) amazonGetRefund(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.Platform != cases.Amazon || o.ShopID != shopID {
			continue
		}
		for _, rf := range o.Refunds {
			if rf.ID == r.PathValue("id") {
				rf.reads++
				if rf.reads > 1 {
					rf.Status = "SUCCEEDED"
				}
				writeJSON(w, 200, amazonRefundJSON(o, rf))
				return
			}
		}
	}
	amazonError(w, 404, "NotFound", "refund not found")
}

func (s *Simulator) amazonCreateFulfillment(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		SellerFulfillmentOrderID string `json:"sellerFulfillmentOrderId"`
		DisplayableOrderID       string `json:"displayableOrderId"`
		DisplayableOrderComment  string `json:"displayableOrderComment"`
	}
	if !readJSON(w, r, &body, amazonFault) {
		return
	}
	if id := body.SellerFulfillmentOrderID; id == "" || len(id) > 40 {
		amazonError(w, 400, "InvalidInput", "sellerFulfillmentOrderId must be 1-40 characters")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, body.DisplayableOrderID)
	if !ok {
		return
	}
	if _, exists := s.amazonFulfillment(shopID, body.SellerFulfillmentOrderID); exists {
		amazonError(w, 400, "InvalidInput", "a fulfillment order with this sellerFulfillmentOrderId already exists")
		return
	}
	s.addReship(cases.Amazon, shopID, o.ID, body.SellerFulfillmentOrderID, body.DisplayableOrderComment)
	writeJSON(w, 200, map[string]any{})
}

// amazonFulfillment finds an MCF order by its seller id; callers hold s.mu.
func (s *Simulator) amazonFulfillment(shopID, id string) (*Reship, bool) {
	for k, list := range s.reships {
		for _, rs := range list {
			if o, ok := s.orders[k]; ok && o.Platform == cases.Amazon && o.ShopID == shopID && rs.Reference == id {
				return rs, true
			}
		}
	}
	return nil, false
}

func (s *Simulator) amazonGetFulfillment(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs, ok := s.amazonFulfillment(shopID, r.PathValue("id"))
	if !ok {
		amazonError(w, 404, "NotFound", "fulfillment order not found")
		return
	}
	writeJSON(w, 200, map[string]any{"payload": map[string]any{"fulfillmentOrder": map[string]any{
		"sellerFulfillmentOrderId": rs.Reference, "displayableOrderId": rs.OrderID, "displayableOrderComment": rs.Note, "fulfillmentOrderStatus": "RECEIVED",
	}}})
}
