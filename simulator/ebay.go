package simulator

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/redress-hq/redress/cases"
)

// eBay REST, as eBay's OpenAPI documents define it (ebay_contract_test.go
// checks these answers against them): bearer tokens from
// /identity/v1/oauth2/token (refresh-token grant for sellers, client
// credentials for the application; refresh tokens not rotated), errors
// {errors:[{errorId,domain,category,message}]} with categories REQUEST,
// APPLICATION, BUSINESS.

func ebayError(w http.ResponseWriter, status, errorID int, category, message string) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{
		"errorId": errorID, "domain": "API_SIM", "category": category, "message": message,
	}}})
}

func ebayFault(w http.ResponseWriter, status int, code, message string, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	category := "REQUEST"
	if status >= 500 {
		category = "APPLICATION"
	}
	ebayError(w, status, 10001, category, message)
}

func ebayCommentType(rating int) string {
	return strings.ToUpper(stars(rating))
}

type ebayCall func(w http.ResponseWriter, r *http.Request, shopID string)

func (s *Simulator) ebayHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /identity/v1/oauth2/token", s.ebayToken)
	mux.HandleFunc("GET /oauth2/authorize", s.authorize(cases.EBay, "code", "client_id"))
	a := s.ebayAuthed
	mux.HandleFunc("GET /commerce/feedback/v1/feedback", a(s.ebayFeedback))
	mux.HandleFunc("POST /commerce/feedback/v1/respond_to_feedback", a(s.ebayRespond))
	mux.HandleFunc("GET /commerce/message/v1/conversation", a(s.ebayConversations))
	mux.HandleFunc("GET /commerce/message/v1/conversation/{id}", a(s.ebayConversation))
	mux.HandleFunc("POST /commerce/message/v1/send_message", a(s.ebaySendMessage))
	mux.HandleFunc("GET /sell/fulfillment/v1/order", a(s.ebayOrders))
	mux.HandleFunc("GET /sell/fulfillment/v1/order/{id}", a(s.ebayOrder))
	mux.HandleFunc("POST /sell/fulfillment/v1/order/{id}/issue_refund", a(s.ebayRefund))
	mux.HandleFunc("GET /sell/fulfillment/v1/order/{id}/shipping_fulfillment", a(s.ebayFulfillments))
	mux.HandleFunc("POST /sell/marketing/v1/item_promotion", a(s.ebayCreatePromotion))
	mux.HandleFunc("GET /sell/marketing/v1/promotion", a(s.ebayPromotions))
	mux.HandleFunc("GET /commerce/notification/v1/public_key/{kid}", s.ebayPublicKey)
	return http.StripPrefix("/ebay", mux)
}

// ebayToken serves the refresh-token grant (a seller's user token) and the
// client-credentials grant (the application token getPublicKey needs).
func (s *Simulator) ebayToken(w http.ResponseWriter, r *http.Request) {
	app := s.opts.Apps[cases.EBay]
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(app.ClientID+":"+app.ClientSecret))
	if r.Header.Get("Authorization") != want {
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "client authentication failed"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "unreadable form"})
		return
	}
	ttl := int(s.opts.AccessTokenTTL.Seconds())
	switch r.Form.Get("grant_type") {
	case "client_credentials":
		s.mu.Lock()
		access := randomToken("v^1.1#app-")
		s.auth[cases.EBay].access[access] = grant{expires: s.now().Add(s.opts.AccessTokenTTL)}
		s.mu.Unlock()
		writeJSON(w, 200, map[string]any{"access_token": access, "expires_in": ttl, "token_type": "Application Access Token"})
	case "authorization_code":
		s.mu.Lock()
		access, refresh, _, ok := s.exchangeCode(cases.EBay, r.Form.Get("code"), app.ClientID, r.Form.Get("redirect_uri"))
		s.mu.Unlock()
		if !ok {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "the provided authorization grant code is invalid or was issued to another client"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": access, "expires_in": ttl, "refresh_token": refresh,
			"refresh_token_expires_in": 47304000, "token_type": "User Access Token"})
	case "refresh_token":
		s.mu.Lock()
		access, _, _, ok := s.issue(s.auth[cases.EBay], r.Form.Get("refresh_token"), false)
		s.mu.Unlock()
		if !ok {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "the provided authorization refresh token is invalid or was issued to another client"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": access, "expires_in": ttl, "token_type": "User Access Token"})
	default:
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "grant_type must be authorization_code, refresh_token or client_credentials"})
	}
}

// ebayAuthed accepts seller (user) tokens only.
func (s *Simulator) ebayAuthed(h ebayCall) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		shopID, ok := s.shopFor(s.auth[cases.EBay], strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		s.mu.Unlock()
		if !ok || shopID == "" {
			ebayError(w, 401, 1001, "REQUEST", "Invalid access token")
			return
		}
		h(w, r, shopID)
	}
}

func (s *Simulator) ebayOrderOf(w http.ResponseWriter, shopID, id string) (*Order, bool) {
	o, ok := s.orders[key(cases.EBay, id)]
	if !ok || o.ShopID != shopID {
		ebayError(w, 404, 32100, "REQUEST", "order not found")
		return nil, false
	}
	return o, true
}

func ebayAmount(m cases.Money, currency string) map[string]any {
	return map[string]any{"value": m.String(), "currency": currency}
}

// The simulator's eBay ids: one listing and one line item per order, the
// line item's Feedback API id in the legacy "itemId-transactionId" form,
// one member conversation per order.
func ebayListingID(o *Order) string      { return "11" + o.ID }
func ebayLineItemID(o *Order) string     { return "27" + o.ID }
func ebayConversationID(o *Order) string { return "C" + o.ID }
func ebayOrderLineItemID(o *Order) string {
	return ebayListingID(o) + "-" + ebayLineItemID(o)
}

// ebayPromotionImage is the coupon image the connectors send to the
// simulator's eBay (eBay requires one on every coded coupon; nothing loads it).
const ebayPromotionImage = "https://simulator.invalid/ebay/coupon.png"
