package simulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Mercado Libre and Mercado Pago as their documentation shows them: errors
// {message,error,status,cause[]} (messaging: {status_code,code,message}),
// bearer tokens from POST /oauth/token with single-use refresh tokens, ids as
// numbers. The platform has no coupon or reship API, so neither is served.

func meliError(w http.ResponseWriter, status int, code, message string, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	writeJSON(w, status, map[string]any{"message": message, "error": code, "status": status, "cause": []string{}})
}

// meliMessagingError is the messaging API's envelope.
func meliMessagingError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"status_code": status, "code": code, "message": message})
}

func (s *Simulator) meliHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", s.meliToken)
	mux.HandleFunc("GET /authorization", s.authorize(cases.MercadoLibre, "code", "client_id"))
	mux.HandleFunc("GET /orders/search", s.meliAuthed(s.meliOrderSearch))
	mux.HandleFunc("GET /orders/{id}", s.meliAuthed(s.meliOrder))
	mux.HandleFunc("GET /orders/{id}/feedback", s.meliAuthed(s.meliFeedback))
	mux.HandleFunc("POST /feedback/{id}/reply", s.meliAuthed(s.meliReply))
	mux.HandleFunc("GET /messages/packs/{pack}/sellers/{seller}", s.meliAuthed(s.meliMessages))
	mux.HandleFunc("POST /messages/packs/{pack}/sellers/{seller}", s.meliAuthed(s.meliSendMessage))
	mux.HandleFunc("GET /messages/{id}", s.meliAuthed(s.meliMessage))
	mux.HandleFunc("GET /messages/action_guide/packs/{pack}", s.meliAuthed(s.meliActionGuide))
	mux.HandleFunc("POST /messages/action_guide/packs/{pack}/option", s.meliAuthed(s.meliActionOption))
	mux.HandleFunc("GET /post-purchase/v1/claims/search", s.meliAuthed(s.meliClaims))
	mux.HandleFunc("GET /shipments/{id}", s.meliAuthed(s.meliShipment))
	mux.HandleFunc("GET /shipments/{id}/history", s.meliAuthed(s.meliShipmentHistory))
	mux.HandleFunc("GET /questions/search", s.meliAuthed(s.meliQuestionSearch)) // mercadolibre_questions.go
	mux.HandleFunc("POST /answers", s.meliAuthed(s.meliAnswer))
	mux.HandleFunc("POST /v1/payments/{payment}/refunds", s.meliAuthed(s.meliRefund))
	mux.HandleFunc("GET /v1/payments/{payment}/refunds/{refund}", s.meliAuthed(s.meliRefundGet))
	return http.StripPrefix("/mercadolibre", mux)
}

func (s *Simulator) meliToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		meliError(w, 400, "invalid_request", err.Error(), 0)
		return
	}
	app := s.opts.Apps[cases.MercadoLibre]
	if r.Form.Get("client_id") != app.ClientID || r.Form.Get("client_secret") != app.ClientSecret {
		meliError(w, 401, "invalid_client", "invalid client_id or client_secret", 0)
		return
	}
	if r.Form.Get("grant_type") == "authorization_code" {
		s.mu.Lock()
		access, refresh, shopID, ok := s.exchangeCode(cases.MercadoLibre, r.Form.Get("code"), app.ClientID, r.Form.Get("redirect_uri"))
		s.mu.Unlock()
		if !ok {
			writeJSON(w, 400, map[string]any{"error_description": "Error validating grant. Your authorization code or refresh token may be expired or it was already used",
				"error": "invalid_grant", "status": 400, "cause": []string{}})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": access, "token_type": "bearer", "expires_in": int(s.opts.AccessTokenTTL.Seconds()),
			"scope": "offline_access read write", "user_id": meliNum(shopID), "refresh_token": refresh})
		return
	}
	if r.Form.Get("grant_type") != "refresh_token" {
		meliError(w, 400, "unsupported_grant_type", "grant_type must be refresh_token or authorization_code", 0)
		return
	}
	s.mu.Lock()
	access, refresh, shopID, ok := s.issue(s.auth[cases.MercadoLibre], r.Form.Get("refresh_token"), true)
	s.mu.Unlock()
	s.refreshed(cases.MercadoLibre, ok)
	if !ok {
		writeJSON(w, 400, map[string]any{"error_description": "Error validating grant. Your authorization code or refresh token may be expired or it was already used",
			"error": "invalid_grant", "status": 400, "cause": []string{}})
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": access, "token_type": "bearer", "expires_in": int(s.opts.AccessTokenTTL.Seconds()),
		"scope": "offline_access read write", "user_id": meliNum(shopID), "refresh_token": refresh})
}

type meliCall func(w http.ResponseWriter, r *http.Request, shopID string)

func (s *Simulator) meliAuthed(h meliCall) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		shopID, ok := s.shopFor(s.auth[cases.MercadoLibre], token)
		s.mu.Unlock()
		if !ok {
			meliError(w, 401, "unauthorized", "invalid access token", 0)
			return
		}
		if !s.admit(cases.MercadoLibre, shopID) {
			meliError(w, 429, "local_rate_limited", "Too many requests", 1)
			return
		}
		h(w, r, shopID)
	}
}

// meliNum renders an id as the JSON number Mercado Libre sends, or as a
// string when it is not numeric.
func meliNum(id string) any {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return n
	}
	return id
}

// Feedback, payment and shipment ids are numbers derived from the order id.
const (
	meliFeedbackBase = 5_000_000_000_000
	meliPaymentBase  = 7_000_000_000_000
	meliShipmentBase = 4_000_000_000_000
)

func meliDerived(base int64, orderID string) any {
	n, err := strconv.ParseInt(orderID, 10, 64)
	if err != nil {
		return orderID
	}
	return base + n
}

// meliOrderFrom turns a derived id back into the order id.
func meliOrderFrom(base int64, id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < base {
		return id
	}
	return strconv.FormatInt(n-base, 10)
}

// meliSites: the order's site follows its currency.
var meliSites = map[string]string{"ARS": "MLA", "BRL": "MLB", "CLP": "MLC", "MXN": "MLM", "COP": "MCO", "UYU": "MLU", "PEN": "MPE", "USD": "MEC"}

func meliSite(o *Order) string {
	if site, ok := meliSites[o.Currency]; ok {
		return site
	}
	return "MLA"
}

// meliOrderOf finds the shop's order; callers hold s.mu.
func (s *Simulator) meliOrderOf(shopID, id string) (*Order, bool) {
	o, ok := s.orders[key(cases.MercadoLibre, id)]
	if !ok || o.ShopID != shopID {
		return nil, false
	}
	return o, true
}

// meliReview is the buyer's visible feedback on the order, if any; callers hold s.mu.
func (s *Simulator) meliReview(o *Order) (*Review, bool) {
	r, ok := s.reviews[key(cases.MercadoLibre, o.ID)]
	if !ok || r.Removed {
		return nil, false
	}
	return r, true
}

func meliUser(id, nickname string) map[string]any {
	return map[string]any{"id": meliNum(id), "nickname": nickname, "status": "active", "points": 10}
}

// meliFeedbackJSON is one side of GET /orders/{id}/feedback, as documented.
func meliFeedbackJSON(o *Order, r *Review) map[string]any {
	var reply any
	if r.RepliedAt != nil {
		reply = map[string]any{"text": r.Reply, "date_created": r.RepliedAt}
	}
	return map[string]any{
		"id": meliDerived(meliFeedbackBase, o.ID), "order_id": meliNum(o.ID), "role": "buyer", "reason": nil,
		"item":   map[string]any{"id": meliItemID(o), "title": o.Item, "price": o.Amount, "currency_id": o.Currency},
		"rating": stars(r.Rating), "message": r.Text, "fulfilled": r.Rating > 2, "modified": len(r.Revisions) > 0,
		"date_created": r.CreatedAt, "visibility_date": r.CreatedAt, "extended_feedback": []any{}, "has_seller_refunded_money": nil,
		"site_id": meliSite(o), "from": meliUser(o.BuyerID, o.BuyerName), "to": meliUser(o.ShopID, "SELLER"+o.ShopID),
		"reply": reply, "app_id": "1505", "status": "active",
	}
}

func meliItemID(o *Order) string { return meliSite(o) + o.ID }

func (s *Simulator) meliOrderJSON(o *Order) map[string]any {
	status := "paid"
	if o.Refunded() {
		status = "cancelled"
	}
	updated := o.CreatedAt
	purchase := any(nil)
	if r, ok := s.reviews[key(cases.MercadoLibre, o.ID)]; ok {
		updated = r.UpdatedAt
		if !r.Removed {
			purchase = meliDerived(meliFeedbackBase, o.ID)
		}
	}
	return map[string]any{
		"id": meliNum(o.ID), "status": status, "status_detail": nil, "pack_id": nil,
		"date_created": o.CreatedAt, "date_closed": o.CreatedAt, "date_last_updated": updated,
		"total_amount": o.Amount, "paid_amount": o.Amount, "currency_id": o.Currency,
		"buyer":  map[string]any{"id": meliNum(o.BuyerID), "nickname": o.BuyerName},
		"seller": map[string]any{"id": meliNum(o.ShopID)},
		"order_items": []any{map[string]any{"item": map[string]any{"id": meliItemID(o), "title": o.Item, "variation_id": nil, "variation_attributes": []any{}},
			"quantity": 1, "unit_price": o.Amount, "currency_id": o.Currency}},
		"payments": []any{map[string]any{"id": meliDerived(meliPaymentBase, o.ID), "order_id": meliNum(o.ID), "status": "approved",
			"transaction_amount": o.Amount, "shipping_cost": o.ShippingFee, "currency_id": o.Currency, "site_id": meliSite(o),
			"date_approved": o.CreatedAt, "date_created": o.CreatedAt, "date_last_modified": o.CreatedAt}},
		"shipping": map[string]any{"id": meliDerived(meliShipmentBase, o.ID)},
		"feedback": map[string]any{"purchase": purchase, "sale": nil},
		"context":  map[string]any{"channel": "marketplace", "site": meliSite(o), "flows": []any{}},
		"tags":     []string{status},
	}
}

func (s *Simulator) meliOrderSearch(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	if q.Get("seller") != shopID {
		meliError(w, 403, "forbidden", "seller does not match the token", 0)
		return
	}
	var from time.Time
	if v := q.Get("order.date_last_updated.from"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			meliError(w, 400, "bad_request", "invalid order.date_last_updated.from", 0)
			return
		}
		from = t
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 51 {
		limit = 50
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*Review
	for _, rv := range s.reviews {
		if rv.Platform == cases.MercadoLibre && rv.ShopID == shopID && !rv.UpdatedAt.Before(from) {
			all = append(all, rv)
		}
	}
	sortReviews(all)
	results := []any{}
	for i := offset; i < len(all) && i < offset+limit; i++ {
		results = append(results, s.meliOrderJSON(s.orders[key(cases.MercadoLibre, all[i].OrderID)]))
	}
	writeJSON(w, 200, map[string]any{"query": q.Get("q"), "display": "complete", "results": results,
		"sort": map[string]any{"id": "date_asc", "name": "Date ascending"}, "available_sorts": []any{}, "filters": []any{},
		"paging": map[string]any{"total": len(all), "offset": offset, "limit": limit}})
}

func (s *Simulator) meliOrder(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("id"))
	if !ok {
		meliError(w, 404, "order_not_found", "order not found", 0)
		return
	}
	writeJSON(w, 200, s.meliOrderJSON(o))
}

// meliFeedback answers both sides; the seller never rates in the simulator.
func (s *Simulator) meliFeedback(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("id"))
	if !ok {
		meliError(w, 404, "order_not_found", "order not found", 0)
		return
	}
	var purchase any
	if rv, ok := s.meliReview(o); ok {
		purchase = meliFeedbackJSON(o, rv)
	}
	writeJSON(w, 200, map[string]any{"sale": nil, "purchase": purchase})
}

// meliReplyWindow: "reply_time_expired", 14 days to reply.
const meliReplyWindow = 14 * 24 * time.Hour

func (s *Simulator) meliReply(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Reply string `json:"reply"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, meliOrderFrom(meliFeedbackBase, r.PathValue("id")))
	var rv *Review
	if ok {
		rv, ok = s.meliReview(o)
	}
	if !ok {
		meliError(w, 404, "feedback_not_found", "feedback not found", 0)
		return
	}
	switch {
	case body.Reply == "":
		meliError(w, 400, "validation_error", "reply is required", 0)
	case utf8.RuneCountInString(body.Reply) >= 160:
		meliError(w, 400, "validation_error", "reply must have less than 160 characters", 0)
	case rv.RepliedAt != nil:
		meliError(w, 400, "reply_already_exists", "the feedback already has a reply", 0)
	case s.now().Sub(rv.CreatedAt) > meliReplyWindow:
		meliError(w, 400, "reply_time_expired", "the reply window of 14 days is over", 0)
	default:
		now := s.now()
		rv.Reply, rv.RepliedAt = body.Reply, &now
		s.record(LedgerEntry{Platform: cases.MercadoLibre, ShopID: shopID, Kind: LedgerReply, Ref: rv.ID, ID: r.PathValue("id"), OrderID: rv.OrderID, ReviewID: rv.ID, Payload: body.Reply})
		writeJSON(w, 201, meliFeedbackJSON(o, rv))
	}
}
