package simulator

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// eBay REST: bearer tokens from /identity/v1/oauth2/token (Basic client
// credentials, refresh tokens not rotated); errors {errors:[{errorId,domain,category,message}]}.

func ebayError(w http.ResponseWriter, status, errorID int, category, message string) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{
		"errorId": errorID, "domain": "API_SIM", "category": category, "message": message,
	}}})
}

func ebayFault(w http.ResponseWriter, status int, code, message string, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	category := "Request"
	if status >= 500 {
		category = "System"
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
	a := s.ebayAuthed
	mux.HandleFunc("GET /commerce/feedback/v1/feedback", a(s.ebayFeedback))
	mux.HandleFunc("POST /commerce/feedback/v1/respond_to_feedback", a(s.ebayRespond))
	mux.HandleFunc("POST /commerce/message/v1/send_message", a(s.ebaySendMessage))
	mux.HandleFunc("GET /commerce/message/v1/conversation_messages", a(s.ebayMessages))
	mux.HandleFunc("GET /sell/fulfillment/v1/order/{id}", a(s.ebayOrder))
	mux.HandleFunc("POST /sell/fulfillment/v1/order/{id}/issue_refund", a(s.ebayRefund))
	mux.HandleFunc("GET /sell/fulfillment/v1/order/{id}/shipping_fulfillment", a(s.ebayFulfillments))
	mux.HandleFunc("POST /sell/fulfillment/v1/order/{id}/shipping_fulfillment", a(s.ebayCreateFulfillment))
	mux.HandleFunc("POST /sell/marketing/v1/item_promotion", a(s.ebayCreatePromotion))
	mux.HandleFunc("GET /sell/marketing/v1/promotion", a(s.ebayPromotions))
	return http.StripPrefix("/ebay", mux)
}

func (s *Simulator) ebayToken(w http.ResponseWriter, r *http.Request) {
	app := s.opts.Apps[cases.EBay]
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(app.ClientID+":"+app.ClientSecret))
	if r.Header.Get("Authorization") != want {
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "client authentication failed"})
		return
	}
	if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "refresh_token" {
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "grant_type must be refresh_token"})
		return
	}
	s.mu.Lock()
	access, _, _, ok := s.issue(s.auth[cases.EBay], r.Form.Get("refresh_token"), false)
	s.mu.Unlock()
	if !ok {
		writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "the provided authorization refresh token is invalid or was issued to another client"})
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": access, "expires_in": int(s.opts.AccessTokenTTL.Seconds()), "token_type": "User Access Token"})
}

func (s *Simulator) ebayAuthed(h ebayCall) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		shopID, ok := s.shopFor(s.auth[cases.EBay], strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		s.mu.Unlock()
		if !ok {
			ebayError(w, 401, 1001, "Request", "Invalid access token")
			return
		}
		h(w, r, shopID)
	}
}

func (s *Simulator) ebayOrderOf(w http.ResponseWriter, shopID, id string) (*Order, bool) {
	o, ok := s.orders[key(cases.EBay, id)]
	if !ok || o.ShopID != shopID {
		ebayError(w, 404, 32100, "Request", "order not found")
		return nil, false
	}
	return o, true
}

func ebayAmount(m cases.Money, currency string) map[string]any {
	return map[string]any{"value": m.String(), "currency": currency}
}

func (s *Simulator) ebayFeedback(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	if q.Get("user_id") != shopID || q.Get("feedback_type") != "FEEDBACK_RECEIVED" {
		ebayError(w, 400, 355001, "Request", "user_id must be the seller and feedback_type FEEDBACK_RECEIVED")
		return
	}
	types := q.Get("comment_type")
	var after time.Time
	if v := q.Get("modified_after"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			ebayError(w, 400, 355002, "Request", "invalid modified_after")
			return
		}
		after = t
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*Review
	for _, rv := range s.reviews {
		if rv.Platform != cases.EBay || rv.ShopID != shopID || rv.UpdatedAt.Before(after) {
			continue
		}
		if id := q.Get("feedback_id"); id != "" && rv.ID != id {
			continue
		}
		if types != "" && !strings.Contains(types, ebayCommentType(rv.Rating)) {
			continue
		}
		all = append(all, rv)
	}
	sortReviews(all)
	entries := []any{}
	for i := offset; i < len(all) && i < offset+limit; i++ {
		rv := all[i]
		o := s.orders[key(cases.EBay, rv.OrderID)]
		responses := []any{}
		if rv.RepliedAt != nil {
			responses = append(responses, map[string]any{"responseText": rv.Reply, "responseType": "REPLY", "responseDate": rv.RepliedAt})
		}
		status := "ACTIVE"
		if rv.Removed {
			status = "WITHDRAWN"
		}
		entries = append(entries, map[string]any{
			"feedbackId": rv.ID, "commentType": ebayCommentType(rv.Rating), "commentText": rv.Text, "status": status,
			"feedbackEnteredDate": rv.CreatedAt, "lastModifiedDate": rv.UpdatedAt, "revised": len(rv.Revisions) > 0,
			"orderId": o.ID, "orderLineItemId": o.ID + "-1", "listingTitle": o.Item,
			"providerUserDetail": map[string]any{"username": o.BuyerName}, "feedbackResponses": responses,
			"transactionPrice": ebayAmount(o.Amount, o.Currency),
		})
	}
	writeJSON(w, 200, map[string]any{"feedbackEntries": entries, "total": len(all), "offset": offset, "limit": limit})
}

// ebayRespond enforces responseText ≤ 500 characters and one response per feedback.
func (s *Simulator) ebayRespond(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		FeedbackID   string `json:"feedbackId"`
		ResponseText string `json:"responseText"`
		ResponseType string `json:"responseType"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.reviews[key(cases.EBay, body.FeedbackID)]
	switch {
	case !ok || rv.ShopID != shopID:
		ebayError(w, 404, 355010, "Request", "feedback not found")
	case body.ResponseText == "" || utf8.RuneCountInString(body.ResponseText) > 500:
		ebayError(w, 400, 355012, "Request", "responseText must be 1-500 characters")
	case rv.RepliedAt != nil:
		ebayError(w, 409, 355020, "Application", "a response was already posted for this feedback")
	default:
		now := s.now()
		rv.Reply, rv.RepliedAt = body.ResponseText, &now
		s.record(LedgerEntry{Platform: cases.EBay, ShopID: shopID, Kind: LedgerReply, Ref: rv.ID, ID: rv.ID, OrderID: rv.OrderID, ReviewID: rv.ID, Payload: body.ResponseText})
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Simulator) ebaySendMessage(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		OtherPartyUsername string `json:"otherPartyUsername"`
		MessageText        string `json:"messageText"`
		Reference          struct {
			ReferenceID   string `json:"referenceId"`
			ReferenceType string `json:"referenceType"`
		} `json:"reference"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, body.Reference.ReferenceID)
	if !ok {
		return
	}
	switch {
	case body.MessageText == "" || utf8.RuneCountInString(body.MessageText) > 2000:
		ebayError(w, 400, 355101, "Request", "messageText must be 1-2000 characters")
		return
	case o.MessagingClosed != "" || s.now().Sub(o.CreatedAt) > 90*24*time.Hour:
		ebayError(w, 400, 355102, "Application", "messaging the buyer is no longer allowed for this order")
		return
	}
	m := ChatMessage{ID: s.newID("M"), At: s.now(), From: "seller", Text: body.MessageText}
	o.Chat = append(o.Chat, m)
	s.record(LedgerEntry{Platform: cases.EBay, ShopID: shopID, Kind: LedgerMessage, Ref: o.ID + "|" + body.MessageText, ID: m.ID, OrderID: o.ID, Payload: body.MessageText})
	writeJSON(w, 201, map[string]any{"messageId": m.ID, "conversationId": "C" + o.ID})
}

func (s *Simulator) ebayMessages(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.URL.Query().Get("reference_id"))
	if !ok {
		return
	}
	msgs := []any{}
	for _, m := range o.Chat {
		sender := o.BuyerName
		if m.From == "seller" {
			sender = o.ShopID
		}
		msgs = append(msgs, map[string]any{"messageId": m.ID, "senderUsername": sender, "messageBody": m.Text, "createdDate": m.At})
	}
	writeJSON(w, 200, map[string]any{"conversationId": "C" + o.ID, "messages": msgs})
}

func (s *Simulator) ebayOrder(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	refunds := []any{}
	for _, rf := range o.Refunds {
		rf.reads++
		if rf.reads > 1 {
			rf.Status = "REFUNDED"
		}
		refunds = append(refunds, map[string]any{"refundId": rf.ID, "refundStatus": rf.Status, "amount": ebayAmount(rf.Amount, o.Currency),
			"refundDate": rf.CreatedAt, "comment": rf.Reference})
	}
	fulfillment := "NOT_STARTED"
	if o.ShippedAt != nil {
		fulfillment = "FULFILLED"
	}
	payment := "PAID"
	if o.Refunded() {
		payment = "PARTIALLY_REFUNDED"
	}
	writeJSON(w, 200, map[string]any{
		"orderId": o.ID, "creationDate": o.CreatedAt, "orderFulfillmentStatus": fulfillment, "orderPaymentStatus": payment,
		"buyer":          map[string]any{"username": o.BuyerName},
		"pricingSummary": map[string]any{"total": ebayAmount(o.Amount, o.Currency), "deliveryCost": ebayAmount(o.ShippingFee, o.Currency)},
		"lineItems":      []any{map[string]any{"lineItemId": o.ID + "-1", "title": o.Item}},
		"paymentSummary": map[string]any{"payments": []any{map[string]any{"paymentDate": o.CreatedAt, "paymentStatus": "PAID"}}, "refunds": refunds},
	})
}

func (s *Simulator) ebayRefund(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		ReasonForRefund        string `json:"reasonForRefund"`
		Comment                string `json:"comment"`
		OrderLevelRefundAmount struct {
			Value    string `json:"value"`
			Currency string `json:"currency"`
		} `json:"orderLevelRefundAmount"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	amount, err := cases.ParseMoney(body.OrderLevelRefundAmount.Value)
	if err != nil {
		ebayError(w, 400, 34000, "Request", "invalid orderLevelRefundAmount")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	if amount <= 0 || amount > o.Amount-refundedTotal(o) {
		ebayError(w, 400, 34001, "Application", "refund amount exceeds the refundable amount")
		return
	}
	if len(body.Comment) > 1000 {
		ebayError(w, 400, 34002, "Request", "comment is too long")
		return
	}
	rf := &Refund{ID: s.newID("RF"), Amount: amount, Status: "PENDING", Reference: body.Comment, CreatedAt: s.now()}
	o.Refunds = append(o.Refunds, rf)
	s.record(LedgerEntry{Platform: cases.EBay, ShopID: shopID, Kind: LedgerRefund, Ref: body.Comment, ID: rf.ID, OrderID: o.ID, Payload: amount.String()})
	writeJSON(w, 200, map[string]any{"refundId": rf.ID, "refundStatus": "PENDING"})
}

func (s *Simulator) ebayFulfillments(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	list := []any{}
	if o.ShippedAt != nil {
		list = append(list, map[string]any{"fulfillmentId": "F" + o.ID, "shippingCarrierCode": o.Courier, "shipmentTrackingNumber": o.TrackingNumber, "shippedDate": o.ShippedAt})
	}
	for _, rs := range s.reshipsOf(cases.EBay, o.ID) {
		list = append(list, map[string]any{"fulfillmentId": rs.ID, "sellerReference": rs.Reference, "note": rs.Note})
	}
	writeJSON(w, 200, map[string]any{"fulfillments": list, "total": len(list)})
}

func (s *Simulator) ebayCreateFulfillment(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		SellerReference string `json:"sellerReference"`
		Note            string `json:"note"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	rs := s.addReship(cases.EBay, shopID, o.ID, body.SellerReference, body.Note)
	w.Header().Set("Location", "/sell/fulfillment/v1/order/"+o.ID+"/shipping_fulfillment/"+rs.ID)
	writeJSON(w, 201, map[string]any{"fulfillmentId": rs.ID})
}

func (s *Simulator) ebayCreatePromotion(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Name                string `json:"name"`
		PromotionType       string `json:"promotionType"`
		CouponConfiguration struct {
			CouponCode string `json:"couponCode"`
		} `json:"couponConfiguration"`
		DiscountRules []struct {
			DiscountBenefit struct {
				AmountOffOrder struct {
					Value string `json:"value"`
				} `json:"amountOffOrder"`
			} `json:"discountBenefit"`
		} `json:"discountRules"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	if body.PromotionType != "CODED_COUPON" || body.CouponConfiguration.CouponCode == "" || len(body.DiscountRules) == 0 {
		ebayError(w, 400, 38201, "Request", "a CODED_COUPON with a couponCode and a discount rule is required")
		return
	}
	amount, err := cases.ParseMoney(body.DiscountRules[0].DiscountBenefit.AmountOffOrder.Value)
	if err != nil || amount <= 0 {
		ebayError(w, 400, 38202, "Request", "invalid amountOffOrder")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	code := body.CouponConfiguration.CouponCode
	for _, c := range s.couponsOf(cases.EBay, "shop:"+shopID) {
		if c.Code == code {
			ebayError(w, 409, 38203, "Request", "couponCode already exists")
			return
		}
	}
	c := s.addCoupon(cases.EBay, shopID, "shop:"+shopID, "", code, amount, code)
	w.Header().Set("Location", "/sell/marketing/v1/item_promotion/"+c.ID)
	writeJSON(w, 201, map[string]any{"promotionId": c.ID})
}

func (s *Simulator) ebayPromotions(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query().Get("q")
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, c := range s.couponsOf(cases.EBay, "shop:"+shopID) {
		if q == "" || strings.Contains(c.Code, q) {
			list = append(list, map[string]any{"promotionId": c.ID, "name": c.Code, "promotionType": "CODED_COUPON", "couponCode": c.Code})
		}
	}
	writeJSON(w, 200, map[string]any{"promotions": list, "total": len(list)})
}
