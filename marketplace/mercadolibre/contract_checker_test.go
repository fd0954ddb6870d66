package mercadolibre

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/contracttest"
)

// Mercado Libre publishes no OpenAPI, so its contract is the documentation's
// example requests and responses (../shared/specs/mercadolibre, mapped to
// their pages in its README.md). This file is the request checker: one row
// per documented endpoint the connector may call, with the query parameters,
// headers and body the documentation shows. Every request a test records
// must match a row; every row must be exercised (TestMain).

type documented struct {
	pattern  string   // method and path, as http.ServeMux patterns
	query    []string // query parameters the documentation names
	required []string // query parameters the documentation always sends
	header   map[string]string
	// body is the documented example request: the connector's JSON must only
	// use its fields with the same JSON types; bodyRequired must be present.
	body         string
	bodyRequired []string
	// form is the documented form-encoded request (OAuth), fields to send.
	form string
}

var endpoints = []documented{
	// gestion de ventas / gerenciamento-de-vendas: filters seller, q, sort (date_asc/date_desc),
	// order.date_last_updated.from/.to, order.status, tags, feedback.*; paging offset/limit.
	{pattern: "GET /orders/search", required: []string{"seller"},
		query: []string{"seller", "q", "sort", "offset", "limit", "order.status", "tags", "order.date_last_updated.from", "order.date_last_updated.to", "feedback.status"}},
	{pattern: "GET /orders/{id}"},
	{pattern: "GET /orders/{id}/feedback"},
	{pattern: "POST /feedback/{id}/reply", body: "feedback_reply.request.json", bodyRequired: []string{"reply"}},
	// mensajeria-post-venta: tag=post_sale; mark_as_read=false not to mark them read; limit/offset.
	{pattern: "GET /messages/packs/{pack}/sellers/{seller}", required: []string{"tag"}, query: []string{"tag", "mark_as_read", "limit", "offset"}},
	{pattern: "POST /messages/packs/{pack}/sellers/{seller}", required: []string{"tag"}, query: []string{"tag"},
		body: "messages_pack_post.request.json", bodyRequired: []string{"from", "to", "text"}},
	{pattern: "GET /messages/{id}", required: []string{"tag"}, query: []string{"tag"}},
	// motivos-para-comunicarse
	{pattern: "GET /messages/action_guide/packs/{pack}", required: []string{"tag"}, query: []string{"tag"}},
	{pattern: "POST /messages/action_guide/packs/{pack}/option", query: []string{"tag"},
		body: "messages_action_guide_option.request.other.json", bodyRequired: []string{"option_id", "text"}},
	// que-es-un-reclamo: resource+resource_id and players.role+players.user_id go in pairs.
	{pattern: "GET /post-purchase/v1/claims/search", required: []string{"resource", "resource_id"},
		query: []string{"resource", "resource_id", "players.role", "players.user_id", "status", "type", "stage", "limit", "offset"}},
	// envios: "al hacer un GET, debes utilizar el header x-format-new: true".
	{pattern: "GET /shipments/{id}", header: map[string]string{"X-Format-New": "true"}},
	{pattern: "GET /shipments/{id}/history"},
	// gestiona-preguntas-respuestas: answers (≤ 2000 characters) and the item's questions as their read-back.
	{pattern: "POST /answers", body: "answers_post.request.json", bodyRequired: []string{"question_id", "text"}},
	{pattern: "GET /questions/search", required: []string{"api_version"}, query: []string{"item", "seller_id", "api_version", "status", "sort_fields", "sort_types", "from", "limit", "offset"}},
	// Mercado Pago reference: X-Idempotency-Key is required (error 4292).
	{pattern: "POST /v1/payments/{id}/refunds", header: map[string]string{"X-Idempotency-Key": "*"},
		body: "mp_refunds_create.request.json", bodyRequired: []string{"amount"}},
	{pattern: "GET /v1/payments/{id}/refunds/{refund}"},
	{pattern: "POST /oauth/token", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
		form: "oauth_token_refresh_token.request.txt"},
}

var endpointMux = func() *http.ServeMux {
	mux := http.NewServeMux()
	for _, e := range endpoints {
		mux.HandleFunc(e.pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return mux
}()

// coverage counts what the contract tests exercised, for TestMain.
var coverage = struct {
	sync.Mutex
	endpoints map[string]bool
	golden    map[string]bool
}{endpoints: map[string]bool{}, golden: map[string]bool{}}

func TestMain(m *testing.M) {
	code := m.Run()
	// Only a full run (no -run filter) must exercise every documented endpoint.
	full := flag.Lookup("test.run").Value.String() == ""
	if _, err := os.Stat(specsDirForMain()); err == nil && code == 0 && full {
		var missing []string
		for _, e := range endpoints {
			if !coverage.endpoints[e.pattern] {
				missing = append(missing, e.pattern)
			}
		}
		fmt.Printf("mercadolibre contract: %d/%d documented endpoints request-checked, %d documented responses decoded\n",
			len(endpoints)-len(missing), len(endpoints), len(coverage.golden))
		if len(missing) > 0 {
			fmt.Printf("FAIL: documented endpoints no test exercised: %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

// specsDirForMain finds the specs without a *testing.T (TestMain has none).
func specsDirForMain() string {
	if dir := os.Getenv(contracttest.SpecsEnv); dir != "" {
		return dir
	}
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..", "..", "shared", "specs")
}

// spec reads a documented example: its syntax-repaired copy when there is one.
func spec(t testing.TB, name string) []byte {
	t.Helper()
	repaired := strings.TrimSuffix(name, ".json") + ".repaired.json"
	if b, err := os.ReadFile(filepath.Join(contracttest.SpecsDir(t), "mercadolibre", repaired)); err == nil {
		return b
	}
	return contracttest.File(t, "mercadolibre", name)
}

// reply is a canned answer: a documented response file, or a body built from one.
type reply struct {
	status int
	file   string // documented response served verbatim (counted as a golden decode)
	body   []byte // a body derived from a documented file
}

const testShop = "415458330" // the seller of the documented message examples

// serve starts a recorder answering each pattern, and a connector against it.
// When the test ends, every recorded request is checked against the table.
func serve(t *testing.T, routes map[string]reply) (*Client, *contracttest.Recorder) {
	t.Helper()
	contracttest.SpecsDir(t)
	mux := http.NewServeMux()
	for pattern, rp := range routes {
		body := rp.body
		if rp.file != "" {
			body = spec(t, rp.file)
			coverage.Lock()
			coverage.golden[rp.file] = true
			coverage.Unlock()
		}
		status := rp.status
		if status == 0 {
			status = http.StatusOK
		}
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
	}
	rec := contracttest.NewRecorder(t, mux)
	store := marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: testShop,
		AccessToken: "APP_USR-test", RefreshToken: "TG-test", ExpiresAt: time.Now().Add(time.Hour)})
	cfg := marketplace.PlatformConfig{BaseURL: rec.URL, PaymentsURL: rec.URL, ClientID: "89745685555", ClientSecret: "secret"}
	unlimited := marketplace.NewRateLimits(map[string]marketplace.Rate{marketplace.DefaultBucket: {N: 1000, Per: time.Second, Burst: 1000}})
	c := New(cfg, rec.Client(), store, unlimited)
	t.Cleanup(func() {
		for _, ex := range rec.Exchanges() {
			checkRequest(t, ex)
		}
	})
	return c, rec
}

// checkRequest compares one recorded request with the documented endpoint it calls.
func checkRequest(t *testing.T, ex contracttest.Exchange) {
	t.Helper()
	r := ex.Request
	_, pattern := endpointMux.Handler(r)
	var doc *documented
	for i := range endpoints {
		if endpoints[i].pattern == pattern {
			doc = &endpoints[i]
		}
	}
	if doc == nil {
		t.Errorf("%s %s is not a documented Mercado Libre / Mercado Pago endpoint", r.Method, r.URL.Path)
		return
	}
	coverage.Lock()
	coverage.endpoints[pattern] = true
	coverage.Unlock()
	for _, problem := range requestProblems(t, *doc, r, ex.Body) {
		t.Errorf("%s %s: %s", r.Method, r.URL, problem)
	}
}

func requestProblems(t *testing.T, doc documented, r *http.Request, body []byte) []string {
	var out []string
	q := r.URL.Query()
	for name := range q {
		if !slices.Contains(doc.query, name) {
			out = append(out, "query parameter "+name+" is not documented")
		}
	}
	for _, name := range doc.required {
		if q.Get(name) == "" {
			out = append(out, "documented query parameter "+name+" is missing")
		}
	}
	if slices.Contains(doc.query, "tag") && q.Has("tag") && q.Get("tag") != "post_sale" {
		out = append(out, "tag must be post_sale")
	}
	for name, want := range doc.header {
		got := r.Header.Get(name)
		if got == "" || (want != "*" && !strings.EqualFold(strings.TrimSpace(strings.Split(got, ";")[0]), want)) {
			out = append(out, fmt.Sprintf("header %s = %q, documented %q", name, got, want))
		}
	}
	switch {
	case doc.body != "":
		out = append(out, bodyProblems(spec(t, doc.body), body, doc.bodyRequired)...)
	case doc.form != "":
		out = append(out, formProblems(string(contracttest.File(t, "mercadolibre", doc.form)), body)...)
	case len(body) > 0:
		out = append(out, "sends a body the documentation does not show")
	}
	return out
}

// bodyProblems: every field sent exists in the documented example with the
// same JSON type (recursively), and the required ones are there.
func bodyProblems(documentedBody, sent []byte, required []string) []string {
	var doc, got any
	if err := json.Unmarshal(documentedBody, &doc); err != nil {
		return []string{"documented example is not JSON: " + err.Error()}
	}
	if err := json.Unmarshal(sent, &got); err != nil {
		return []string{"body is not JSON: " + err.Error()}
	}
	out := shapeProblems("body", got, doc)
	if m, ok := got.(map[string]any); ok {
		for _, f := range required {
			if _, ok := m[f]; !ok {
				out = append(out, "documented field "+f+" is missing")
			}
		}
	}
	return out
}

func shapeProblems(path string, got, doc any) []string {
	if doc == nil { // documented as null: its type is unknown
		return nil
	}
	switch d := doc.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s is %s, documented as an object", path, kind(got))}
		}
		var out []string
		keys := make([]string, 0, len(g))
		for k := range g {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			dv, ok := d[k]
			if !ok {
				out = append(out, path+"."+k+" is not a documented field")
				continue
			}
			out = append(out, shapeProblems(path+"."+k, g[k], dv)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s is %s, documented as an array", path, kind(got))}
		}
		var out []string
		for i, v := range g {
			if len(d) > 0 {
				out = append(out, shapeProblems(fmt.Sprintf("%s[%d]", path, i), v, d[0])...)
			}
		}
		return out
	}
	if kind(got) != kind(doc) {
		return []string{fmt.Sprintf("%s is %s, documented as %s", path, kind(got), kind(doc))}
	}
	return nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

var curlField = regexp.MustCompile(`-d '([^=']+)=([^']*)'`)

// formProblems compares a form-encoded body with the documented curl's -d fields.
func formProblems(curl string, sent []byte) []string {
	got, err := url.ParseQuery(string(sent))
	if err != nil {
		return []string{"form body: " + err.Error()}
	}
	var out []string
	documentedFields := map[string]string{}
	for _, m := range curlField.FindAllStringSubmatch(curl, -1) {
		documentedFields[m[1]] = m[2]
		if got.Get(m[1]) == "" {
			out = append(out, "documented form field "+m[1]+" is missing")
		}
		if !strings.HasPrefix(m[2], "$") && got.Get(m[1]) != m[2] {
			out = append(out, fmt.Sprintf("form field %s = %q, documented %q", m[1], got.Get(m[1]), m[2]))
		}
	}
	for name := range got {
		if _, ok := documentedFields[name]; !ok {
			out = append(out, "form field "+name+" is not documented")
		}
	}
	return out
}

// The checker itself must be able to fail.
func TestRequestCheckerRefusesWhatTheDocsDoNotShow(t *testing.T) {
	contracttest.SpecsDir(t)
	post := func(target, body string, header http.Header) []string {
		r, _ := http.NewRequest(http.MethodPost, "http://x"+target, strings.NewReader(body))
		for k, v := range header {
			r.Header[k] = v
		}
		_, pattern := endpointMux.Handler(r)
		for _, e := range endpoints {
			if e.pattern == pattern {
				return requestProblems(t, e, r, []byte(body))
			}
		}
		return []string{"no endpoint"}
	}
	msg := "/messages/packs/1/sellers/2?tag=post_sale"
	if p := post(msg, `{"from":{"user_id":"2"},"to":{"user_id":"3"},"text":"hola"}`, nil); len(p) != 0 {
		t.Fatalf("a documented message was refused: %v", p)
	}
	for name, c := range map[string]struct{ target, body string }{
		"numeric user id":  {msg, `{"from":{"user_id":2},"to":{"user_id":"3"},"text":"hola"}`},
		"missing text":     {msg, `{"from":{"user_id":"2"},"to":{"user_id":"3"}}`},
		"undocumented key": {msg, `{"from":{"user_id":"2"},"to":{"user_id":"3"},"text":"hola","subject":"x"}`},
		"no tag":           {"/messages/packs/1/sellers/2", `{"from":{"user_id":"2"},"to":{"user_id":"3"},"text":"hola"}`},
		"undocumented qp":  {msg + "&site=MLB", `{"from":{"user_id":"2"},"to":{"user_id":"3"},"text":"hola"}`},
		"amount as string": {"/v1/payments/1/refunds", `{"amount":"5"}`},
		"unknown endpoint": {"/seller-promotions/coupons", `{}`},
	} {
		if p := post(c.target, c.body, http.Header{"X-Idempotency-Key": {"k"}}); len(p) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
	if p := post("/v1/payments/1/refunds", `{"amount":5}`, nil); len(p) == 0 {
		t.Error("a refund without X-Idempotency-Key was accepted")
	}
}
