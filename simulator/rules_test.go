package simulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// The connectors refuse over-long text before calling, so these tests speak
// to the simulator directly to show the platform refuses it too.

func meliToken(t *testing.T, base string) string {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {"sim-meli"}, "client_secret": {"sim-meli-secret"}, "refresh_token": {"rt"}}
	resp, err := http.PostForm(base+"/mercadolibre/oauth/token", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestMercadoLibreRulesServerSide(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "1001", Token: "rt"})
	_, o, err := sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Amount: 10000, BuyerID: "555"})
	require.NoError(t, err)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	token := meliToken(t, srv.URL)
	ids := map[string]int64{}
	for name, path := range map[string]string{"feedback": "feedback.purchase", "payment": "payments.0.id"} {
		var n int64
		require.NoError(t, json.Unmarshal([]byte(getJSON(t, srv.URL+"/mercadolibre/orders/"+o.ID, token, path)), &n), name)
		ids[name] = n
	}
	reply := fmt.Sprintf("%s/mercadolibre/feedback/%d/reply", srv.URL, ids["feedback"])

	status, body := post(t, reply, token, `{"reply":"`+strings.Repeat("a", 160)+`"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "validation_error", body["error"])
	status, _ = post(t, reply, token, `{"reply":"ok"}`)
	assert.Equal(t, 201, status)
	status, body = post(t, reply, token, `{"reply":"again"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "reply_already_exists", body["error"])

	msgs := srv.URL + "/mercadolibre/messages/packs/" + o.ID + "/sellers/1001?tag=post_sale"
	option := srv.URL + "/mercadolibre/messages/action_guide/packs/" + o.ID + "/option?tag=post_sale"
	message := func(text string) string {
		return `{"from":{"user_id":"1001"},"to":{"user_id":"555"},"text":"` + text + `"}`
	}
	status, body = post(t, msgs, token, message("hola"))
	assert.Equal(t, 403, status, "a seller may not start the conversation without a reason")
	assert.Equal(t, "blocked_by_conversation_started_by_seller", body["message"])
	status, _ = post(t, option, token, `{"option_id":"OTHER","text":"`+strings.Repeat("a", 351)+`"}`)
	assert.Equal(t, 400, status, "over 350 characters")
	status, _ = post(t, option, token, `{"option_id":"OTHER","text":"抱歉"}`)
	assert.Equal(t, 400, status, "not ISO-8859-1")
	status, _ = post(t, option, token, `{"option_id":"OTHER","text":"hola"}`)
	assert.Equal(t, 201, status)
	status, _ = post(t, option, token, `{"option_id":"OTHER","text":"hola otra vez"}`)
	assert.Equal(t, 400, status, "the reason's cap is spent until the buyer answers")
	_, err = sim.AddBuyerMessage(cases.MercadoLibre, o.ID, "hola")
	require.NoError(t, err)
	status, _ = post(t, msgs, token, `{"from":{"user_id":"1001"},"to":{"user_id":"999"},"text":"hola"}`)
	assert.Equal(t, 403, status, "the receiver must be the order's buyer")

	status, _ = post(t, fmt.Sprintf("%s/mercadolibre/v1/payments/%d/refunds", srv.URL, ids["payment"]), token, `{"amount":10}`)
	assert.Equal(t, 400, status, "X-Idempotency-Key is required")
	status, _ = meliCall(t, "POST", fmt.Sprintf("%s/mercadolibre/v1/payments/%d/refunds", srv.URL, ids["payment"]), token, `{"amount":10}`, map[string]string{"X-Idempotency-Key": "k"})
	assert.Equal(t, 201, status)
	status, body = post(t, msgs, token, message("hola"))
	assert.Equal(t, 403, status)
	assert.Equal(t, map[string]any{"status_code": float64(403), "code": "forbidden", "message": "blocked_conversation_send_message_forbidden"}, body)

	status, _ = post(t, msgs, "stale", message("hola"))
	assert.Equal(t, 401, status)
	assert.Len(t, sim.Ledger(), 3, "one reply, one message and one refund")
}

// getJSON reads one field of a Mercado Libre answer as raw JSON.
func getJSON(t *testing.T, url, token, path string) string {
	t.Helper()
	_, v := meliCall(t, "GET", url, token, "", nil)
	field, ok := lookup(v, path)
	require.True(t, ok, path)
	b, err := json.Marshal(field)
	require.NoError(t, err)
	return string(b)
}

func TestAmazonHasNoReviewEndpoints(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/amazon/reviews/v1/reviews")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
}
