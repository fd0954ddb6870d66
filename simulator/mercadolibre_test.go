package simulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace/contracttest"
	"github.com/redress-hq/redress/simulator"
)

// The simulator answers the Mercado Libre operations the connector uses in
// the shapes the documentation shows: these compare its answers with the
// documented examples (../shared/specs/mercadolibre), field by field where
// both have the field, and require the fields a client reads.

func meliSpec(t *testing.T, name string) any {
	t.Helper()
	repaired := strings.TrimSuffix(name, ".json") + ".repaired.json"
	b, err := os.ReadFile(filepath.Join(contracttest.SpecsDir(t), "mercadolibre", repaired))
	if err != nil {
		b = contracttest.File(t, "mercadolibre", name)
	}
	var v any
	require.NoError(t, json.Unmarshal(b, &v), name)
	return v
}

// shapeMismatches lists fields present in both whose JSON types differ
// (null on either side is allowed: the examples show nullable fields both ways).
func shapeMismatches(path string, got, doc any) []string {
	if got == nil || doc == nil {
		return nil
	}
	switch d := doc.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, documented as an object", path, got)}
		}
		var out []string
		for k, dv := range d {
			if gv, ok := g[k]; ok {
				out = append(out, shapeMismatches(path+"."+k, gv, dv)...)
			}
		}
		sort.Strings(out)
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, documented as an array", path, got)}
		}
		var out []string
		for i, gv := range g {
			if len(d) > 0 {
				out = append(out, shapeMismatches(fmt.Sprintf("%s[%d]", path, i), gv, d[0])...)
			}
		}
		return out
	}
	if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", doc) {
		return []string{fmt.Sprintf("%s: %T %v, documented as %T %v", path, got, got, doc, doc)}
	}
	return nil
}

// lookup follows a dotted path ("results.0.feedback"); numbers index arrays.
func lookup(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func meliCall(t *testing.T, method, url, token, body string, header map[string]string) (int, any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out any
	require.NoError(t, json.Unmarshal(raw, &out), "%s %s: %s", method, url, raw)
	return resp.StatusCode, out
}

func TestMercadoLibreAnswersAsDocumented(t *testing.T) {
	contracttest.SpecsDir(t)
	sim := simulator.New(simulator.Options{})
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "1001", Token: "rt"})
	now := time.Now().UTC()
	rv, o, err := sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Text: "Chegou quebrado",
		BuyerID: "555", BuyerName: "COMPRADOR", Amount: 10000, Currency: "BRL", Courier: "Correios",
		Tracking: []simulator.TrackingEvent{{At: now.Add(-time.Hour), Status: "shipped", Description: "picked_up"}},
		Claims:   []simulator.Claim{{ID: "5187110991", Status: "opened", Reason: "PDD9528", Stage: "dispute"}}})
	require.NoError(t, err)
	require.NoError(t, sim.Revise(cases.MercadoLibre, rv.ID, 2, "Chegou quebrado, sem resposta"))
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	base := srv.URL + "/mercadolibre"
	token := meliToken(t, srv.URL)

	_, ord := meliCall(t, "GET", base+"/orders/"+o.ID, token, "", nil)
	pack := o.ID
	ids := func(path string) string {
		v, ok := lookup(ord, path)
		require.True(t, ok, path)
		return fmt.Sprint(int64(v.(float64)))
	}
	shipment, payment := ids("shipping.id"), ids("payments.0.id")
	_, guide := meliCall(t, "GET", base+"/messages/action_guide/packs/"+pack+"?tag=post_sale", token, "", nil)
	_, sent := meliCall(t, "POST", base+"/messages/action_guide/packs/"+pack+"/option?tag=post_sale", token, `{"option_id":"OTHER","text":"Olá, sentimos muito."}`, nil)
	msgID, _ := lookup(sent, "id")

	for _, tc := range []struct {
		name, method, path, body, file string
		header                         map[string]string
		status                         int
		need                           []string // fields a client reads
	}{
		{"order", "GET", "/orders/" + o.ID, "", "orders_get.response.pt_br.json", nil, 200,
			[]string{"id", "status", "total_amount", "currency_id", "buyer.id", "payments.0.id", "shipping.id", "feedback.purchase", "context.site", "order_items.0.item.id"}},
		{"order search", "GET", "/orders/search?seller=1001&sort=date_asc&offset=0&limit=50", "", "orders_search.response.pt_br.json", nil, 200,
			[]string{"results.0.id", "results.0.date_last_updated", "results.0.feedback.purchase", "paging.total"}},
		{"feedback", "GET", "/orders/" + o.ID + "/feedback", "", "orders_feedback_get.response.json", nil, 200,
			[]string{"purchase.id", "purchase.rating", "purchase.message", "purchase.status", "purchase.modified", "purchase.date_created", "purchase.reply", "sale"}},
		{"pack messages", "GET", "/messages/packs/" + pack + "/sellers/1001?tag=post_sale&mark_as_read=false", "", "messages_pack_get.response.json", nil, 200,
			[]string{"conversation_status.status", "messages.0.id", "messages.0.from.user_id", "messages.0.text", "messages.0.message_date.created", "seller_max_message_length"}},
		{"message by id", "GET", fmt.Sprintf("/messages/%v?tag=post_sale", msgID), "", "messages_get.response.json", nil, 200,
			[]string{"message_id", "text.plain", "from.user_id", "resource", "resource_id", "date"}},
		{"action guide", "GET", "/messages/action_guide/packs/" + pack + "?tag=post_sale", "", "messages_action_guide_get.response.json", nil, 200,
			[]string{"options.0.id", "options.0.enabled", "options.0.cap_available"}},
		{"claims", "GET", "/post-purchase/v1/claims/search?resource=order&resource_id=" + o.ID, "", "claims_search.response.json", nil, 200,
			[]string{"data.0.id", "data.0.status", "data.0.stage", "data.0.reason_id"}},
		{"shipment", "GET", "/shipments/" + shipment, "", "shipments_get.response.me2_buffered.json", map[string]string{"x-format-new": "true"}, 200,
			[]string{"id", "status", "tracking_method", "logistic.mode"}},
		{"shipment history", "GET", "/shipments/" + shipment + "/history", "", "shipments_history.response.json", nil, 200,
			[]string{"0.status", "0.substatus", "0.date"}},
		{"refund", "POST", "/v1/payments/" + payment + "/refunds", `{"amount": 5}`, "mp_refund.response.json", map[string]string{"X-Idempotency-Key": "k1"}, 201,
			[]string{"id", "payment_id", "amount", "status"}},
		{"seller may not start", "POST", "/messages/packs/" + pack + "/sellers/1001?tag=post_sale", `{"from":{"user_id":"1001"},"to":{"user_id":"3037675074"},"text":"Olá"}`,
			"messages_pack_post.error_403.response.json", nil, 403, []string{"status_code", "code", "message"}},
		{"unknown order", "GET", "/orders/1", "", "error_generic.response.json", nil, 404, []string{"message", "error", "status", "cause"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, got := meliCall(t, tc.method, base+tc.path, token, tc.body, tc.header)
			require.Equal(t, tc.status, status, "%v", got)
			assert.Empty(t, shapeMismatches(tc.name, got, meliSpec(t, tc.file)))
			for _, p := range tc.need {
				_, ok := lookup(got, p)
				assert.True(t, ok, "%s is missing", p)
			}
		})
	}
	assert.Empty(t, shapeMismatches("option", sent, meliSpec(t, "messages_action_guide_option.response.other.json")))
	assert.Empty(t, shapeMismatches("guide", guide, meliSpec(t, "messages_action_guide_get.response.json")))
	fb, _ := lookup(ord, "feedback.purchase")
	assert.IsType(t, float64(0), fb, "feedback.purchase is the feedback's id, a number")
	_, feedback := meliCall(t, "GET", base+"/orders/"+o.ID+"/feedback", token, "", nil)
	modified, _ := lookup(feedback, "purchase.modified")
	assert.Equal(t, true, modified, "the revision flag")
	assert.Empty(t, shapeMismatches("token", tokenAnswer(t, srv.URL, sim), meliSpec(t, "oauth_token_refresh_token.response.json")))
}

// tokenAnswer is a refresh's full answer.
func tokenAnswer(t *testing.T, base string, sim *simulator.Simulator) any {
	t.Helper()
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "1001", Token: "rt2"})
	resp, err := http.PostForm(base+"/mercadolibre/oauth/token", map[string][]string{"grant_type": {"refresh_token"}, "client_id": {"sim-meli"},
		"client_secret": {"sim-meli-secret"}, "refresh_token": {"rt2"}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var v any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
	return v
}

// The shape check must be able to fail.
func TestShapeMismatchesFindsTypeChanges(t *testing.T) {
	doc := map[string]any{"id": float64(1), "feedback": map[string]any{"purchase": nil}, "items": []any{map[string]any{"id": "x"}}}
	got := map[string]any{"id": "1", "feedback": map[string]any{"purchase": map[string]any{"id": "F1"}}, "items": []any{map[string]any{"id": float64(2)}}}
	assert.Equal(t, []string{"o.id: string 1, documented as float64 1", "o.items[0].id: float64 2, documented as string x"}, shapeMismatches("o", got, doc))
}

// Mercado Libre offers no coupon or reship endpoint; neither does the simulator.
func TestMercadoLibreHasNoCouponOrReshipEndpoints(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "1001", Token: "rt"})
	_, o, err := sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Amount: 10000})
	require.NoError(t, err)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	token := meliToken(t, srv.URL)
	for _, path := range []string{"/seller-promotions/coupons", "/orders/" + o.ID + "/reships"} {
		status, _ := post(t, srv.URL+"/mercadolibre"+path, token, `{}`)
		assert.Contains(t, []int{404, 405}, status, path)
	}
}
