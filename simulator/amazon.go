package simulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Amazon SP-API: LWA tokens (POST /amazon/auth/o2/token), x-amz-access-token
// on calls, errors {errors:[{code,message,details}]}. Served: Messaging,
// Orders v2026-01-01 getOrder (amazon_orders.go), Reports with the seller
// feedback report (amazon_reports.go) and Multi-Channel Fulfillment. No
// review, public reply or refund API exists, so none is served.

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

// writeHAL answers as the Messaging API model declares (application/hal+json).
func writeHAL(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/hal+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Simulator) amazonHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/o2/token", s.amazonToken)
	mux.HandleFunc("GET /apps/authorize/consent", s.authorize(cases.Amazon, "spapi_oauth_code", "application_id"))
	a := s.amazonAuthed
	mux.HandleFunc("GET /messaging/v1/orders/{id}", a(s.amazonMessagingActions))
	mux.HandleFunc("POST /messaging/v1/orders/{id}/messages/unexpectedProblem", a(s.amazonUnexpectedProblem))
	mux.HandleFunc("GET /solicitations/v1/orders/{id}", a(s.amazonSolicitationActions)) // amazon_solicitations.go
	mux.HandleFunc("POST /solicitations/v1/orders/{id}/solicitations/productReviewAndSellerFeedback", a(s.amazonSolicit))
	mux.HandleFunc("GET /orders/2026-01-01/orders/{id}", a(s.amazonOrder))
	mux.HandleFunc("POST /reports/2021-06-30/reports", a(s.amazonCreateReport))
	mux.HandleFunc("GET /reports/2021-06-30/reports/{id}", a(s.amazonGetReport))
	mux.HandleFunc("GET /reports/2021-06-30/documents/{id}", a(s.amazonReportDocument))
	// Report files are served like S3 presigned URLs: no SP-API token.
	mux.HandleFunc("GET /_documents/{id}", s.amazonDocumentFile)
	mux.HandleFunc("POST /fba/outbound/2020-07-01/fulfillmentOrders", a(s.amazonCreateFulfillment))
	mux.HandleFunc("GET /fba/outbound/2020-07-01/fulfillmentOrders/{id}", a(s.amazonGetFulfillment))
	return http.StripPrefix("/amazon", mux)
}

func (s *Simulator) amazonToken(w http.ResponseWriter, r *http.Request) {
	app := s.opts.Apps[cases.Amazon]
	grantType := ""
	if err := r.ParseForm(); err == nil {
		grantType = r.Form.Get("grant_type")
	}
	if grantType != "refresh_token" && grantType != "authorization_code" {
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "grant_type must be refresh_token or authorization_code"})
		return
	}
	if r.Form.Get("client_id") != app.ClientID || r.Form.Get("client_secret") != app.ClientSecret {
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	if grantType == "authorization_code" {
		s.mu.Lock()
		access, refresh, _, ok := s.exchangeCode(cases.Amazon, r.Form.Get("code"), app.ClientID, r.Form.Get("redirect_uri"))
		s.mu.Unlock()
		if !ok {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "The request has an invalid grant parameter : code"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "Atza|" + access, "token_type": "bearer", "expires_in": int(s.opts.AccessTokenTTL.Seconds()), "refresh_token": refresh})
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

func (s *Simulator) amazonMessagingActions(w http.ResponseWriter, r *http.Request, shopID string) {
	s.amazonActions(w, r, shopID, "/messaging/v1/orders/", amazonError, func(o *Order) []string {
		if o.MessagingClosed != "" {
			return nil
		}
		return []string{"messages/unexpectedProblem"}
	})
}

// amazonActions serves a HAL list of the actions an order offers now
// (getMessagingActionsForOrder, getSolicitationActionsForOrder): offered
// gives each action's path under api+order id, named by its last segment.
func (s *Simulator) amazonActions(w http.ResponseWriter, r *http.Request, shopID, api string,
	fail func(http.ResponseWriter, int, string, string), offered func(*Order) []string) {
	m := r.URL.Query().Get("marketplaceIds")
	if m == "" {
		fail(w, 400, "InvalidInput", "marketplaceIds is required")
		return
	}
	q := "?marketplaceIds=" + m
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	actions := []any{}
	for _, path := range offered(o) {
		actions = append(actions, map[string]any{"href": api + o.ID + "/" + path + q, "name": path[strings.LastIndex(path, "/")+1:]})
	}
	writeHAL(w, 200, map[string]any{"_links": map[string]any{"self": map[string]any{"href": api + o.ID + q}, "actions": actions}})
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
		writeHAL(w, 201, map[string]any{})
	}
}
