package simulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace/contracttest"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

// The simulator's Solicitations API validates against solicitations.json and
// keeps Amazon's rule: once per order, 5–30 days after delivery.
func TestAmazonSolicitationsValidateAndKeepTheWindow(t *testing.T) {
	contracttest.SpecsDir(t)
	env := simtest.Start(t, simulator.Options{})
	o, err := env.Sim.AddOrder(simulator.NewOrder{Platform: cases.Amazon, ShopID: "A1SELLER"})
	require.NoError(t, err)
	require.NoError(t, env.Sim.ShipOrder(cases.Amazon, o.ID, "UPS", "1Z1"))
	require.NoError(t, env.Sim.AddTracking(cases.Amazon, o.ID, simulator.TrackingEvent{Status: "delivered"}))
	sim := env.Sim.Handler()
	rec := contracttest.NewRecorder(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/amazon" + r.URL.Path
		sim.ServeHTTP(w, r2)
	}))
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"Atzr|test"}, "client_id": {"sim-amazon"}, "client_secret": {"sim-amazon-secret"}}
	resp, err := http.PostForm(rec.URL+"/auth/o2/token", form)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	call := func(method, path string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, rec.URL+path, nil)
		require.NoError(t, err)
		req.Header.Set("x-amz-access-token", tok.AccessToken)
		req.Header.Set("Accept", "application/hal+json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		return resp.StatusCode, out
	}
	actions := func() int {
		_, got := call("GET", "/solicitations/v1/orders/"+o.ID+"?marketplaceIds=ATVPDKIKX0DER")
		links, _ := got["_links"].(map[string]any)
		list, _ := links["actions"].([]any)
		return len(list)
	}
	post := "/solicitations/v1/orders/" + o.ID + "/solicitations/productReviewAndSellerFeedback?marketplaceIds=ATVPDKIKX0DER"

	assert.Zero(t, actions(), "not offered on the day of delivery")
	status, _ := call("POST", post)
	assert.Equal(t, 403, status)
	require.NoError(t, env.Sim.BackdateDelivery(cases.Amazon, o.ID, 6*24*time.Hour))
	assert.Equal(t, 1, actions(), "offered 6 days after delivery")
	status, _ = call("POST", post)
	assert.Equal(t, 201, status)
	assert.Zero(t, actions(), "once per order")
	status, _ = call("POST", post)
	assert.Equal(t, 403, status)
	require.NoError(t, env.Sim.BackdateDelivery(cases.Amazon, o.ID, 31*24*time.Hour))
	assert.Zero(t, actions())

	spec := contracttest.Spec(t, "amazon", "solicitations.json")
	ops := map[string]bool{}
	for _, ex := range rec.Exchanges() {
		if ex.Request.URL.Path == "/auth/o2/token" {
			continue
		}
		ops[spec.ValidateRequest(t, ex.Request, ex.Body)+" "+http.StatusText(ex.Status)] = true
		spec.ValidateResponse(t, ex.Request, ex.Body, ex.Status, ex.Header, ex.Reply)
	}
	assert.Equal(t, map[string]bool{"getSolicitationActionsForOrder OK": true, "createProductReviewAndSellerFeedbackSolicitation Created": true,
		"createProductReviewAndSellerFeedbackSolicitation Forbidden": true}, ops)
	assert.Empty(t, env.Sim.Duplicates())
}
