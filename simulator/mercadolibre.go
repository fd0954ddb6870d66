package simulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Mercado Libre wire format: errors are {message,error,status,cause[]},
// bearer tokens from POST /oauth/token with single-use refresh tokens.

func meliError(w http.ResponseWriter, status int, code, message string, retryAfter int) {
	meliErrorCause(w, status, code, message, retryAfter)
}

func meliErrorCause(w http.ResponseWriter, status int, code, message string, retryAfter int, cause ...string) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	if cause == nil {
		cause = []string{}
	}
	writeJSON(w, status, map[string]any{"message": message, "error": code, "status": status, "cause": cause})
}

func (s *Simulator) meliHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", s.meliToken)
	mux.HandleFunc("GET /orders/search", s.meliAuthed(s.meliOrderSearch))
	mux.HandleFunc("GET /orders/{id}", s.meliAuthed(s.meliOrder))
	mux.HandleFunc("GET /orders/{id}/feedback", s.meliAuthed(s.meliFeedback))
	mux.HandleFunc("POST /feedback/{id}/reply", s.meliAuthed(s.meliReply))
	mux.HandleFunc("GET /messages/packs/{pack}/sellers/{seller}", s.meliAuthed(s.meliMessages))
	mux.HandleFunc("POST /messages/packs/{pack}/sellers/{seller}", s.meliAuthed(s.meliSendMessage))
	mux.HandleFunc("GET /messages/{id}", s.meliAuthed(s.meliMessage))
	mux.HandleFunc("GET /post-purchase/v1/claims/search", s.meliAuthed(s.meliClaims))
	mux.HandleFunc("GET /shipments/{id}", s.meliAuthed(s.meliShipment))
	mux.HandleFunc("GET /shipments/{id}/history", s.meliAuthed(s.meliShipmentHistory))
	mux.HandleFunc("POST /v1/payments/{payment}/refunds", s.meliAuthed(s.meliRefund))
	mux.HandleFunc("GET /v1/payments/{payment}/refunds/{refund}", s.meliAuthed(s.meliRefundGet))
	mux.HandleFunc("POST /seller-promotions/coupons", s.meliAuthed(s.meliCreateCoupon))
	mux.HandleFunc("GET /seller-promotions/coupons", s.meliAuthed(s.meliListCoupons))
	mux.HandleFunc("POST /orders/{id}/reships", s.meliAuthed(s.meliCreateReship))
	mux.HandleFunc("GET /orders/{id}/reships", s.meliAuthed(s.meliListReships))
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
	if r.Form.Get("grant_type") != "refresh_token" {
		meliError(w, 400, "unsupported_grant_type", "grant_type must be refresh_token", 0)
		return
	}
	s.mu.Lock()
	access, refresh, shopID, ok := s.issue(s.auth[cases.MercadoLibre], r.Form.Get("refresh_token"), true)
	s.mu.Unlock()
	if !ok {
		meliError(w, 400, "invalid_grant", "the refresh token is invalid or was already used", 0)
		return
	}
	uid, _ := strconv.ParseInt(shopID, 10, 64)
	writeJSON(w, 200, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": int(s.opts.AccessTokenTTL.Seconds()),
		"scope": "offline_access read write", "user_id": uid, "refresh_token": refresh})
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
		h(w, r, shopID)
	}
}

// meliOrderOf finds the shop's order; callers hold s.mu.
func (s *Simulator) meliOrderOf(shopID, id string) (*Order, bool) {
	o, ok := s.orders[key(cases.MercadoLibre, id)]
	if !ok || o.ShopID != shopID {
		return nil, false
	}
	return o, true
}

func meliFeedbackJSON(r *Review) map[string]any {
	fb := map[string]any{
		"id": "F" + r.ID, "order_id": r.OrderID, "rating": stars(r.Rating), "message": r.Text,
		"date_created": r.CreatedAt, "date_modified": r.UpdatedAt, "status": "active", "fulfilled": r.Rating > 2,
		"modified": len(r.Revisions) > 0, "stars": r.Rating, "reply": nil,
	}
	if r.Removed {
		fb["status"] = "hidden"
	}
	if r.RepliedAt != nil {
		fb["reply"] = map[string]any{"text": r.Reply, "date_created": r.RepliedAt}
	}
	return fb
}

func (s *Simulator) meliOrderJSON(o *Order) map[string]any {
	status := "paid"
	if o.Refunded() {
		status = "cancelled"
	}
	buyerID, _ := strconv.ParseInt(o.BuyerID, 10, 64)
	order := map[string]any{
		"id": o.ID, "status": status, "pack_id": nil, "date_created": o.CreatedAt, "date_closed": o.CreatedAt,
		"total_amount": o.Amount, "currency_id": o.Currency,
		"buyer":       map[string]any{"id": buyerID, "nickname": o.BuyerName},
		"seller":      map[string]any{"id": o.ShopID},
		"order_items": []any{map[string]any{"item": map[string]any{"id": "MLA" + o.ID, "title": o.Item}, "quantity": 1, "unit_price": o.Amount}},
		"payments":    []any{map[string]any{"id": "P" + o.ID, "status": "approved", "transaction_amount": o.Amount, "shipping_cost": o.ShippingFee, "date_approved": o.CreatedAt}},
		"shipping":    map[string]any{"id": "S" + o.ID},
		"feedback":    map[string]any{"sale": nil, "purchase": nil},
	}
	if r, ok := s.reviews[key(cases.MercadoLibre, o.ID)]; ok {
		order["feedback"] = map[string]any{"sale": nil, "purchase": meliFeedbackJSON(r)}
		order["date_last_updated"] = r.UpdatedAt
	}
	return order
}

func (s *Simulator) meliOrderSearch(w http.ResponseWriter, r *http.Request, shopID string) {
	if r.URL.Query().Get("seller") != shopID {
		meliError(w, 403, "forbidden", "seller does not match the token", 0)
		return
	}
	var from time.Time
	if v := r.URL.Query().Get("order.date_last_updated.from"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			meliError(w, 400, "bad_request", "invalid order.date_last_updated.from", 0)
			return
		}
		from = t
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
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
	writeJSON(w, 200, map[string]any{"results": results, "paging": map[string]any{"total": len(all), "offset": offset, "limit": limit}})
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

func (s *Simulator) meliFeedback(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("id"))
	if !ok {
		meliError(w, 404, "order_not_found", "order not found", 0)
		return
	}
	var purchase any
	if rv, ok := s.reviews[key(cases.MercadoLibre, o.ID)]; ok {
		purchase = meliFeedbackJSON(rv)
	}
	writeJSON(w, 200, map[string]any{"sale": nil, "purchase": purchase})
}

func (s *Simulator) meliReply(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Reply string `json:"reply"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	orderID := strings.TrimPrefix(r.PathValue("id"), "F")
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.reviews[key(cases.MercadoLibre, orderID)]
	if !ok || rv.ShopID != shopID {
		meliError(w, 404, "feedback_not_found", "feedback not found", 0)
		return
	}
	switch {
	case body.Reply == "":
		meliError(w, 400, "validation_error", "reply is required", 0)
	case utf8.RuneCountInString(body.Reply) >= 160:
		meliError(w, 400, "validation_error", "reply must have less than 160 characters", 0)
	case rv.RepliedAt != nil:
		meliError(w, 400, "feedback_already_replied", "the feedback already has a reply", 0)
	default:
		now := s.now()
		rv.Reply, rv.RepliedAt = body.Reply, &now
		s.record(LedgerEntry{Platform: cases.MercadoLibre, ShopID: shopID, Kind: LedgerReply, Ref: rv.ID, ID: "F" + rv.ID, OrderID: rv.OrderID, ReviewID: rv.ID, Payload: body.Reply})
		writeJSON(w, 201, map[string]any{"id": "F" + rv.ID, "reply": map[string]any{"text": body.Reply, "date_created": now}})
	}
}

func meliMessageJSON(o *Order, m ChatMessage) map[string]any {
	from, to := o.BuyerID, o.ShopID
	if m.From == "seller" {
		from, to = o.ShopID, o.BuyerID
	}
	return map[string]any{
		"id": m.ID, "text": m.Text, "status": "available",
		"from": map[string]any{"user_id": from}, "to": map[string]any{"user_id": to},
		"message_date":      map[string]any{"created": m.At},
		"message_resources": []any{map[string]any{"id": o.ID, "name": "packs"}},
	}
}

func meliBlockReason(o *Order) string {
	switch {
	case o.MessagingClosed != "":
		return o.MessagingClosed
	case o.Refunded():
		return "blocked_by_refund"
	}
	return ""
}

func (s *Simulator) meliMessages(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("pack"))
	if !ok || r.PathValue("seller") != shopID {
		meliError(w, 404, "not_found", "pack not found", 0)
		return
	}
	msgs := []any{}
	for _, m := range o.Chat {
		msgs = append(msgs, meliMessageJSON(o, m))
	}
	status := map[string]any{"status": "active", "substatus": nil}
	if reason := meliBlockReason(o); reason != "" {
		status = map[string]any{"status": "blocked", "substatus": reason}
	}
	writeJSON(w, 200, map[string]any{"paging": map[string]any{"total": len(msgs)}, "conversation_status": status, "messages": msgs})
}

func (s *Simulator) meliSendMessage(w http.ResponseWriter, r *http.Request, shopID string) {
	if r.URL.Query().Get("tag") != "post_sale" {
		meliError(w, 400, "bad_request", "tag=post_sale is required", 0)
		return
	}
	var body struct {
		From struct {
			UserID string `json:"user_id"`
		} `json:"from"`
		To struct {
			UserID string `json:"user_id"`
		} `json:"to"`
		Text string `json:"text"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("pack"))
	if !ok || r.PathValue("seller") != shopID {
		meliError(w, 404, "not_found", "pack not found", 0)
		return
	}
	if reason := meliBlockReason(o); reason != "" {
		meliErrorCause(w, 403, "blocked_conversation_send_message_forbidden", "the conversation is blocked", 0, reason)
		return
	}
	switch {
	case body.Text == "":
		meliError(w, 400, "validation_error", "text is required", 0)
		return
	case utf8.RuneCountInString(body.Text) > 350:
		meliError(w, 400, "validation_error", "text must have at most 350 characters", 0)
		return
	case !latin1(body.Text):
		meliError(w, 400, "validation_error", "text must be ISO-8859-1", 0)
		return
	}
	m := ChatMessage{ID: s.newID(""), At: s.now(), From: "seller", Text: body.Text}
	if reason := moderationReason(body.Text); reason != "" {
		writeJSON(w, 201, map[string]any{"id": m.ID, "status": "moderated", "message_moderation": map[string]any{"status": "rejected", "reason": reason}})
		return
	}
	o.Chat = append(o.Chat, m)
	s.record(LedgerEntry{Platform: cases.MercadoLibre, ShopID: shopID, Kind: LedgerMessage, Ref: o.ID + "|" + body.Text, ID: m.ID, OrderID: o.ID, Payload: body.Text})
	writeJSON(w, 201, meliMessageJSON(o, m))
}

func (s *Simulator) meliMessage(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.Platform != cases.MercadoLibre || o.ShopID != shopID {
			continue
		}
		for _, m := range o.Chat {
			if m.ID == r.PathValue("id") {
				writeJSON(w, 200, meliMessageJSON(o, m))
				return
			}
		}
	}
	meliError(w, 404, "not_found", "message not found", 0)
}

func (s *Simulator) meliClaims(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []any{}
	if o, ok := s.meliOrderOf(shopID, r.URL.Query().Get("resource_id")); ok {
		for _, c := range o.Claims {
			data = append(data, map[string]any{"id": c.ID, "status": c.Status, "reason_id": c.Reason, "stage": c.Stage, "resource_id": o.ID, "resource": "order"})
		}
	}
	writeJSON(w, 200, map[string]any{"paging": map[string]any{"total": len(data)}, "data": data})
}

func (s *Simulator) meliShipmentOrder(w http.ResponseWriter, r *http.Request, shopID string) (*Order, bool) {
	o, ok := s.meliOrderOf(shopID, strings.TrimPrefix(r.PathValue("id"), "S"))
	if !ok {
		meliError(w, 404, "not_found", "shipment not found", 0)
	}
	return o, ok
}

func (s *Simulator) meliShipment(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliShipmentOrder(w, r, shopID)
	if !ok {
		return
	}
	status := "ready_to_ship"
	if len(o.Tracking) > 0 {
		status = o.Tracking[len(o.Tracking)-1].Status
	}
	writeJSON(w, 200, map[string]any{
		"id": "S" + o.ID, "order_id": o.ID, "status": status, "tracking_number": o.TrackingNumber, "tracking_method": o.Courier,
		"shipping_option": map[string]any{"cost": o.ShippingFee, "currency_id": o.Currency},
		"status_history":  map[string]any{"date_shipped": o.ShippedAt, "date_delivered": o.DeliveredAt},
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
		out = append(out, map[string]any{"status": t.Status, "substatus": t.Description, "date": t.At, "location": t.Location})
	}
	writeJSON(w, 200, out)
}

func meliRefundJSON(paymentID string, rf *Refund) map[string]any {
	return map[string]any{"id": rf.ID, "payment_id": paymentID, "amount": rf.Amount, "status": rf.Status, "date_created": rf.CreatedAt}
}

// meliRefund is Mercado Pago's refund: X-Idempotency-Key makes a repeat
// return the first refund instead of refunding again.
func (s *Simulator) meliRefund(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Amount cases.Money `json:"amount"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	idem := r.Header.Get("X-Idempotency-Key")
	payment := r.PathValue("payment")
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, strings.TrimPrefix(payment, "P"))
	if !ok {
		meliError(w, 404, "not_found", "payment not found", 0)
		return
	}
	if prev, ok := s.mpKeys[shopID+"|"+idem]; ok && idem != "" {
		writeJSON(w, 201, meliRefundJSON(payment, prev))
		return
	}
	if body.Amount <= 0 || body.Amount > o.Amount-refundedTotal(o) {
		meliError(w, 400, "invalid_refund_amount", "amount must be positive and at most the unrefunded total", 0)
		return
	}
	rf := &Refund{ID: s.newID(""), Amount: body.Amount, Status: "approved", Reference: idem, CreatedAt: s.now()}
	o.Refunds = append(o.Refunds, rf)
	if idem != "" {
		s.mpKeys[shopID+"|"+idem] = rf
	}
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
	if o, ok := s.meliOrderOf(shopID, strings.TrimPrefix(payment, "P")); ok {
		for _, rf := range o.Refunds {
			if rf.ID == r.PathValue("refund") {
				writeJSON(w, 200, meliRefundJSON(payment, rf))
				return
			}
		}
	}
	meliError(w, 404, "not_found", "refund not found", 0)
}

// Coupons and reships have no public Mercado Libre API; these endpoints
// model them so the connector's read-back path is exercised.

func (s *Simulator) meliCreateCoupon(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		OrderID string      `json:"order_id"`
		BuyerID string      `json:"buyer_id"`
		Code    string      `json:"code"`
		Amount  cases.Money `json:"amount"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.meliOrderOf(shopID, body.OrderID); !ok {
		meliError(w, 404, "not_found", "order not found", 0)
		return
	}
	c := s.addCoupon(cases.MercadoLibre, shopID, body.OrderID, body.BuyerID, body.Code, body.Amount, body.Code)
	writeJSON(w, 201, c)
}

func (s *Simulator) meliListCoupons(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"results": s.couponsOf(cases.MercadoLibre, r.URL.Query().Get("order_id"))})
}

func (s *Simulator) meliCreateReship(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Note      string `json:"note"`
		Reference string `json:"external_reference"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("id"))
	if !ok {
		meliError(w, 404, "not_found", "order not found", 0)
		return
	}
	writeJSON(w, 201, s.addReship(cases.MercadoLibre, shopID, o.ID, body.Reference, body.Note))
}

func (s *Simulator) meliListReships(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"results": s.reshipsOf(cases.MercadoLibre, r.PathValue("id"))})
}
