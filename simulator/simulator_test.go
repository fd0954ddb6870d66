package simulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

func call(t *testing.T, method, url string, body any) (int, []byte) {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, url, bytes.NewReader(data))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

func TestAdminAPI(t *testing.T) {
	var mu sync.Mutex
	deliveries := map[string][]http.Header{}
	var sim *simulator.Simulator
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		deliveries[r.URL.Path] = append(deliveries[r.URL.Path], r.Header.Clone())
		if r.URL.Path == "/ebay" {
			assert.True(t, ebaySignatureVerifies(t, sim, body, r.Header.Get("X-EBAY-SIGNATURE")), "eBay's ECDSA signature")
		}
	}))
	defer hooks.Close()
	sim = simulator.New(simulator.Options{WebhookURL: hooks.URL})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	status, _ := call(t, "POST", srv.URL+"/_sim/shops", simulator.Shop{Platform: cases.EBay, ID: "seller", Token: "rt"})
	require.Equal(t, 201, status)
	status, body := call(t, "POST", srv.URL+"/_sim/reviews", map[string]any{"platform": "ebay", "shop_id": "seller", "rating": 1, "text": "Broken", "amount": "12.50"})
	require.Equal(t, 201, status, string(body))
	var created struct {
		Review simulator.Review `json:"review"`
		Order  simulator.Order  `json:"order"`
	}
	require.NoError(t, json.Unmarshal(body, &created))
	assert.Equal(t, cases.Money(1250), created.Order.Amount)

	status, _ = call(t, "POST", srv.URL+"/_sim/reviews/"+created.Review.ID+"/revise", map[string]any{"rating": 4, "text": "Fixed"})
	assert.Equal(t, 204, status)
	rv, ok := sim.Review(cases.EBay, created.Review.ID)
	require.True(t, ok)
	assert.Equal(t, 4, rv.Rating)
	require.Len(t, rv.Revisions, 1)
	assert.Equal(t, "Broken", rv.Revisions[0].Text)

	status, _ = call(t, "POST", srv.URL+"/_sim/reviews/ebay/"+created.Review.ID+"/revise", map[string]any{"rating": 9})
	assert.Equal(t, 400, status)
	status, _ = call(t, "POST", srv.URL+"/_sim/appeals", simulator.Appeal{Platform: cases.EBay, ShopID: "seller", ReviewID: created.Review.ID, Statement: "abusive", Reference: "case/appeal"})
	assert.Equal(t, 201, status)

	status, _ = call(t, "POST", srv.URL+"/_sim/buyer-messages", map[string]any{"platform": "ebay", "order_id": created.Order.ID, "text": "Hi"})
	assert.Equal(t, 201, status)
	status, _ = call(t, "POST", srv.URL+"/_sim/reviews", map[string]any{"platform": "ebay", "shop_id": "nobody", "rating": 1})
	assert.Equal(t, 400, status)

	status, _ = call(t, "PUT", srv.URL+"/_sim/faults", map[string]any{"platform": "ebay", "endpoint": "", "spec": map[string]any{"server_error_rate": 1}})
	assert.Equal(t, 204, status)
	status, _ = call(t, "GET", srv.URL+"/ebay/commerce/feedback/v1/feedback", nil)
	assert.Equal(t, 503, status)

	status, body = call(t, "GET", srv.URL+"/_sim/ledger", nil)
	assert.Equal(t, 200, status)
	var ledger struct {
		Entries    []simulator.LedgerEntry `json:"entries"`
		Duplicates []simulator.LedgerEntry `json:"duplicates"`
	}
	require.NoError(t, json.Unmarshal(body, &ledger))
	require.Len(t, ledger.Entries, 1)
	assert.Equal(t, simulator.LedgerAppeal, ledger.Entries[0].Kind)
	assert.Empty(t, ledger.Duplicates)

	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, deliveries["/ebay"], 2, "a review and a buyer message were notified")
}

func TestFaultsRepeatWithTheSameSeed(t *testing.T) {
	outcomes := func() []int {
		sim := simulator.New(simulator.Options{Seed: 99})
		sim.SetFaults(cases.EBay, "", simulator.FaultSpec{ServerErrorRate: 0.3, RateLimitRate: 0.2})
		srv := httptest.NewServer(sim.Handler())
		defer srv.Close()
		var codes []int
		for i := 0; i < 30; i++ {
			status, _ := call(t, "GET", srv.URL+"/ebay/commerce/feedback/v1/feedback", nil)
			codes = append(codes, status)
		}
		return codes
	}
	first := outcomes()
	assert.Equal(t, first, outcomes())
	assert.Contains(t, first, 503)
	assert.Contains(t, first, 429)
	assert.Contains(t, first, 401, "calls without faults reach the platform, which wants a token")
}

func TestSeedDemo(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	sim.SeedDemo()
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	status, body := call(t, "POST", srv.URL+"/mercadolibre/oauth/token?grant_type=refresh_token", nil)
	assert.Equal(t, 401, status, string(body), "no client credentials")
	req, _ := http.NewRequest("POST", srv.URL+"/mercadolibre/oauth/token", bytes.NewBufferString("grant_type=refresh_token&client_id=sim-meli&client_secret=sim-meli-secret&refresh_token=TG-demo-meli"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	assert.NotEqual(t, "TG-demo-meli", tok.RefreshToken, "refresh tokens rotate")
}

func TestDuplicatesAreReported(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	sim.Seed(simulator.Shop{Platform: cases.EBay, ID: "s", Token: "rt"})
	_, o, err := sim.AddReview(simulator.NewReview{Platform: cases.EBay, ShopID: "s", Rating: 1, Amount: 5000})
	require.NoError(t, err)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	form := bytes.NewBufferString("grant_type=refresh_token&refresh_token=rt")
	req, _ := http.NewRequest("POST", srv.URL+"/ebay/identity/v1/oauth2/token", form)
	req.SetBasicAuth("sim-ebay", "sim-ebay-secret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	refund := `{"reasonForRefund":"OTHER_ADJUSTMENT","comment":"same","orderLevelRefundAmount":{"value":"10.00","currency":"USD"}}`
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("POST", srv.URL+"/ebay/sell/fulfillment/v1/order/"+o.ID+"/issue_refund", bytes.NewBufferString(refund))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
	}
	require.Len(t, sim.Ledger(), 2)
	dups := sim.Duplicates()
	require.Len(t, dups, 1, "eBay has no idempotency: a blind retry refunds twice")
	assert.Equal(t, simulator.LedgerRefund, dups[0].Kind)
}
