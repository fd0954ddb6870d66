package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store/storetest"
	"github.com/redress-hq/redress/workflows"
)

// The fuzz targets send whatever the fuzzer makes through the real Echo
// handler, a real store on PostgreSQL, the real connectors and the Temporal
// dev server, and hold the API to one rule: bad input is the caller's
// problem — a 4xx with a problem+json body — never a 5xx or a panic (the
// recover middleware would turn a panic into a 500, so a panic fails too).

// fuzzAPI is one server on one database for a whole fuzz target; a fresh
// database per input would make fuzzing crawl.
type fuzzAPI struct {
	handler http.Handler
	tokens  map[cases.Role]string
}

// fuzzApps are the webhook secrets the fuzzed API's connectors verify with.
var fuzzApps = simulator.DefaultApps()

func newFuzzAPI(f *testing.F) *fuzzAPI {
	f.Helper()
	st := storetest.New(f)
	// Webhooks never call the platform, so the connectors point nowhere.
	markets, err := connectors.NewRegistry(simulator.ConnectorConfig("http://127.0.0.1:9", fuzzApps, simulator.DemoShops()...),
		&http.Client{Timeout: time.Second}, nil)
	if err != nil {
		f.Fatal(err)
	}
	srv := New(Deps{
		Store: st, Temporal: devTemporal, Markets: markets,
		Ingestor: intake.Ingestor{Temporal: devTemporal},
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Config: Config{BootstrapToken: testBootstrap, TemporalUIURL: "http://localhost:8233",
			TemporalTimeout: 5 * time.Second, CaseDefaults: fuzzCaseDefaults},
	})
	a := &fuzzAPI{handler: srv.Handler(), tokens: map[cases.Role]string{}}
	for _, role := range []cases.Role{cases.RoleAgent, cases.RoleManager, cases.RoleAutomation} {
		plain, hash, err := GenerateToken()
		if err != nil {
			f.Fatal(err)
		}
		if _, err := st.CreateToken(context.Background(), "fuzz-"+string(role), role, hash); err != nil {
			f.Fatal(err)
		}
		a.tokens[role] = plain
	}
	return a
}

func (a *fuzzAPI) post(t *testing.T, path string, role cases.Role, header map[string]string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[role])
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	checkContract(t, req, body, rec)
	return rec
}

// answeredCleanly fails the input unless the answer is a success or a
// problem+json 4xx with a stable code.
func answeredCleanly(t *testing.T, rec *httptest.ResponseRecorder, body []byte) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d for body %q: %s", rec.Code, body, rec.Body.String())
	}
	if rec.Code < 400 {
		return
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("status %d with content type %q for body %q", rec.Code, ct, body)
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code == "" || p.Status != rec.Code {
		t.Fatalf("status %d with a bad problem %s (%v) for body %q", rec.Code, rec.Body.String(), err, body)
	}
}

// FuzzCreateReview: POST /v1/reviews as an automation feeding reviews.
func FuzzCreateReview(f *testing.F) {
	for _, seed := range []string{
		`{"marketplace":"mercadolibre","shop_id":"1001","review_id":"fz-1","order_id":"2000001","rating":1,"text":"Llegó roto","created_at":"2026-11-22T09:00:00Z","buyer":{"id":"B-77","name":"Ana"},"order_amount":59.90,"shipping_fee":8.00,"currency":"BRL"}`,
		`{"marketplace":"taobao","shop_id":"demo-shop","review_id":"1:2","order_id":"1","rating":3,"text":"物流太慢了","language":"zh","created_at":"2026-11-22T09:00:00+08:00","buyer":{"id":"b"},"photos":["https://img.example/1.jpg"]}`,
		`{"marketplace":"ebay","shop_id":"s","review_id":"r","order_id":"o","rating":5,"text":"great","created_at":"2026-11-01T00:00:00Z","buyer":{"id":"b","name":"n"}}`,
		`{"marketplace":"amazon","shop_id":"A1","review_id":"r2","order_id":"o","rating":2,"created_at":"2026-11-01T00:00:00Z","buyer":{"id":"b"},"order_amount":"12.5","currency":"usd"}`,
		`{"marketplace":"ebay","shop_id":"s","review_id":"r","order_id":"o","rating":9,"text":"x","created_at":"2026-11-01T00:00:00Z","buyer":{"id":"b","name":"n"}}`,
		`{"marketplace":"etsy","rating":1}`,
		`{"rating":1}`,
		`{"rating":-1e400,"order_amount":1e400}`,
		`{"marketplace":"ebay","shop_id":"s","review_id":"r","order_id":"o","rating":1,"created_at":"not a time","buyer":null}`,
		`{"marketplace":"ebay","shop_id":"s","review_id":"r","order_id":"o","rating":1,"created_at":"2026-11-01T00:00:00Z","buyer":{"id":"b"},"order_amount":-5,"shipping_fee":0.001}`,
		`{"marketplace":"mercadolibre"} {"rating":1}`,
		`[1,2,3]`, `null`, `"review"`, `{"marketplace":`, ``, "\x00\xff",
	} {
		f.Add([]byte(seed))
	}
	api := newFuzzAPI(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		answeredCleanly(t, api.post(t, "/v1/reviews", cases.RoleAutomation, nil, body), body)
	})
}

// FuzzCompleteTask: POST /v1/tasks/{id}/complete, the body every task kind
// is completed with, under any task id an agent or manager might send.
func FuzzCompleteTask(f *testing.F) {
	const task = "cs_fuzzfuzzfuzzfuzzfuzz-contact_buyer-1"
	for _, seed := range []struct{ id, body string }{
		{task, `{"contact":{"message":"Hola Ana, lamentamos lo ocurrido."}}`},
		{task, `{"verify":{"responsibility":"merchant","findings":"QC log","evidence_checked":["order","tracking"]}}`},
		{task, `{"remedy":{"type":"refund_no_return","amount":"12.50","message":"","note":"n"}}`},
		{task, `{"approval":{"approved":true,"reason":"ok","text":"Thank you"}}`},
		{task, `{"appeal":{"statement":"s","evidence":["tracking"],"filed_manually":true,"reference":"R1"}}`},
		{task, `{"appeal_outcome":{"won":false,"note":"n"}}`},
		{"cs_fuzzfuzzfuzzfuzzfuzz-manual_step-1", `{"manual_step":{"reference":"AMZ-RF-1","note":"n"}}`},
		{task, `{"contact":{"message":"a"},"verify":{"responsibility":"merchant"}}`},
		{task, `{"remedy":{"type":"refund_no_return","amount":1e400}}`},
		{task, `{"remedy":{"amount":"-0.01"}}`},
		{task, `{}`},
		{task, `{"unknown":1}`},
		{"not-a-task", `{"contact":{"message":"x"}}`},
		{"cs_-x", `{"approval":{"approved":true}}`},
		{"cs_UPPER-x", `{"approval":{"approved":true}}`},
		{"", `{}`},
		{task, `{"contact":null}`},
	} {
		f.Add(seed.id, []byte(seed.body), false)
		f.Add(seed.id, []byte(seed.body), true)
	}
	api := newFuzzAPI(f)
	f.Fuzz(func(t *testing.T, taskID string, body []byte, asManager bool) {
		role := cases.RoleAgent
		if asManager {
			role = cases.RoleManager
		}
		path := "/v1/tasks/" + url.PathEscape(taskID) + "/complete"
		if _, err := url.ParseRequestURI(path); err != nil {
			t.Skip("not a request path")
		}
		answeredCleanly(t, api.post(t, path, role, nil, body), body)
	})
}

// FuzzWebhook: POST /v1/webhooks/{marketplace} with any body, signed with
// the platform's real secret when sign is set (so the fuzzer reaches the
// decoding behind the signature check), or carrying a forged signature.
func FuzzWebhook(f *testing.F) {
	for _, seed := range []struct {
		m    cases.Marketplace
		body string
	}{
		{cases.MercadoLibre, `{"_id":"n-1","resource":"/orders/2000001/feedback","user_id":"1001","topic":"orders_feedback","application_id":"sim-meli","attempts":1,"sent":"2026-11-22T09:00:00Z","received":"2026-11-22T09:00:00Z"}`},
		{cases.MercadoLibre, `{"_id":"n-2","resource":"/messages/m-1","user_id":"1001","topic":"messages","application_id":"sim-meli"}`},
		{cases.Taobao, `{"id":"t-1","topic":"taobao_trade_TradeRated","pub_time":"2026-11-22 09:00:00","user_nick":"demo-shop","content":"{\"tid\":\"1\",\"oid\":\"2\",\"rater\":\"buyer\",\"result\":\"bad\",\"content\":\"差评\",\"created\":\"2026-11-22 09:00:00\"}"}`},
		{cases.Taobao, `{"id":"t-2","topic":"taobao_qianniu_BuyerMessage","user_nick":"demo-shop","content":"{\"tid\":\"1\",\"msg_id\":\"m\",\"content\":\"你好\"}"}`},
		{cases.EBay, `{"notificationId":"e-1","eventType":"FeedbackReceived","publishDate":"2026-11-22T09:00:00Z","data":{"feedbackId":"F1","commentType":"NEGATIVE","commentText":"bad","orderId":"O1","buyerUsername":"b","sellerUsername":"demo-seller","feedbackEnteredDate":"2026-11-22T09:00:00Z"}}`},
		{cases.EBay, `{"notificationId":"e-2","eventType":"M2MMessage","data":{"messageId":"m","orderId":"O1","text":"hi"}}`},
		{cases.Amazon, `{}`},
		{cases.Taobao, `{"content":"not json"}`},
		{cases.EBay, `{"data":null}`},
		{cases.MercadoLibre, `[]`},
	} {
		f.Add(marketplaceIndex(seed.m), []byte(seed.body), true, "")
		f.Add(marketplaceIndex(seed.m), []byte(seed.body), false, "deadbeef")
	}
	api := newFuzzAPI(f)
	f.Fuzz(func(t *testing.T, mIdx uint8, body []byte, sign bool, forged string) {
		m := cases.Marketplaces[int(mIdx)%len(cases.Marketplaces)]
		header := map[string]string{"X-EBAY-SIGNATURE": forged}
		if sign {
			header["X-EBAY-SIGNATURE"] = ebaySignatureHeader(forged)
		}
		answeredCleanly(t, api.post(t, "/v1/webhooks/"+string(m), "", header, body), body)
	})
}

// fuzzCaseDefaults are the settings fuzzed reviews' cases start with (no
// worker runs in this package, so they never act).
var fuzzCaseDefaults = workflows.CaseSettings{AutoContact: true, ApprovalLimit: 5000,
	FollowUpDelay: time.Hour, ReviewCheckDelay: time.Hour, TimeZone: "UTC"}

// marketplaceIndex is the fuzz input that selects m.
func marketplaceIndex(m cases.Marketplace) uint8 { return uint8(slices.Index(cases.Marketplaces, m)) }

// ebaySignatureHeader is a well-formed X-EBAY-SIGNATURE (base64 JSON naming a
// key) carrying a forged signature, so fuzzed deliveries reach verification.
func ebaySignatureHeader(forged string) string {
	h, _ := json.Marshal(map[string]string{"alg": "ECDSA", "kid": "fuzz-kid", "signature": base64.StdEncoding.EncodeToString([]byte(forged)), "digest": "SHA1"})
	return base64.StdEncoding.EncodeToString(h)
}
