package activities_test

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/mercadolibre"
	"github.com/redress-hq/redress/simulator"
)

// simWorld is the simulator on a real HTTP server with the real connectors
// pointed at it, and a Mercado Libre shop with one bad review.
type simWorld struct {
	sim    *simulator.Simulator
	acts   *activities.Activities
	order  simulator.Order
	review simulator.Review
}

const simShop = "1001"

func newSimWorld(t *testing.T) simWorld {
	t.Helper()
	sim := simulator.New(simulator.Options{Seed: 7})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: simShop, Token: "TG-test-meli"})

	apps := simulator.DefaultApps()
	platform := func(m cases.Marketplace) marketplace.PlatformConfig {
		return marketplace.PlatformConfig{BaseURL: srv.URL + "/" + string(m), ClientID: apps[m].ClientID, ClientSecret: apps[m].ClientSecret}
	}
	// Only the Mercado Libre connector: the test needs nothing else.
	ml := mercadolibre.New(platform(cases.MercadoLibre), srv.Client(),
		marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: simShop, RefreshToken: "TG-test-meli"}), nil)
	reg := oneMarket{ml}

	review, order, err := sim.AddReview(simulator.NewReview{
		Platform: cases.MercadoLibre, ShopID: simShop, Rating: 1, Text: "Llegó tarde y la caja rota",
		BuyerID: "buyer-9", BuyerName: "Lucia Perez", Item: "Auriculares", Amount: 2599000, ShippingFee: 150000,
		Currency: "ARS", Courier: "Correo Argentino", TrackingNumber: "CA123",
		Tracking: []simulator.TrackingEvent{{At: time.Now().Add(-48 * time.Hour), Status: "delivered", Description: "Delivered"}},
	})
	require.NoError(t, err)
	return simWorld{sim: sim, order: order, review: review,
		acts: &activities.Activities{Markets: reg, RefundPollInterval: 50 * time.Millisecond}}
}

func (w simWorld) env() *testsuite.TestActivityEnvironment {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(w.acts)
	return env
}

func TestActivitiesAgainstSimulator(t *testing.T) {
	w := newSimWorld(t)
	env := w.env()
	ml := cases.MercadoLibre

	v, err := env.ExecuteActivity(w.acts.GatherEvidence, activities.OrderInput{Marketplace: ml, ShopID: simShop, OrderID: w.order.ID})
	require.NoError(t, err)
	var ev marketplace.Evidence
	require.NoError(t, v.Get(&ev))
	require.Equal(t, w.order.ID, ev.Order.OrderID)
	require.Equal(t, cases.Money(2599000), ev.Order.Amount)

	v, err = env.ExecuteActivity(w.acts.MessageEligibility, activities.OrderInput{Marketplace: ml, ShopID: simShop, OrderID: w.order.ID})
	require.NoError(t, err)
	var el marketplace.Eligibility
	require.NoError(t, v.Get(&el))
	require.True(t, el.Allowed, el.Reason)

	msg := activities.MessageInput{Marketplace: ml, Guard: cases.GuardContext{BuyerName: "Lucia Perez", BuyerID: "buyer-9", OrderID: w.order.ID},
		Request: marketplace.MessageRequest{ShopID: simShop, OrderID: w.order.ID, BuyerID: "buyer-9", Language: "es",
			Text: "Hola, lamentamos que tu pedido llegara tarde y dañado. ¿Nos cuentas qué pasó?", IdempotencyKey: "cs_x:message_first_contact:1"}}
	v, err = env.ExecuteActivity(w.acts.SendBuyerMessage, msg)
	require.NoError(t, err)
	var sent marketplace.WriteResult
	require.NoError(t, v.Get(&sent))
	require.NotEmpty(t, sent.ID)
	// The same key again does not write a second message.
	_, err = env.ExecuteActivity(w.acts.SendBuyerMessage, msg)
	require.NoError(t, err)
	require.Empty(t, w.sim.Duplicates())

	// The guard runs again inside the activity: contact data never leaves.
	bad := msg
	bad.Request.Text, bad.Request.IdempotencyKey = "Escríbeme a lucia.vendedor@gmail.com", "cs_x:message_remedy_offer:1"
	_, err = env.ExecuteActivity(w.acts.SendBuyerMessage, bad)
	requireAppError(t, err, string(cases.ErrGuardRejected), true)

	v, err = env.ExecuteActivity(w.acts.IssueRefund, activities.RefundInput{Marketplace: ml, Request: marketplace.RefundRequest{
		ShopID: simShop, OrderID: w.order.ID, Amount: 2599000, Currency: "ARS", Reason: "refund_no_return", IdempotencyKey: "cs_x:remedy_refund:1"}})
	require.NoError(t, err)
	var rf marketplace.RefundResult
	require.NoError(t, v.Get(&rf))
	require.Equal(t, "completed", rf.Status)

	v, err = env.ExecuteActivity(w.acts.GetReview, activities.ReviewInput{Marketplace: ml, ShopID: simShop, ReviewID: w.review.ID})
	require.NoError(t, err)
	var st marketplace.ReviewState
	require.NoError(t, v.Get(&st))
	require.Equal(t, 1, st.Rating)
}

// Platform rate limits reach Temporal as rate_limited with the platform's wait.
func TestRateLimitCarriesRetryAfter(t *testing.T) {
	w := newSimWorld(t)
	w.sim.SetFaults(cases.MercadoLibre, "", simulator.FaultSpec{RateLimitRate: 1, RetryAfterSeconds: 7})
	_, err := w.env().ExecuteActivity(w.acts.GetReview, activities.ReviewInput{Marketplace: cases.MercadoLibre, ShopID: simShop, ReviewID: w.review.ID})
	appErr := requireAppError(t, err, string(cases.ErrRateLimited), false)
	require.Equal(t, 7*time.Second, appErr.NextRetryDelay())
}

func requireAppError(t *testing.T, err error, errType string, nonRetryable bool) *temporal.ApplicationError {
	t.Helper()
	require.Error(t, err)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.Equal(t, errType, appErr.Type(), "%v", err)
	require.Equal(t, nonRetryable, appErr.NonRetryable(), "%v", err)
	require.True(t, strings.TrimSpace(appErr.Message()) != "")
	return appErr
}

// oneMarket is a Registry of a single connector.
type oneMarket struct{ c marketplace.Connector }

func (o oneMarket) Get(m cases.Marketplace) (marketplace.Connector, error) {
	if m != o.c.Marketplace() {
		return nil, fmt.Errorf("no connector for %s", m)
	}
	return o.c, nil
}
