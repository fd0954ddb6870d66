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
)

// Taobao TOP: one gateway (POST /taobao/router/rest), signed form params,
// answers always HTTP 200 with either {<method>_response:{…}} or
// {error_response:{code,msg,sub_code,sub_msg}}, in TOP's JSON shapes: ids
// typed Number are JSON numbers, money is a decimal string, arrays are
// wrapped in an object named after their element type. It serves only the
// methods in TOP's published metadata that Redress calls.

const taobaoTime = "2006-01-02 15:04:05"

var taobaoZone = time.FixedZone("CST", 8*3600)

// taobaoWrites are the TOP methods with side effects.
var taobaoWrites = map[string]bool{"taobao.traderate.explain.add": true, "taobao.promotion.coupon.send": true}

// taobaoAppLevel are methods called without a shop session.
var taobaoAppLevel = map[string]bool{"taobao.tmc.messages.consume": true, "taobao.tmc.messages.confirm": true}

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

// topResponseKey: the method, dots as underscores, without "taobao.", plus _response.
func topResponseKey(method string) string {
	return strings.ReplaceAll(strings.TrimPrefix(method, "taobao."), ".", "_") + "_response"
}

func topOK(w http.ResponseWriter, method string, body any) {
	writeJSON(w, http.StatusOK, map[string]any{topResponseKey(method): body})
}

// topArray wraps a list the way format=json sends it.
func topArray(element string, items []any) map[string]any {
	if items == nil {
		items = []any{}
	}
	return map[string]any{element: items}
}

// topNumber renders a simulator id as the JSON number TOP sends.
func topNumber(id string) any {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return n
	}
	return id
}

func topTime(t time.Time) string { return t.In(taobaoZone).Format(taobaoTime) }

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
		if r.URL.Path != "/router/rest" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			topError(w, 41, "Invalid arguments", "isv.invalid-parameter", err.Error())
			return
		}
		app := s.opts.Apps[cases.Taobao]
		form := r.PostForm
		if form.Get("app_key") != app.ClientID {
			topError(w, 29, "Invalid app Key", "isv.appkey-not-exists", "")
			return
		}
		if want, ok := topSignature(form, app.ClientSecret); !ok || want != form.Get("sign") {
			topError(w, 25, "Invalid signature", "isv.invalid-signature", "")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		method := form.Get("method")
		if taobaoAppLevel[method] {
			s.taobaoTMC(w, form)
			return
		}
		shopID, ok := s.auth[cases.Taobao].refresh[form.Get("session")]
		if !ok {
			topError(w, 27, "Invalid session", "isv.session-expired", "the session key is invalid or expired")
			return
		}
		s.taobaoMethod(w, form, shopID)
	}))
}

// taobaoMethod runs one shop method; callers hold s.mu.
func (s *Simulator) taobaoMethod(w http.ResponseWriter, f url.Values, shop string) {
	method := f.Get("method")
	order := func() (*Order, bool) {
		if _, err := strconv.ParseInt(f.Get("tid"), 10, 64); err != nil {
			topError(w, 41, "Invalid arguments", "isv.invalid-parameter:tid", "tid must be a number")
			return nil, false
		}
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
	case "tmall.traderate.feeds.get":
		s.topRateFeed(w, f, shop)
	case "taobao.trade.fullinfo.get":
		if o, ok := order(); ok {
			topOK(w, method, map[string]any{"trade": s.topTrade(o)})
		}
	case "taobao.logistics.trace.search":
		if o, ok := order(); ok {
			steps := []any{}
			for _, t := range o.Tracking {
				steps = append(steps, map[string]any{"status_time": topTime(t.At), "action": t.Status, "status_desc": t.Description})
			}
			topOK(w, method, map[string]any{"tid": topNumber(o.ID), "company_name": o.Courier, "out_sid": o.TrackingNumber,
				"status": "对方已签收", "trace_list": topArray("transit_step_info", steps)})
		}
	case "taobao.refunds.receive.get":
		s.topReceivedRefunds(w, f, shop)
	case "taobao.refund.get":
		s.topRefundGet(w, f, shop)
	case "taobao.promotion.coupon.send":
		s.topCouponSend(w, f, shop)
	default:
		topError(w, 22, "Invalid method", "isv.method-not-exist", method)
	}
}

func (s *Simulator) topTrade(o *Order) map[string]any {
	status := "TRADE_FINISHED"
	if o.DeliveredAt == nil {
		status = "WAIT_BUYER_CONFIRM_GOODS"
	}
	if o.Refunded() {
		status = "TRADE_CLOSED"
	}
	t := map[string]any{
		"tid": topNumber(o.ID), "tid_str": o.ID, "status": status, "payment": o.Amount.String(), "post_fee": o.ShippingFee.String(),
		"buyer_nick": o.BuyerName, "created": topTime(o.CreatedAt), "pay_time": topTime(o.CreatedAt),
		"orders": topArray("order", []any{map[string]any{"oid": topNumber(o.ID), "oid_str": o.ID, "title": o.Item}}),
	}
	if o.ShippedAt != nil {
		t["consign_time"] = topTime(*o.ShippedAt)
	}
	if o.DeliveredAt != nil {
		t["end_time"] = topTime(*o.DeliveredAt)
	}
	return t
}

func (s *Simulator) topTradeRates(w http.ResponseWriter, f url.Values, shop string) {
	const method = "taobao.traderates.get"
	if f.Get("rate_type") != "get" || f.Get("role") != "buyer" || f.Get("fields") == "" {
		topError(w, 41, "Invalid arguments", "isv.missing-parameter", "fields, rate_type=get and role=buyer are required")
		return
	}
	pageSize, pageNo := 40, 1
	if v := f.Get("page_size"); v != "" {
		pageSize, _ = strconv.Atoi(v)
	}
	if v := f.Get("page_no"); v != "" {
		pageNo, _ = strconv.Atoi(v)
	}
	if pageSize < 1 || pageSize > 150 || pageNo < 1 || pageNo > 200 {
		topError(w, 41, "Invalid arguments", "isv.invalid-parameter:page", "page_size must be 1-150 and page_no 1-200")
		return
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
		if rv.Platform != cases.Taobao || rv.ShopID != shop || rv.Removed || rv.CreatedAt.Truncate(time.Second).Before(from) {
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
		rates = append(rates, map[string]any{"tid": topNumber(rv.OrderID), "oid": topNumber(rv.ID), "role": "buyer", "nick": o.BuyerName,
			"result": taobaoResult(rv.Rating), "created": topTime(rv.CreatedAt), "rated_nick": shop, "item_title": o.Item,
			"item_price": o.Amount.String(), "content": rv.Text, "reply": rv.Reply, "valid_score": true})
	}
	body := map[string]any{"trade_rates": topArray("trade_rate", rates)}
	if f.Get("use_has_next") == "true" {
		body["has_next"] = pageNo*pageSize < len(all)
	} else {
		body["total_results"] = len(all)
	}
	topOK(w, method, body)
}

// topRateFeed is Tmall's view of one sub-order's rate with its 追评.
func (s *Simulator) topRateFeed(w http.ResponseWriter, f url.Values, shop string) {
	rv, ok := s.reviews[key(cases.Taobao, f.Get("child_trade_id"))]
	if !ok || rv.ShopID != shop || rv.Removed {
		topError(w, 15, "Remote service error", "isv.rate-not-exist", "no rate for child_trade_id")
		return
	}
	info := map[string]any{"content": rv.Text, "comment_time": topTime(rv.CreatedAt), "user_nick": s.orders[key(cases.Taobao, rv.OrderID)].BuyerName,
		"has_negtv": rv.Rating <= 3}
	if rv.FollowUpAt != nil {
		info["append_content"], info["append_time"] = rv.FollowUp, topTime(*rv.FollowUpAt)
	}
	topOK(w, "tmall.traderate.feeds.get", map[string]any{"tmall_rate_info": info})
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
