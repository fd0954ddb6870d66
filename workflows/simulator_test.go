package workflows

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/mercadolibre"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
)

// memoryIndex is a Store that keeps batches, for checking what reached it.
type memoryIndex struct {
	mu      sync.Mutex
	batches []cases.SyncBatch
}

func (m *memoryIndex) SyncCase(_ context.Context, b cases.SyncBatch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches = append(m.batches, b)
	return nil
}

func (m *memoryIndex) AppendEvents(ctx context.Context, b cases.SyncBatch) (store.Appended, error) {
	return store.Appended{}, m.SyncCase(ctx, b)
}

// A whole Mercado Libre case with the real Activities and connectors against
// the simulator over HTTP: evidence, automatic contact in Spanish within 350
// ISO-8859-1 characters, reship, follow-up, and a revised review.
func TestCaseAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 3})
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "1001", Token: "TG-wf-meli"})
	apps := simulator.DefaultApps()
	platform := func(m cases.Marketplace) marketplace.PlatformConfig {
		return marketplace.PlatformConfig{BaseURL: srv.URL + "/" + string(m), ClientID: apps[m].ClientID, ClientSecret: apps[m].ClientSecret}
	}
	// Only the Mercado Libre connector: the test needs nothing else.
	ml := mercadolibre.New(platform(cases.MercadoLibre), srv.Client(),
		marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: "1001", RefreshToken: "TG-wf-meli"}), nil)
	reg := oneMarket{ml}
	simReview, order, err := sim.AddReview(simulator.NewReview{
		Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Text: "Llegó tarde y la caja rota",
		BuyerID: "buyer-9", BuyerName: "Lucia Perez", Item: "Auriculares", Amount: 2599000, ShippingFee: 150000,
		Currency: "ARS", Courier: "Correo Argentino", TrackingNumber: "CA123",
	})
	require.NoError(t, err)

	index := &memoryIndex{}
	real := &activities.Activities{Store: index, Markets: reg, Notifier: activities.WebhookNotifier{}, RefundPollInterval: 10 * time.Millisecond}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(CaseWorkflow)
	env.RegisterActivity(real)

	rv := cases.Review{
		Marketplace: cases.MercadoLibre, ShopID: "1001", ReviewID: simReview.ID, OrderID: order.ID, Rating: 1,
		Text: simReview.Text, CreatedAt: simReview.CreatedAt, Buyer: cases.Buyer{ID: "buyer-9", Name: "Lucia Perez"},
		OrderAmount: order.Amount, ShippingFee: order.ShippingFee, Currency: "ARS",
	}
	in := CaseInput{
		CaseID: cases.CaseIDFor(rv.Marketplace, rv.ShopID, rv.ReviewID), Review: rv, ReceivedAt: simReview.CreatedAt,
		Settings: CaseSettings{AutoContact: true, ApprovalLimit: cases.Money(100000000), FollowUpDelay: time.Hour,
			ReviewCheckDelay: 2 * time.Hour, TimeZone: "America/Argentina/Buenos_Aires"},
	}
	env.SetStartTime(simReview.CreatedAt)
	complete := func(d time.Duration, req CompleteTaskRequest) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateCompleteTask, req.TaskID, &testsuite.TestUpdateCallback{
				OnReject: func(err error) { t.Errorf("%s rejected: %v", req.TaskID, err) },
			}, req)
		}, d)
	}
	complete(10*time.Minute, CompleteTaskRequest{TaskID: in.CaseID + "-verify-1", Actor: agent,
		Verify: &VerifyResult{Responsibility: cases.RespCourier, Findings: "box crushed in transit"}})
	env.RegisterDelayedCallback(func() {
		// The buyer answers on the platform (which reopens the conversation
		// for the seller) and the webhook brings the answer to the case.
		msg, err := sim.AddBuyerMessage(cases.MercadoLibre, order.ID, "Sí, la caja llegó rota")
		require.NoError(t, err)
		env.SignalWorkflow(SignalBuyerReply, BuyerReply{MessageID: msg.ID, Text: msg.Text, Source: "webhook"})
	}, 20*time.Minute)
	complete(30*time.Minute, CompleteTaskRequest{TaskID: in.CaseID + "-choose_remedy-1", Actor: agent,
		Remedy: &RemedyChoice{Type: cases.RemedyReship}})
	// Mercado Libre has no reship API: the agent ships the replacement by hand.
	complete(40*time.Minute, CompleteTaskRequest{TaskID: in.CaseID + "-manual_step-1", Actor: agent,
		ManualStep: &ManualStepDone{Reference: "ME-TRACK-1"}})
	env.RegisterDelayedCallback(func() {
		require.NoError(t, sim.Revise(cases.MercadoLibre, simReview.ID, 4, "Me reenviaron el producto, gracias"))
	}, 2*time.Hour)

	env.ExecuteWorkflow(CaseWorkflow, in)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res CaseResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, cases.OutcomeRevised, res.Outcome)

	// What the simulated platform saw: the messages, each once; no reship call.
	kinds := map[simulator.LedgerKind]int{}
	for _, e := range sim.Ledger() {
		kinds[e.Kind]++
	}
	require.Empty(t, sim.Duplicates())
	require.Equal(t, map[simulator.LedgerKind]int{simulator.LedgerMessage: 3}, kinds,
		"first contact, reship offer and follow-up messages")
	var events []cases.Event
	for _, b := range index.batches {
		events = append(events, b.Events...)
	}
	folded, err := cases.Fold(events)
	require.NoError(t, err)
	final := folded.Case
	require.Equal(t, cases.StatusClosed, final.Status)
	require.Equal(t, cases.RemedyReship, final.Remedy)
	require.Equal(t, "Correo Argentino", final.Courier)
}

// oneMarket is a Registry of a single connector.
type oneMarket struct{ c marketplace.Connector }

func (o oneMarket) Get(m cases.Marketplace) (marketplace.Connector, error) {
	if m != o.c.Marketplace() {
		return nil, fmt.Errorf("no connector for %s", m)
	}
	return o.c, nil
}
