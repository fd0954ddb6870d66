package simulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace/taobao"
)

// Taobao TOP: one gateway (POST /taobao/router/rest), signed form params,
// answers always HTTP 200 with either {<method>_response:{…}} or
// {error_response:{code,msg,sub_code,sub_msg}}.

const taobaoTime = "2006-01-02 15:04:05"

var taobaoZone = time.FixedZone("CST", 8*3600)

// taobaoWrites are the TOP methods with side effects.
var taobaoWrites = map[string]bool{
	"taobao.traderate.explain.add": true, "alibaba.qianniu.message.send": true, "taobao.promotion.coupon.send": true,
	"taobao.refund.seller.create": true, "taobao.logistics.reship.create": true,
}

func topEndpoint(r *http.Request) (string, bool) {
	_ = r.ParseForm()
	m := r.Form.Get("method")
	return m, taobaoWrites[m]
}

func topFault(w http.ResponseWriter, status int, code, message string, retryAfter int) {
	switch status {
	case http.StatusTooManyRequests:
		topError(w, 7, "App Call Limited", "accesscontrol.limited-by-app-access-count", fmt.Sprintf("This ban will last for %d more seconds", retryAfter))
	case http.StatusServiceUnavailable:
		topError(w, 15, "Remote service error", "isp.remote-service-timeout", message)
	default:
		topError(w, 41, "Invalid arguments", "isv.invalid-parameter", message)
	}
}

func topError(w http.ResponseWriter, code int, msg, subCode, subMsg string) {
	writeJSON(w, http.StatusOK, map[string]any{"error_response": map[string]any{
		"code": code, "msg": msg, "sub_code": subCode, "sub_msg": subMsg, "request_id": "sim",
	}})
}

func topOK(w http.ResponseWriter, method string, body any) {
	writeJSON(w, http.StatusOK, map[string]any{taobao.ResponseKey(method): body})
}

func taobaoResult(rating int) string {
	switch {
	case rating <= 2:
		return "bad"
	case rating == 3:
		return "neutral"
	default:
		return "good"
	}
}

func (s *Simulator) taobaoHandler() http.Handler {
	return http.StripPrefix("/taobao", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/router/rest" {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			topError(w, 41, "Invalid arguments", "isv.invalid-parameter", err.Error())
			return
		}
		app := s.opts.Apps[cases.Taobao]
		form := r.Form
		if form.Get("app_key") != app.ClientID {
			topError(w, 29, "Invalid app Key", "isv.appkey-not-exists", "")
			return
		}
		want, err := taobao.Sign(form, app.ClientSecret, form.Get("sign_method"))
		if err != nil || !strings.EqualFold(want, form.Get("sign")) {
			topError(w, 25, "Invalid signature", "isv.invalid-signature", "")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		shopID, ok := s.auth[cases.Taobao].refresh[form.Get("session")]
		if !ok {
			topError(w, 27, "Invalid session", "isv.session-expired", "the session key is invalid or expired")
			return
		}
		s.taobaoMethod(w, form, shopID)
	}))
}

// taobaoMethod runs one TOP method; callers hold s.mu.
func (s *Simulator) taobaoMethod(w http.ResponseWriter, f url.Values, shop string) {
	method := f.Get("method")
	order := func() (*Order, bool) {
		o, ok := s.orders[key(cases.Taobao, f.Get("tid"))]
		if !ok || o.ShopID != shop {
			topError(w, 15, "Remote service error", "isv.trade-not-exist", "trade "+f.Get("tid")+" not found")
			return nil, false
		}
		return o, true
	}
	switch method {
	case "taobao.traderates.get":
		s.topTradeRates(w, f, shop)
	case "taobao.traderate.explain.add":
		s.topExplain(w, f, shop)
	case "taobao.trade.fullinfo.get":
		if o, ok := order(); ok {
			topOK(w, method, map[string]any{"trade": s.topTrade(o)})
		}
	case "taobao.logistics.trace.search":
		if o, ok := order(); ok {
			steps := []any{}
			for _, t := range o.Tracking {
				steps = append(steps, map[string]any{"status_time": t.At.In(taobaoZone).Format(taobaoTime), "action": t.Status, "status_desc": t.Description})
			}
			topOK(w, method, map[string]any{"tid": o.ID, "company_name": o.Courier, "out_sid": o.TrackingNumber, "trace_list": map[string]any{"transit_step_info": steps}})
		}
	case "alibaba.qianniu.message.list":
		if o, ok := order(); ok {
			msgs := []any{}
			for _, m := range o.Chat {
				msgs = append(msgs, map[string]any{"msg_id": m.ID, "from": m.From, "content": m.Text, "created": m.At.In(taobaoZone).Format(taobaoTime)})
			}
			topOK(w, method, map[string]any{"messages": map[string]any{"message": msgs}})
		}
	case "alibaba.qianniu.message.send":
		o, ok := order()
		if !ok {
			return
		}
		text := f.Get("content")
		if n := utf8.RuneCountInString(text); n == 0 || n > 500 {
			topError(w, 15, "Remote service error", "isv.invalid-parameter:content", "content must be 1-500 characters")
			return
		}
		if o.MessagingClosed != "" {
			topError(w, 15, "Remote service error", "isv.message-forbidden", o.MessagingClosed)
			return
		}
		m := ChatMessage{ID: s.newID(""), At: s.now(), From: "seller", Text: text}
		o.Chat = append(o.Chat, m)
		s.record(LedgerEntry{Platform: cases.Taobao, ShopID: shop, Kind: LedgerMessage, Ref: o.ID + "|" + text, ID: m.ID, OrderID: o.ID, Payload: text})
		topOK(w, method, map[string]any{"msg_id": m.ID})
	case "taobao.promotion.coupon.send":
		o, ok := order()
		if !ok {
			return
		}
		amount, err := cases.ParseMoney(f.Get("denomination"))
		if err != nil || amount <= 0 {
			topError(w, 15, "Remote service error", "isv.invalid-parameter:denomination", "invalid denomination")
			return
		}
		c := s.addCoupon(cases.Taobao, shop, o.ID, f.Get("buyer_nick"), f.Get("out_biz_id"), amount, f.Get("out_biz_id"))
		topOK(w, method, map[string]any{"coupon_id": c.ID})
	case "taobao.promotion.coupon.buyer.search":
		if o, ok := order(); ok {
			list := []any{}
			for _, c := range s.couponsOf(cases.Taobao, o.ID) {
				list = append(list, map[string]any{"coupon_id": c.ID, "out_biz_id": c.Reference, "denomination": c.Amount})
			}
			topOK(w, method, map[string]any{"coupons": map[string]any{"coupon": list}})
		}
	case "taobao.refund.seller.create":
		o, ok := order()
		if !ok {
			return
		}
		fee, err := cases.ParseMoney(f.Get("refund_fee"))
		if err != nil || fee <= 0 || fee > o.Amount-refundedTotal(o) {
			topError(w, 15, "Remote service error", "isv.invalid-parameter:refund_fee", "refund_fee must be positive and at most the unrefunded total")
			return
		}
		rf := &Refund{ID: s.newID(""), Amount: fee, Status: "PROCESSING", Reference: f.Get("reason"), CreatedAt: s.now()}
		o.Refunds = append(o.Refunds, rf)
		s.record(LedgerEntry{Platform: cases.Taobao, ShopID: shop, Kind: LedgerRefund, Ref: rf.Reference, ID: rf.ID, OrderID: o.ID, Payload: fee.String()})
		topOK(w, method, map[string]any{"refund": topRefund(o, rf)})
	case "taobao.refunds.receive.get":
		if o, ok := order(); ok {
			list := []any{}
			for _, rf := range o.Refunds {
				list = append(list, topRefund(o, rf))
			}
			topOK(w, method, map[string]any{"refunds": map[string]any{"refund": list}, "total_results": len(list)})
		}
	case "taobao.refund.get":
		for _, o := range s.orders {
			for _, rf := range o.Refunds {
				if o.Platform == cases.Taobao && o.ShopID == shop && rf.ID == f.Get("refund_id") {
					rf.reads++
					if rf.reads > 1 {
						rf.Status = "SUCCESS"
					}
					topOK(w, method, map[string]any{"refund": topRefund(o, rf)})
					return
				}
			}
		}
		topError(w, 15, "Remote service error", "isv.refund-not-exist", "refund not found")
	case "taobao.logistics.reship.create":
		if o, ok := order(); ok {
			rs := s.addReship(cases.Taobao, shop, o.ID, f.Get("out_biz_id"), f.Get("memo"))
			topOK(w, method, map[string]any{"reship_id": rs.ID})
		}
	case "taobao.logistics.reship.list":
		if o, ok := order(); ok {
			list := []any{}
			for _, rs := range s.reshipsOf(cases.Taobao, o.ID) {
				list = append(list, map[string]any{"reship_id": rs.ID, "out_biz_id": rs.Reference})
			}
			topOK(w, method, map[string]any{"reships": map[string]any{"reship": list}})
		}
	default:
		topError(w, 22, "Invalid method", "isv.method-not-exist", method)
	}
}

func topRefund(o *Order, rf *Refund) map[string]any {
	return map[string]any{"refund_id": rf.ID, "tid": o.ID, "refund_fee": rf.Amount, "status": rf.Status, "reason": rf.Reference,
		"created": rf.CreatedAt.In(taobaoZone).Format(taobaoTime)}
}

func (s *Simulator) topTrade(o *Order) map[string]any {
	status := "TRADE_FINISHED"
	if o.DeliveredAt == nil {
		status = "WAIT_BUYER_CONFIRM_GOODS"
	}
	if o.Refunded() {
		status = "TRADE_CLOSED"
	}
	fmtT := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(taobaoZone).Format(taobaoTime)
	}
	created := o.CreatedAt
	return map[string]any{
		"tid": o.ID, "status": status, "payment": o.Amount, "post_fee": o.ShippingFee, "buyer_nick": o.BuyerName,
		"created": fmtT(&created), "pay_time": fmtT(&created), "consign_time": fmtT(o.ShippedAt), "end_time": fmtT(o.DeliveredAt),
		"orders": map[string]any{"order": []any{map[string]any{"oid": o.ID, "title": o.Item}}},
	}
}

func (s *Simulator) topTradeRates(w http.ResponseWriter, f url.Values, shop string) {
	const method = "taobao.traderates.get"
	if f.Get("rate_type") != "get" || f.Get("role") != "buyer" {
		topError(w, 41, "Invalid arguments", "isv.invalid-parameter", "rate_type=get and role=buyer are required")
		return
	}
	pageSize, _ := strconv.Atoi(f.Get("page_size"))
	pageNo, _ := strconv.Atoi(f.Get("page_no"))
	if pageSize <= 0 || pageSize > 150 {
		topError(w, 41, "Invalid arguments", "isv.invalid-parameter:page_size", "page_size must be 1-150")
		return
	}
	if pageNo < 1 {
		pageNo = 1
	}
	var from time.Time
	if v := f.Get("start_date"); v != "" {
		t, err := time.ParseInLocation(taobaoTime, v, taobaoZone)
		if err != nil {
			topError(w, 41, "Invalid arguments", "isv.invalid-parameter:start_date", "bad start_date")
			return
		}
		from = t
	}
	var all []*Review
	for _, rv := range s.reviews {
		if rv.Platform != cases.Taobao || rv.ShopID != shop || rv.CreatedAt.Truncate(time.Second).Before(from) {
			continue
		}
		if f.Get("result") != "" && taobaoResult(rv.Rating) != f.Get("result") {
			continue
		}
		if f.Get("tid") != "" && rv.OrderID != f.Get("tid") {
			continue
		}
		all = append(all, rv)
	}
	sortReviews(all)
	rates := []any{}
	for i := (pageNo - 1) * pageSize; i < len(all) && i < pageNo*pageSize; i++ {
		rv := all[i]
		o := s.orders[key(cases.Taobao, rv.OrderID)]
		rate := map[string]any{"tid": rv.OrderID, "oid": rv.ID, "role": "buyer", "nick": o.BuyerName, "result": taobaoResult(rv.Rating),
			"created": rv.CreatedAt.In(taobaoZone).Format(taobaoTime), "item_title": o.Item, "item_price": o.Amount, "content": rv.Text, "reply": rv.Reply}
		if rv.FollowUpAt != nil {
			rate["append_content"] = rv.FollowUp
			rate["append_created"] = rv.FollowUpAt.In(taobaoZone).Format(taobaoTime)
		}
		rates = append(rates, rate)
	}
	topOK(w, method, map[string]any{"trade_rates": map[string]any{"trade_rate": rates}, "total_results": len(all), "has_next": pageNo*pageSize < len(all)})
}

// topExplain enforces the reply rules: ≤ 500 characters, once, not after a
// follow-up review (追评), within 30 days of the rating.
func (s *Simulator) topExplain(w http.ResponseWriter, f url.Values, shop string) {
	rv, ok := s.reviews[key(cases.Taobao, f.Get("oid"))]
	reply := f.Get("reply")
	switch {
	case !ok || rv.ShopID != shop:
		topError(w, 15, "Remote service error", "isv.rate-not-exist", "rate not found")
	case reply == "" || utf8.RuneCountInString(reply) > 500:
		topError(w, 15, "Remote service error", "isv.invalid-parameter:reply", "reply must be 1-500 characters")
	case rv.RepliedAt != nil:
		topError(w, 15, "Remote service error", "isv.explain-exist", "the rate already has an explanation")
	case rv.FollowUpAt != nil:
		topError(w, 15, "Remote service error", "isv.explain-not-allowed-after-append", "cannot explain after the buyer's follow-up review")
	case s.now().Sub(rv.CreatedAt) > 30*24*time.Hour:
		topError(w, 15, "Remote service error", "isv.explain-time-expired", "the 30-day explanation window has closed")
	default:
		now := s.now()
		rv.Reply, rv.RepliedAt = reply, &now
		s.record(LedgerEntry{Platform: cases.Taobao, ShopID: shop, Kind: LedgerReply, Ref: rv.ID, ID: rv.ID, OrderID: rv.OrderID, ReviewID: rv.ID, Payload: reply})
		topOK(w, "taobao.traderate.explain.add", map[string]any{"is_success": true})
	}
}
