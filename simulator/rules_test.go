package simulator_test

import (
	"bytes"
	"encoding/json"
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
	rv, o, err := sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Amount: 10000})
	require.NoError(t, err)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	token := meliToken(t, srv.URL)
	reply := srv.URL + "/mercadolibre/feedback/F" + rv.ID + "/reply"

	status, body := post(t, reply, token, `{"reply":"`+strings.Repeat("a", 160)+`"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "validation_error", body["error"])
	status, _ = post(t, reply, token, `{"reply":"ok"}`)
	assert.Equal(t, 201, status)
	status, body = post(t, reply, token, `{"reply":"again"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "feedback_already_replied", body["error"])

	msgs := srv.URL + "/mercadolibre/messages/packs/" + o.ID + "/sellers/1001?tag=post_sale"
	status, body = post(t, msgs, token, `{"text":"`+strings.Repeat("a", 351)+`"}`)
	assert.Equal(t, 400, status, body)
	status, _ = post(t, msgs, token, `{"text":"抱歉"}`)
	assert.Equal(t, 400, status, "not ISO-8859-1")
	status, _ = post(t, srv.URL+"/mercadolibre/v1/payments/P"+o.ID+"/refunds", token, `{"amount":10}`)
	assert.Equal(t, 201, status)
	status, body = post(t, msgs, token, `{"text":"hola"}`)
	assert.Equal(t, 403, status)
	assert.Equal(t, "blocked_conversation_send_message_forbidden", body["error"])
	assert.Equal(t, []any{"blocked_by_refund"}, body["cause"])

	status, _ = post(t, msgs, "stale", `{"text":"hola"}`)
	assert.Equal(t, 401, status)
	assert.Len(t, sim.Ledger(), 2, "one reply and one refund")
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
