package connectors_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/simulator"
)

var webhookKinds = []marketplace.WebhookKind{marketplace.WebhookReview, marketplace.WebhookBuyerMessage, marketplace.WebhookIgnored}

// FuzzParseWebhook feeds every connector's ParseWebhook any body, signed
// with the platform's real secret when sign is set (so the fuzzer gets past
// the signature into the decoding) or carrying a forged signature. It must
// never panic; it either refuses with a classified *marketplace.Error of its
// own platform, or returns events the API can hand off: a known kind, and a
// review that names its platform, shop and id.
func FuzzParseWebhook(f *testing.F) {
	for _, seed := range []struct {
		m    cases.Marketplace
		body string
	}{
		{cases.MercadoLibre, `{"_id":"n-1","resource":"/orders/2000001/feedback","user_id":1001,"topic":"orders_feedback","application_id":"sim-meli","attempts":1,"sent":"2026-11-22T09:00:00.000Z","received":"2026-11-22T09:00:00.000Z"}`},
		{cases.MercadoLibre, `{"_id":"n-2","resource":"/messages/0a1b2c","user_id":"1001","topic":"messages","application_id":"sim-meli"}`},
		{cases.MercadoLibre, `{"resource":"/items/MLA1","user_id":"1001","topic":"items","application_id":"sim-meli"}`},
		{cases.MercadoLibre, `{"resource":"/orders/2000001/feedback","topic":"orders_feedback","application_id":"another-app"}`},
		{cases.Taobao, `{"id":"t-1","topic":"taobao_trade_TradeRated","pub_time":"2026-11-22 09:00:00","user_nick":"demo-shop","content":"{\"tid\":1001,\"oid\":\"2002\",\"rater\":\"buyer\",\"result\":\"bad\",\"content\":\"质量很差\",\"created\":\"2026-11-22 09:00:00\",\"buyer_nick\":\"买家\",\"seller_nick\":\"demo-shop\",\"item_title\":\"保温杯\"}"}`},
		{cases.Taobao, `{"id":"t-2","topic":"taobao_qianniu_BuyerMessage","pub_time":"2026-11-22 09:00:00","user_nick":"demo-shop","content":"{\"tid\":\"1001\",\"msg_id\":\"m-9\",\"content\":\"你好\",\"buyer_nick\":\"买家\",\"created\":\"2026-11-22 09:00:00\"}"}`},
		{cases.Taobao, `{"id":"t-3","topic":"taobao_trade_TradeRated","user_nick":"demo-shop","content":"not json"}`},
		{cases.Taobao, `{"id":"t-4","topic":"taobao_trade_TradeRated","user_nick":"demo-shop","content":"{\"result\":\"good\"}"}`},
		{cases.EBay, `{"notificationId":"e-1","eventType":"FeedbackReceived","publishDate":"2026-11-22T09:00:00Z","data":{"feedbackId":"F1","commentType":"NEGATIVE","commentText":"Broken","orderId":"O1","buyerUsername":"b","sellerUsername":"demo-seller","feedbackEnteredDate":"2026-11-22T09:00:00Z"}}`},
		{cases.EBay, `{"notificationId":"e-2","eventType":"M2MMessage","publishDate":"2026-11-22T09:00:00Z","data":{"messageId":"m","orderId":"O1","senderUsername":"b","sellerUsername":"demo-seller","text":"hi"}}`},
		{cases.EBay, `{"notificationId":"e-3","eventType":"FeedbackReceived","data":{"commentType":"NEUTRAL"}}`},
		{cases.EBay, `{"notificationId":"e-4","eventType":"MarketplaceAccountDeletion","data":null}`},
		{cases.Amazon, `{"notificationType":"ANY_OFFER_CHANGED"}`},
		{cases.MercadoLibre, ``}, {cases.Taobao, `null`}, {cases.EBay, `[]`}, {cases.MercadoLibre, `{"topic":1}`}, {cases.Taobao, "\xff\xfe"},
	} {
		f.Add(marketplaceIndex(seed.m), []byte(seed.body), true, "")
		f.Add(marketplaceIndex(seed.m), []byte(seed.body), false, "0123abcd")
	}
	apps := simulator.DefaultApps()
	// ParseWebhook never calls the platform, so the connectors point nowhere.
	reg, err := connectors.NewRegistry(simulator.ConnectorConfig("http://127.0.0.1:9", apps, simulator.DemoShops()...),
		&http.Client{Timeout: time.Second}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, mIdx uint8, body []byte, sign bool, forged string) {
		m := cases.Marketplaces[int(mIdx)%len(cases.Marketplaces)]
		conn, err := reg.Get(m)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/"+string(m), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-EBAY-SIGNATURE", forged)
		if sign {
			req.Header.Set("X-EBAY-SIGNATURE", ebaySignatureHeader(forged))
		}

		events, err := conn.ParseWebhook(context.Background(), req, body)
		if err != nil {
			var me *marketplace.Error
			if !errors.As(err, &me) {
				t.Fatalf("%s: unclassified error %T: %v", m, err, err)
			}
			if me.Class == "" || me.Marketplace != m {
				t.Fatalf("%s: error without class or of another platform: %+v", m, me)
			}
			if events != nil {
				t.Fatalf("%s: events alongside an error: %+v", m, events)
			}
			return
		}
		for _, ev := range events {
			if !slices.Contains(webhookKinds, ev.Kind) {
				t.Fatalf("%s: unknown event kind %q", m, ev.Kind)
			}
			if r := ev.Review; r != nil && (r.Marketplace != m || r.ReviewID == "" || r.ShopID == "") {
				t.Fatalf("%s: review event without platform, id or shop: %+v from %q", m, r, body)
			}
		}
	})
}

// marketplaceIndex is the fuzz input that selects m.
func marketplaceIndex(m cases.Marketplace) uint8 { return uint8(slices.Index(cases.Marketplaces, m)) }

// ebaySignatureHeader is a well-formed X-EBAY-SIGNATURE (base64 JSON naming a
// key) carrying a forged signature, so fuzzed deliveries reach verification.
func ebaySignatureHeader(forged string) string {
	h, _ := json.Marshal(map[string]string{"alg": "ECDSA", "kid": "fuzz-kid", "signature": base64.StdEncoding.EncodeToString([]byte(forged)), "digest": "SHA1"})
	return base64.StdEncoding.EncodeToString(h)
}
