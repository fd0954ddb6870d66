package simulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace/contracttest"
	"github.com/redress-hq/redress/simulator"
)

// topCall signs a TOP call the way TOP documents it (test-local: MD5 of
// secret+sorted name/value pairs+secret) and returns the raw answer.
func topCall(t *testing.T, srv *httptest.Server, method, session string, params url.Values) []byte {
	t.Helper()
	form := url.Values{"method": {method}, "app_key": {"sim-taobao"}, "timestamp": {time.Now().Format("2006-01-02 15:04:05")},
		"format": {"json"}, "v": {"2.0"}, "sign_method": {"md5"}}
	if session != "" {
		form.Set("session", session)
	}
	for k, v := range params {
		form[k] = v
	}
	form.Set("sign", md5Sign(form, "sim-taobao-secret"))
	resp, err := http.Post(srv.URL+"/taobao/router/rest", "application/x-www-form-urlencoded;charset=utf-8", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(body), "error_response") {
		t.Fatalf("%s: %s", method, body)
	}
	return body
}

// TestTaobaoAnswersMatchTOPMetadata calls every method the connector uses on
// the simulator and checks each answer against the method's TOP metadata:
// only declared fields, each of its declared type (tid, oid, ids as JSON
// numbers, money as strings, dates in TOP's format, lists wrapped).
func TestTaobaoAnswersMatchTOPMetadata(t *testing.T) {
	contracttest.SpecsDir(t)
	sim := simulator.New(simulator.Options{})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	sim.Seed(simulator.Shop{Platform: cases.Taobao, ID: "tb", Token: "sess"})
	now := time.Now()
	rv, o, err := sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: "tb", Rating: 1, Text: "差", BuyerName: "买家", Amount: 8900, ShippingFee: 1000,
		Courier: "中通快递", Tracking: []simulator.TrackingEvent{{At: now.Add(-time.Hour), Status: "shipped"}, {At: now, Status: "delivered"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.AddFollowUp(cases.Taobao, rv.ID, "追评"); err != nil {
		t.Fatal(err)
	}
	refund, err := sim.AddBuyerRefund(cases.Taobao, o.ID, 500, "少件")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _, err := sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: "tb", Rating: 2, Text: "慢", BuyerName: "买家"})
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		method, session string
		params          url.Values
	}{
		{"taobao.traderates.get", "sess", url.Values{"fields": {"tid,oid,role,nick,result,created,item_title,item_price,content,reply"}, "rate_type": {"get"}, "role": {"buyer"}, "use_has_next": {"true"}, "page_size": {"150"}}},
		{"taobao.traderates.get", "sess", url.Values{"fields": {"tid,oid"}, "rate_type": {"get"}, "role": {"buyer"}}},
		{"tmall.traderate.feeds.get", "sess", url.Values{"child_trade_id": {rv.ID}}},
		{"taobao.traderate.explain.add", "sess", url.Values{"oid": {fresh.ID}, "reply": {"抱歉"}}},
		{"taobao.trade.fullinfo.get", "sess", url.Values{"tid": {o.ID}, "fields": {"tid,status"}}},
		{"taobao.logistics.trace.search", "sess", url.Values{"tid": {o.ID}}},
		{"taobao.refunds.receive.get", "sess", url.Values{"fields": {"refund_id,tid"}, "buyer_nick": {"买家"}, "use_has_next": {"true"}}},
		{"taobao.refund.get", "sess", url.Values{"refund_id": {refund.ID}, "fields": {"refund_id,tid"}}},
		{"taobao.promotion.coupon.send", "sess", url.Values{"coupon_id": {"3000001000"}, "buyer_nick": {"买家,路人"}}},
		{"taobao.tmc.messages.consume", "", url.Values{"quantity": {"100"}}},
	}
	for _, c := range calls {
		meta := contracttest.TOPMethod(t, c.method)
		for _, err := range meta.CheckForm(withMethod(c.params, c.method)) {
			t.Errorf("the test's own request: %v", err)
		}
		body := topCall(t, srv, c.method, c.session, c.params)
		for _, err := range meta.CheckResponse(body) {
			t.Error(err)
		}
		if c.method == "taobao.tmc.messages.consume" {
			confirmAll(t, srv, body)
		}
	}
	if n := sim.PendingTMC(); n != 0 {
		t.Errorf("%d TMC messages still pending after confirm", n)
	}
}

func withMethod(params url.Values, method string) url.Values {
	form := url.Values{"method": {method}}
	for k, v := range params {
		form[k] = v
	}
	return form
}

// confirmAll confirms a consumed batch, checking the confirm's answer too.
func confirmAll(t *testing.T, srv *httptest.Server, consumed []byte) {
	t.Helper()
	var res struct {
		R struct {
			Messages struct {
				List []struct {
					ID json.Number `json:"id"`
				} `json:"tmc_message"`
			} `json:"messages"`
		} `json:"tmc_messages_consume_response"`
	}
	if err := json.Unmarshal(consumed, &res); err != nil || len(res.R.Messages.List) == 0 {
		t.Fatalf("consume: %v %s", err, consumed)
	}
	var ids []string
	for _, m := range res.R.Messages.List {
		ids = append(ids, m.ID.String())
	}
	body := topCall(t, srv, "taobao.tmc.messages.confirm", "", url.Values{"s_message_ids": {strings.Join(ids, ",")}})
	for _, err := range contracttest.TOPMethod(t, "taobao.tmc.messages.confirm").CheckResponse(body) {
		t.Error(err)
	}
}
