package simulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// TaobaoCouponDenominations are the shop coupons every simulated Taobao shop
// has prepared (¥5, ¥10, ¥12, ¥20, ¥50): taobao.promotion.coupon.send only
// sends an existing coupon, by its coupon_id.
var TaobaoCouponDenominations = []cases.Money{500, 1000, 1200, 2000, 5000}

// taobaoCouponBase offsets template ids from denominations: coupon_id
// 3000001000 is the ¥10 coupon.
const taobaoCouponBase = 3000000000

// TaobaoCouponTemplates are the prepared coupons of the given Taobao shops,
// as TAOBAO_COUPON_TEMPLATES configures them.
func TaobaoCouponTemplates(shops ...Shop) []marketplace.CouponTemplate {
	var out []marketplace.CouponTemplate
	for _, sh := range shops {
		if sh.Platform != cases.Taobao {
			continue
		}
		for _, d := range TaobaoCouponDenominations {
			out = append(out, marketplace.CouponTemplate{ShopID: sh.ID, Denomination: d, CouponID: strconv.FormatInt(taobaoCouponBase+int64(d), 10)})
		}
	}
	return out
}

// couponDenomination resolves a coupon_id to its denomination.
func couponDenomination(couponID string) (cases.Money, bool) {
	n, err := strconv.ParseInt(couponID, 10, 64)
	if err != nil {
		return 0, false
	}
	d := cases.Money(n - taobaoCouponBase)
	for _, have := range TaobaoCouponDenominations {
		if have == d {
			return d, true
		}
	}
	return 0, false
}

// topCouponSend sends a prepared coupon to buyers of the shop's trades;
// unknown buyers land in failure_buyers with is_success still true, as TOP does.
func (s *Simulator) topCouponSend(w http.ResponseWriter, f url.Values, shop string) {
	amount, ok := couponDenomination(f.Get("coupon_id"))
	if !ok {
		topError(w, 15, "Remote service error", "isv.coupon-not-exist", "coupon_id is not a coupon of this shop")
		return
	}
	if f.Get("buyer_nick") == "" {
		topError(w, 41, "Invalid arguments", "isv.missing-parameter", "buyer_nick is required")
		return
	}
	failures, results := []any{}, []any{}
	for _, nick := range strings.Split(f.Get("buyer_nick"), ",") {
		o := s.latestOrderOf(shop, nick)
		if o == nil {
			failures = append(failures, map[string]any{"buyer_nick": nick, "reason": "not a buyer of this shop"})
			continue
		}
		c := s.addCoupon(cases.Taobao, shop, o.ID, nick, f.Get("coupon_id"), amount, f.Get("coupon_id"))
		results = append(results, map[string]any{"buyer_nick": nick, "coupon_number": topNumber(strings.TrimPrefix(c.ID, "C"))})
	}
	topOK(w, "taobao.promotion.coupon.send", map[string]any{"is_success": true,
		"failure_buyers": topArray("error_message", failures), "coupon_results": topArray("coupon_result", results)})
}

// latestOrderOf finds the buyer's newest order in the shop; callers hold s.mu.
func (s *Simulator) latestOrderOf(shop, nick string) *Order {
	var found *Order
	for _, o := range s.ordersOf(cases.Taobao, shop) {
		if o.BuyerName == nick && (found == nil || o.CreatedAt.After(found.CreatedAt)) {
			found = o
		}
	}
	return found
}

// AddBuyerRefund records a refund the buyer asked for and the seller then
// made in the seller centre (TOP has no API for a seller to refund).
func (s *Simulator) AddBuyerRefund(platform cases.Marketplace, orderID string, amount cases.Money, reason string) (Refund, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[key(platform, orderID)]
	if !ok {
		return Refund{}, ErrNotFound
	}
	rf := &Refund{ID: s.newID(""), Amount: amount, Status: "WAIT_SELLER_AGREE", Reference: reason, CreatedAt: s.now()}
	o.Refunds = append(o.Refunds, rf)
	return *rf, nil
}

func topRefund(o *Order, rf *Refund) map[string]any {
	return map[string]any{"refund_id": rf.ID, "tid": topNumber(o.ID), "oid": topNumber(o.ID), "buyer_nick": o.BuyerName,
		"refund_fee": rf.Amount.String(), "total_fee": o.Amount.String(), "status": rf.Status, "reason": rf.Reference, "created": topTime(rf.CreatedAt)}
}

// topReceivedRefunds lists the shop's refunds, newest first, optionally of
// one buyer; there is no trade filter in TOP.
func (s *Simulator) topReceivedRefunds(w http.ResponseWriter, f url.Values, shop string) {
	pageSize, pageNo := 40, 1
	if v := f.Get("page_size"); v != "" {
		pageSize, _ = strconv.Atoi(v)
	}
	if v := f.Get("page_no"); v != "" {
		pageNo, _ = strconv.Atoi(v)
	}
	if f.Get("fields") == "" || pageSize < 1 || pageSize > 100 || pageNo < 1 {
		topError(w, 41, "Invalid arguments", "isv.invalid-parameter", "fields is required, page_size 1-100, page_no ≥ 1")
		return
	}
	var all []any
	for _, o := range s.ordersOf(cases.Taobao, shop) {
		if f.Get("buyer_nick") != "" && o.BuyerName != f.Get("buyer_nick") {
			continue
		}
		for _, rf := range o.Refunds {
			all = append(all, topRefund(o, rf))
		}
	}
	page := []any{}
	for i := (pageNo - 1) * pageSize; i < len(all) && i < pageNo*pageSize; i++ {
		page = append(page, all[i])
	}
	body := map[string]any{"refunds": topArray("refund", page)}
	if f.Get("use_has_next") == "true" {
		body["has_next"] = pageNo*pageSize < len(all)
	} else {
		body["total_results"] = len(all)
	}
	topOK(w, "taobao.refunds.receive.get", body)
}

// topRefundGet reads one refund; it settles (SUCCESS) once it has been read.
func (s *Simulator) topRefundGet(w http.ResponseWriter, f url.Values, shop string) {
	if f.Get("fields") == "" {
		topError(w, 41, "Invalid arguments", "isv.missing-parameter", "fields is required")
		return
	}
	for _, o := range s.ordersOf(cases.Taobao, shop) {
		for _, rf := range o.Refunds {
			if rf.ID == f.Get("refund_id") {
				rf.reads++
				if rf.reads > 1 {
					rf.Status = "SUCCESS"
				}
				topOK(w, "taobao.refund.get", map[string]any{"refund": topRefund(o, rf)})
				return
			}
		}
	}
	topError(w, 15, "Remote service error", "isv.refund-not-exist", "refund not found")
}
