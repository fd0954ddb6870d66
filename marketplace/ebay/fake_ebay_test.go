package ebay

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/contracttest"
)

const (
	testShop = "ebay-seller"
	testKid  = "kid-test-1"
)

// specFor names the eBay OpenAPI document that defines a path.
func specFor(t testing.TB, path string) *contracttest.Doc {
	t.Helper()
	for prefix, file := range map[string]string{
		"/commerce/feedback/":     "commerce_feedback_v1_beta_oas3.json",
		"/commerce/message/":      "commerce_message_v1_oas3.json",
		"/commerce/notification/": "commerce_notification_v1_oas3.json",
		"/sell/fulfillment/":      "sell_fulfillment_v1_oas3.json",
		"/sell/marketing/":        "sell_marketing_v1_oas3.json",
	} {
		if strings.HasPrefix(path, prefix) {
			return contracttest.Spec(t, "ebay", file)
		}
	}
	return nil
}

func golden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testKey is the key pair standing in for eBay's notification signing key.
func testKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	block, _ := pem.Decode(golden(t, "../notification_key.pem"))
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*ecdsa.PrivateKey)
}

// publicKeyJSON is a getPublicKey answer for key, in eBay's one-line PEM form.
func publicKeyJSON(t testing.TB, key *ecdsa.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{"algorithm": "ECDSA", "digest": "SHA1",
		"key": "-----BEGIN PUBLIC KEY-----" + base64.StdEncoding.EncodeToString(der) + "-----END PUBLIC KEY-----"})
	return b
}

// answer is a canned response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// fakeEBay answers the connector's calls with golden responses chosen by
// route; routes override per test. The token endpoint is not part of the
// published specs: it answers any grant.
type fakeEBay struct {
	t      testing.TB
	mu     sync.Mutex
	routes map[string]func(r *http.Request) answer
	hits   map[string]int
}

func newFakeEBay(t testing.TB) *fakeEBay {
	f := &fakeEBay{t: t, hits: map[string]int{}, routes: map[string]func(*http.Request) answer{}}
	ok := func(name string) func(*http.Request) answer {
		return func(*http.Request) answer { return answer{status: 200, body: golden(t, name)} }
	}
	f.routes["POST /identity/v1/oauth2/token"] = func(r *http.Request) answer {
		return answer{status: 200, body: []byte(`{"access_token":"tok-` + r.FormValue("grant_type") + `","expires_in":7200,"token_type":"User Access Token"}`)}
	}
	f.routes["GET /commerce/feedback/v1/feedback"] = func(r *http.Request) answer {
		if r.URL.Query().Get("filter") == "commentType:NEUTRAL" {
			return answer{status: 200, body: golden(t, "feedback_empty.json")}
		}
		return answer{status: 200, body: golden(t, "feedback_negative.json")}
	}
	f.routes["POST /commerce/feedback/v1/respond_to_feedback"] = func(*http.Request) answer { return answer{status: 200, body: []byte(`{}`)} }
	f.routes["GET /sell/fulfillment/v1/order"] = ok("orders.json")
	f.routes["GET /sell/fulfillment/v1/order/12-34567-89012"] = ok("order.json")
	f.routes["GET /sell/fulfillment/v1/order/12-34567-89012/shipping_fulfillment"] = ok("shipping_fulfillments.json")
	f.routes["POST /sell/fulfillment/v1/order/12-34567-89012/issue_refund"] = ok("refund.json")
	f.routes["GET /commerce/message/v1/conversation"] = ok("conversations.json")
	f.routes["GET /commerce/message/v1/conversation/C-7001"] = ok("conversation.json")
	f.routes["POST /commerce/message/v1/send_message"] = func(*http.Request) answer {
		return answer{status: 201, body: golden(t, "send_message.json")}
	}
	f.routes["GET /sell/marketing/v1/promotion"] = ok("promotions_empty.json")
	f.routes["POST /sell/marketing/v1/item_promotion"] = func(*http.Request) answer {
		return answer{status: 201, body: []byte(`{}`), header: http.Header{"Location": {"https://api.ebay.com/sell/marketing/v1/item_promotion/PROMO-5551"}}}
	}
	f.routes["GET /commerce/notification/v1/public_key/"+testKid] = func(*http.Request) answer {
		return answer{status: 200, body: publicKeyJSON(t, &testKey(t).PublicKey)}
	}
	return f
}

func (f *fakeEBay) set(route string, h func(*http.Request) answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[route] = h
}

func (f *fakeEBay) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[route]
}

func (f *fakeEBay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	f.mu.Lock()
	h, ok := f.routes[route]
	f.hits[route]++
	f.mu.Unlock()
	if !ok {
		f.t.Errorf("the connector called %s, which the fake eBay does not serve", route)
		http.Error(w, `{"errors":[{"errorId":1,"category":"REQUEST","message":"not served"}]}`, http.StatusNotFound)
		return
	}
	a := h(r)
	for k, v := range a.header {
		w.Header()[k] = v
	}
	if a.body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// contractEnv is a connector pointed at a recorder in front of the fake eBay.
type contractEnv struct {
	fake *fakeEBay
	rec  *contracttest.Recorder
	c    *Client
}

func newContractEnv(t testing.TB) *contractEnv {
	contracttest.SpecsDir(t)
	fake := newFakeEBay(t)
	rec := contracttest.NewRecorder(t, fake)
	cfg := marketplace.PlatformConfig{BaseURL: rec.URL, ClientID: "app", ClientSecret: "secret", MarketplaceID: "EBAY_US",
		PromotionImageURL: "https://example.com/coupon.png", VerificationToken: "verify-0123456789-0123456789-0123", EndpointURL: "https://redress.example.com/v1/webhooks/ebay"}
	store := marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.EBay, ShopID: testShop, RefreshToken: "refresh"})
	return &contractEnv{fake: fake, rec: rec, c: New(cfg, rec.Client(), store, nil)}
}
