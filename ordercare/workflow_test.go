package ordercare

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/cases"
)

// recorder stands in for the activities and counts what the workflow asked.
type recorder struct {
	mu     sync.Mutex
	touch  map[Touchpoint]int
	touchT map[Touchpoint]time.Time
	risks  map[string]int
	riskT  map[string]time.Time
	reads  int
	read   Shipment
}

func newRecorder() *recorder {
	return &recorder{touch: map[Touchpoint]int{}, touchT: map[Touchpoint]time.Time{}, risks: map[string]int{}, riskT: map[string]time.Time{}}
}

func setup(t *testing.T, start time.Time) (*testsuite.TestWorkflowEnvironment, *recorder) {
	t.Helper()
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.RegisterWorkflowWithOptions(OrderCareWorkflow, workflowOptions())
	env.RegisterActivity(&Activities{})
	rec := newRecorder()
	env.OnActivity(ActSendTouchpoint, mockAny, mockAny).Return(func(_ context.Context, in TouchRequest) (TouchResult, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.touch[in.Touchpoint]++
		rec.touchT[in.Touchpoint] = env.Now().UTC()
		return TouchResult{Touchpoint: in.Touchpoint, Outcome: OutcomeSent, Channel: in.Channel, At: env.Now()}, nil
	})
	env.OnActivity(ActRaiseRisk, mockAny, mockAny).Return(func(_ context.Context, in RiskRequest) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.risks[in.Risk.Signal]++
		rec.riskT[in.Risk.Signal] = env.Now().UTC()
		return nil
	})
	env.OnActivity(ActSyncOrder, mockAny, mockAny).Return(nil)
	env.OnActivity(ActReadOrder, mockAny, mockAny).Return(func(_ context.Context, _ ReadRequest) (Shipment, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.reads++
		return rec.read, nil
	})
	return env, rec
}

const mockAny = "mock.Anything"

func at(t time.Time) *time.Time { return &t }

// 10:00 UTC on a Monday: outside quiet hours.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestEBayOrderShipsIsDelayedAndArrivesWithEachTouchpointOnce(t *testing.T) {
	env, rec := setup(t, monday)
	expected := monday.Add(3 * 24 * time.Hour)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusShipped, TrackingNumber: "TRK1", Carrier: "USPS", ExpectedAt: at(expected)}})
	}, time.Hour)
	// A notification redelivered: nothing is sent twice.
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusShipped, TrackingNumber: "TRK1"}})
	}, 2*time.Hour)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusInTransit, LastMovementAt: at(monday.Add(36 * time.Hour))}})
	}, 36*time.Hour)
	// Delayed: delivered two days after the expected date.
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{DeliveredAt: at(expected.Add(48 * time.Hour))}})
	}, 5*24*time.Hour)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.EBay, ShopID: "s1", OrderID: "o1",
		Shipment: &Shipment{Status: StatusPending}})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var st State
	require.NoError(t, env.GetWorkflowResult(&st))

	assert.Equal(t, map[Touchpoint]int{TouchShipped: 1, TouchDayBefore: 1, TouchDelivered: 1}, rec.touch)
	assert.Equal(t, monday.Add(time.Hour), rec.touchT[TouchShipped])
	assert.Equal(t, expected.Add(-24*time.Hour), rec.touchT[TouchDayBefore])
	assert.Equal(t, 1, rec.risks[RiskExpectedPassed], "the expected date passed without delivery")
	assert.Equal(t, expected.Add(DefaultLateGrace), rec.riskT[RiskExpectedPassed])
	assert.Equal(t, "delivered", st.EndReason)
	assert.Len(t, st.Touchpoints, 3, "no solicitation entry on eBay")
}

func TestStalledShipmentRaisesOnePreemptiveTaskBeforeAnyReview(t *testing.T) {
	env, rec := setup(t, monday)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusShipped, TrackingNumber: "MEL1",
			ExpectedAt: at(monday.Add(10 * 24 * time.Hour))}})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusCancelled}})
	}, 6*24*time.Hour)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.MercadoLibre, ShopID: "1001", OrderID: "2000000001",
		Shipment: &Shipment{Status: StatusPending}})
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, 1, rec.risks[RiskTrackingStalled])
	assert.Equal(t, monday.Add(time.Minute).Add(DefaultStallAfter), rec.riskT[RiskTrackingStalled])
	assert.Equal(t, 1, rec.touch[TouchShipped])
	assert.Zero(t, rec.touch[TouchDelivered])
}

func TestAmazonSendsOnlyTheSolicitationInItsWindow(t *testing.T) {
	env, rec := setup(t, monday)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusShipped, ExpectedAt: at(monday.Add(48 * time.Hour))}})
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{DeliveredAt: at(monday.Add(40 * time.Hour))}})
	}, 40*time.Hour)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.Amazon, ShopID: "A1", OrderID: "111-1", Settings: Settings{NoQuietHours: true}})
	require.NoError(t, env.GetWorkflowError())
	var st State
	require.NoError(t, env.GetWorkflowResult(&st))
	assert.Equal(t, map[Touchpoint]int{TouchSolicitation: 1}, rec.touch)
	assert.Equal(t, monday.Add(40*time.Hour).Add(SolicitFrom), rec.touchT[TouchSolicitation])
	for _, tp := range []Touchpoint{TouchShipped, TouchDayBefore, TouchDelivered} {
		assert.Equal(t, OutcomeNotAllowed, st.Touchpoints[tp].Outcome, tp)
	}
}

func TestTaobaoTouchpointsAreManualAndNeverCalled(t *testing.T) {
	env, rec := setup(t, monday)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.Taobao, ShopID: "tb", OrderID: "9",
		Shipment: &Shipment{Status: StatusShipped, DeliveredAt: at(monday)}})
	require.NoError(t, env.GetWorkflowError())
	var st State
	require.NoError(t, env.GetWorkflowResult(&st))
	assert.Empty(t, rec.touch)
	assert.Equal(t, OutcomeManual, st.Touchpoints[TouchDelivered].Outcome)
	assert.Equal(t, OutcomeSkipped, st.Touchpoints[TouchShipped].Outcome)
}

func TestQuietHoursInTheBuyersZoneDelayTheTouchpoint(t *testing.T) {
	late := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC) // 23:30 UTC = 20:30 in São Paulo: not quiet there
	env, rec := setup(t, late)
	env.RegisterDelayedCallback(func() { // 21:30 São Paulo: quiet until 08:00 there (11:00 UTC)
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusShipped, TrackingNumber: "X"}})
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusCancelled}})
	}, 2*24*time.Hour)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.MercadoLibre, ShopID: "1", OrderID: "2",
		BuyerTimeZone: "America/Sao_Paulo", ShopTimeZone: "Asia/Shanghai", Shipment: &Shipment{Status: StatusPending}})
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), rec.touchT[TouchShipped])
}

func TestAnAngryMessageRaisesATaskOnce(t *testing.T) {
	env, rec := setup(t, monday)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalBuyerMessage, BuyerMessage{MessageID: "m0", Text: "Thanks, see you"})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalBuyerMessage, BuyerMessage{MessageID: "m1", Text: "¿Dónde está mi pedido? Todavía no llegó, es una vergüenza"})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalBuyerMessage, BuyerMessage{MessageID: "m2", Text: "still not here, ridiculous"})
	}, 3*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalOrderEvent, OrderEvent{Shipment: &Shipment{Status: StatusCancelled}})
	}, time.Hour)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.MercadoLibre, ShopID: "1", OrderID: "3", Shipment: &Shipment{Status: StatusPending}})
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, map[string]int{RiskAngryMessage: 1}, rec.risks)
}

func TestPollingIsTheFallback(t *testing.T) {
	env, rec := setup(t, monday)
	rec.read = Shipment{Status: StatusPending}
	env.RegisterDelayedCallback(func() {
		rec.mu.Lock()
		rec.read = Shipment{Status: StatusShipped, ShippedAt: at(monday.Add(13 * time.Hour)), Claims: []string{"C1 damaged"}}
		rec.mu.Unlock()
	}, 13*time.Hour)
	env.RegisterDelayedCallback(func() {
		rec.mu.Lock()
		rec.read = Shipment{Status: StatusCancelled}
		rec.mu.Unlock()
	}, 30*time.Hour)
	env.ExecuteWorkflow(OrderCareWorkflow, Input{Marketplace: cases.EBay, ShopID: "s", OrderID: "p"})
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, 1, rec.touch[TouchShipped], "the shipment was seen by the 24 h poll")
	assert.Equal(t, 1, rec.risks[RiskClaimOpened])
	assert.GreaterOrEqual(t, rec.reads, 3)
}

func TestShopPollRunsUntilTheShopDisablesOrderCare(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(ShopPollWorkflow, workflowOptions())
	env.RegisterActivity(&Activities{})
	polls := 0
	env.OnActivity("PollShop", mockAny, mockAny).Return(func(context.Context, QuestionsInput) (PollResult, error) {
		polls++
		return PollResult{Enabled: polls < 3, Every: time.Hour}, nil
	})
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SignalPollNow, nil) }, time.Minute)
	env.ExecuteWorkflow(ShopPollWorkflow, QuestionsInput{Marketplace: cases.EBay, ShopID: "s"})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, 3, polls, "first poll, the poll-now signal, then the shop is disabled")
}
