package simulator

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
)

// ebayOrderJSON is a Sell Fulfillment Order; callers hold s.mu. Refunds
// complete on the second read.
func ebayOrderJSON(o *Order) map[string]any {
	refunds := []any{}
	for _, rf := range o.Refunds {
		rf.reads++
		if rf.reads > 1 {
			rf.Status = "REFUNDED"
		}
		refunds = append(refunds, map[string]any{"refundId": rf.ID, "refundStatus": rf.Status, "amount": ebayAmount(rf.Amount, o.Currency),
			"refundDate": rf.CreatedAt})
	}
	fulfillment := "NOT_STARTED"
	if o.ShippedAt != nil {
		fulfillment = "FULFILLED"
	}
	payment := "PAID"
	if o.Refunded() {
		payment = "PARTIALLY_REFUNDED"
	}
	return map[string]any{
		"orderId": o.ID, "creationDate": o.CreatedAt, "orderFulfillmentStatus": fulfillment, "orderPaymentStatus": payment,
		"sellerId": o.ShopID, "buyer": map[string]any{"username": o.BuyerName},
		"pricingSummary": map[string]any{"total": ebayAmount(o.Amount, o.Currency), "deliveryCost": ebayAmount(o.ShippingFee, o.Currency)},
		"lineItems": []any{map[string]any{"lineItemId": ebayLineItemID(o), "legacyItemId": ebayListingID(o), "title": o.Item, "quantity": 1,
			"lineItemCost": ebayAmount(o.Amount-o.ShippingFee, o.Currency)}},
		"paymentSummary": map[string]any{"payments": []any{map[string]any{"paymentDate": o.CreatedAt, "paymentStatus": "PAID"}}, "refunds": refunds},
	}
}

// ebayOrders serves getOrders with the creationdate filter
// (creationdate:[from..] or [from..to]), oldest first.
func (s *Simulator) ebayOrders(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	var from, to time.Time
	for _, f := range strings.Split(q.Get("filter"), ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(f), "creationdate:[")
		if !ok {
			continue
		}
		lo, hi, _ := strings.Cut(strings.TrimSuffix(v, "]"), "..")
		var err error
		if from, err = time.Parse(time.RFC3339, lo); err != nil {
			ebayError(w, 400, 30800, "REQUEST", "invalid creationdate filter")
			return
		}
		if hi != "" {
			if to, err = time.Parse(time.RFC3339, hi); err != nil {
				ebayError(w, 400, 30800, "REQUEST", "invalid creationdate filter")
				return
			}
		}
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil {
		limit = 50
	}
	if limit < 1 || limit > 200 {
		ebayError(w, 400, 30700, "REQUEST", "limit must be 1 to 200")
		return
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*Order
	for _, o := range s.ordersOf(cases.EBay, shopID) {
		if !o.CreatedAt.Before(from) && (to.IsZero() || !o.CreatedAt.After(to)) {
			all = append(all, o)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].CreatedAt.Before(all[j].CreatedAt) || all[i].CreatedAt.Equal(all[j].CreatedAt) && all[i].ID < all[j].ID
	})
	page := []any{}
	for i := offset; i < len(all) && len(page) < limit; i++ {
		page = append(page, ebayOrderJSON(all[i]))
	}
	writeJSON(w, 200, map[string]any{"orders": page, "total": len(all), "limit": limit, "offset": offset})
}

func (s *Simulator) ebayOrder(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	writeJSON(w, 200, ebayOrderJSON(o))
}

// ebayRefundReasons is ReasonForRefundEnum.
var ebayRefundReasons = map[string]bool{"BUYER_CANCEL": true, "SELLER_CANCEL": true, "ITEM_NOT_RECEIVED": true, "BUYER_RETURN": true,
	"ITEM_NOT_AS_DESCRIBED": true, "OTHER_ADJUSTMENT": true, "SHIPPING_DISCOUNT": true}

// ebayRefund serves issueRefund: an order-level amount up to what is left to
// refund, a ReasonForRefundEnum value, a comment of at most 100 characters.
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
	switch {
	case err != nil:
		ebayError(w, 400, 34000, "REQUEST", "invalid orderLevelRefundAmount")
		return
	case !ebayRefundReasons[body.ReasonForRefund]:
		ebayError(w, 400, 34003, "REQUEST", "reasonForRefund is not a ReasonForRefundEnum value")
		return
	case len([]rune(body.Comment)) > 100:
		ebayError(w, 400, 34002, "REQUEST", "comment is too long")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	if amount <= 0 || amount > o.Amount-refundedTotal(o) {
		ebayError(w, 400, 34001, "APPLICATION", "refund amount exceeds the refundable amount")
		return
	}
	rf := &Refund{ID: s.newID("RF"), Amount: amount, Status: "PENDING", Reference: body.Comment, CreatedAt: s.now()}
	o.Refunds = append(o.Refunds, rf)
	s.record(LedgerEntry{Platform: cases.EBay, ShopID: shopID, Kind: LedgerRefund, Ref: o.ID + "|" + amount.String(), ID: rf.ID, OrderID: o.ID, Payload: amount.String()})
	writeJSON(w, 200, map[string]any{"refundId": rf.ID, "refundStatus": "PENDING"})
}

// ebayFulfillments serves getShippingFulfillments: the order's shipment.
func (s *Simulator) ebayFulfillments(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.ebayOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	list := []any{}
	if o.ShippedAt != nil {
		list = append(list, map[string]any{"fulfillmentId": "F" + o.ID, "shippingCarrierCode": o.Courier, "shipmentTrackingNumber": o.TrackingNumber,
			"shippedDate": o.ShippedAt, "lineItems": []any{map[string]any{"lineItemId": ebayLineItemID(o), "quantity": 1}}})
	}
	writeJSON(w, 200, map[string]any{"fulfillments": list, "total": len(list)})
}
