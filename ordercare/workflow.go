package ordercare

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// Activity names (methods of *Activities).
const (
	ActReadOrder      = "ReadOrder"
	ActSendTouchpoint = "SendTouchpoint"
	ActRaiseRisk      = "RaiseRisk"
	ActSyncOrder      = "SyncOrder"
)

// OutcomeSkipped: the moment passed (e.g. delivered before the day-before message was due).
const OutcomeSkipped = "skipped"

var actOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    2 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    5 * time.Minute,
		MaximumAttempts:    8,
		NonRetryableErrorTypes: []string{
			"permanent", "ambiguous_write", "guard_rejected", "auth_revoked",
		},
	},
}

// run is one order's care.
type run struct {
	s       *State
	set     Settings
	loc     *time.Location
	rules   []Allowance
	lastRun time.Time
}

// OrderCareWorkflow cares for one order from payment or shipment to a week
// after delivery. Every touchpoint is an activity whose result lands in
// history, so a restarted worker replays it instead of sending again; the
// activity itself is idempotent (a key per order and touchpoint, the store's
// record and the platform's read-back) for retries after a lost answer.
func OrderCareWorkflow(ctx workflow.Context, in Input) (State, error) {
	if in.Language == "" {
		in.Language = DefaultLanguage(in.Marketplace)
	}
	now := workflow.Now(ctx)
	r := &run{
		s: &State{Input: in, Touchpoints: map[Touchpoint]TouchResult{}, Risks: map[string]Risk{},
			StartedAt: now, UpdatedAt: now},
		set:   in.Settings.WithDefaults(),
		rules: Allowances(in.Marketplace),
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return *r.s, nil }); err != nil {
		return State{}, err
	}
	ctx = workflow.WithActivityOptions(ctx, actOptions)
	r.loc = loadZone(ctx, in.BuyerTimeZone, in.ShopTimeZone)

	events := workflow.GetSignalChannel(ctx, SignalOrderEvent)
	messages := workflow.GetSignalChannel(ctx, SignalBuyerMessage)

	if in.Shipment != nil {
		r.merge(*in.Shipment, now)
	} else {
		r.refresh(ctx)
	}
	r.sync(ctx)
	lastPoll := workflow.Now(ctx)

	for {
		next := r.evaluate(ctx)
		r.sync(ctx)
		if r.s.Done {
			break
		}
		now := workflow.Now(ctx)
		wake := lastPoll.Add(r.set.PollEvery)
		if !next.IsZero() && next.Before(wake) {
			wake = next
		}
		if end := r.s.StartedAt.Add(r.set.MaxLife); end.Before(wake) {
			wake = end
		}
		d := wake.Sub(now)
		if d < time.Second {
			d = time.Second
		}
		tctx, cancel := workflow.WithCancel(ctx)
		timer := workflow.NewTimer(tctx, d)
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) {})
		sel.AddReceive(events, func(c workflow.ReceiveChannel, _ bool) {
			var ev OrderEvent
			c.Receive(ctx, &ev)
			if ev.Shipment != nil {
				r.merge(*ev.Shipment, workflow.Now(ctx))
			}
			if ev.Refresh {
				r.refresh(ctx)
				lastPoll = workflow.Now(ctx)
			}
		})
		sel.AddReceive(messages, func(c workflow.ReceiveChannel, _ bool) {
			var m BuyerMessage
			c.Receive(ctx, &m)
			r.buyerMessage(ctx, m)
		})
		sel.Select(ctx)
		cancel()
		if now := workflow.Now(ctx); !now.Before(lastPoll.Add(r.set.PollEvery)) {
			r.refresh(ctx) // polling: the fallback when notifications do not come
			lastPoll = now
		}
	}
	return *r.s, nil
}

func loadZone(ctx workflow.Context, names ...string) *time.Location {
	for _, name := range names {
		if name == "" {
			continue
		}
		lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: 5 * time.Second,
			RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 2},
		})
		var z activities.ZoneData
		if err := workflow.ExecuteLocalActivity(lctx, activities.LoadZone, name).Get(lctx, &z); err != nil || len(z.TZData) == 0 {
			continue
		}
		if loc, err := time.LoadLocationFromTZData(z.Name, z.TZData); err == nil {
			return loc
		}
	}
	return time.UTC
}

// merge folds what an event or a read says into the shipment. A status
// change or a newer tracking event is movement.
func (r *run) merge(in Shipment, at time.Time) {
	sh := &r.s.Shipment
	final := sh.Status == StatusDelivered || sh.Status == StatusCancelled
	if in.Status != "" && in.Status != sh.Status && !final {
		if rank(in.Status) >= rank(sh.Status) || sh.Status == StatusException {
			sh.Status = in.Status
			if in.LastMovementAt == nil {
				t := at
				sh.LastMovementAt = &t
			}
		}
	}
	if in.TrackingNumber != "" {
		sh.TrackingNumber = in.TrackingNumber
	}
	if in.Carrier != "" {
		sh.Carrier = in.Carrier
	}
	if in.ShipmentID != "" {
		sh.ShipmentID = in.ShipmentID
	}
	if in.ExpectedAt != nil {
		sh.ExpectedAt = in.ExpectedAt
	}
	if in.ShippedAt != nil && sh.ShippedAt == nil {
		sh.ShippedAt = in.ShippedAt
	}
	if in.DeliveredAt != nil {
		sh.DeliveredAt = in.DeliveredAt
		sh.Status = StatusDelivered
	}
	if in.LastMovementAt != nil && (sh.LastMovementAt == nil || in.LastMovementAt.After(*sh.LastMovementAt)) {
		sh.LastMovementAt = in.LastMovementAt
	}
	if in.Exception != "" {
		sh.Exception = in.Exception
	}
	if len(in.Claims) > 0 {
		sh.Claims = in.Claims
	}
	if sh.ShippedAt == nil && shipped(sh.Status) {
		t := at
		sh.ShippedAt = &t
	}
	if sh.LastMovementAt == nil && sh.ShippedAt != nil {
		t := *sh.ShippedAt
		sh.LastMovementAt = &t
	}
	r.s.Version++
}

func rank(status string) int {
	switch status {
	case StatusPending:
		return 1
	case StatusShipped:
		return 2
	case StatusInTransit, StatusException:
		return 3
	case StatusDelivered:
		return 4
	case StatusCancelled:
		return 5
	}
	return 0
}

func shipped(status string) bool {
	switch status {
	case StatusShipped, StatusInTransit, StatusException, StatusDelivered:
		return true
	}
	return false
}

// refresh reads the order from the platform; a failed read waits for the next one.
func (r *run) refresh(ctx workflow.Context) {
	in := r.s.Input
	var sh Shipment
	// A read is retried briefly: the loop waits for it, and the next poll or
	// notification reads again anyway.
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 20 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Second,
			MaximumAttempts: 3, NonRetryableErrorTypes: actOptions.RetryPolicy.NonRetryableErrorTypes}})
	if err := workflow.ExecuteActivity(ctx, ActReadOrder, ReadRequest{Marketplace: in.Marketplace, ShopID: in.ShopID, OrderID: in.OrderID}).Get(ctx, &sh); err != nil {
		workflow.GetLogger(ctx).Warn("order read failed; the next poll tries again", "order", in.OrderID, "error", err)
		return
	}
	r.merge(sh, workflow.Now(ctx))
}

func (r *run) sync(ctx workflow.Context) {
	if r.s.Version == 0 {
		r.s.Version = 1
	}
	r.s.UpdatedAt = workflow.Now(ctx)
	if err := workflow.ExecuteActivity(ctx, ActSyncOrder, *r.s).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Warn("order sync failed", "error", err)
	}
}

// evaluate does what is due now and returns when something is next due
// (zero: nothing scheduled but the poll).
func (r *run) evaluate(ctx workflow.Context) time.Time {
	now := workflow.Now(ctx)
	sh := r.s.Shipment
	var next time.Time
	later := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	if sh.Status == StatusCancelled {
		r.s.Done, r.s.EndReason = true, "cancelled"
		return next
	}
	delivered := sh.DeliveredAt != nil || sh.Status == StatusDelivered

	// Risks: each signal raised once, with its evidence.
	if shipped(sh.Status) && !delivered && sh.LastMovementAt != nil {
		if at := sh.LastMovementAt.Add(r.set.StallAfter); !now.Before(at) {
			r.raise(ctx, RiskTrackingStalled, fmt.Sprintf("no tracking movement since %s", sh.LastMovementAt.UTC().Format(time.RFC3339)), now)
		} else {
			later(at)
		}
	}
	if sh.ExpectedAt != nil && !delivered {
		if at := sh.ExpectedAt.Add(r.set.LateGrace); !now.Before(at) {
			r.raise(ctx, RiskExpectedPassed, fmt.Sprintf("expected %s, not delivered", sh.ExpectedAt.UTC().Format(time.RFC3339)), now)
		} else {
			later(at)
		}
	}
	if sh.Status == StatusException || sh.Exception != "" {
		r.raise(ctx, RiskDeliveryIssue, "the carrier reports a delivery problem: "+sh.Exception, now)
	}
	if len(sh.Claims) > 0 {
		r.raise(ctx, RiskClaimOpened, fmt.Sprintf("claim or return open: %v", sh.Claims), now)
	}

	// Touchpoints, in the playbook's order.
	if shipped(sh.Status) {
		if delivered {
			r.skip(TouchShipped, "delivered before the shipped message was sent", now)
		}
		if t := r.due(ctx, TouchShipped, now, time.Time{}); !t.IsZero() {
			later(t)
		}
	}
	if sh.ExpectedAt != nil && shipped(sh.Status) {
		switch at := sh.ExpectedAt.Add(-24 * time.Hour); {
		case delivered:
			r.skip(TouchDayBefore, "delivered before the day before the expected date", now)
		case !now.Before(*sh.ExpectedAt):
			r.skip(TouchDayBefore, "the expected date passed", now)
		case now.Before(at):
			later(at)
		default:
			if t := r.due(ctx, TouchDayBefore, now, *sh.ExpectedAt); !t.IsZero() {
				later(t)
			}
		}
	}
	if delivered {
		if t := r.due(ctx, TouchDelivered, now, time.Time{}); !t.IsZero() {
			later(t)
		}
		dAt := now
		if sh.DeliveredAt != nil {
			dAt = *sh.DeliveredAt
		}
		if AllowanceFor(r.s.Input.Marketplace, TouchSolicitation).Allowed {
			switch from, until := dAt.Add(SolicitFrom), dAt.Add(SolicitUntil); {
			case now.Before(from):
				later(from)
			case !now.Before(until):
				r.skip(TouchSolicitation, "the 5–30 day window after delivery has closed", now)
			default:
				if t := r.due(ctx, TouchSolicitation, now, until); !t.IsZero() {
					later(t)
				}
			}
		}
		if end := dAt.Add(r.set.WatchAfterDelivery); !now.Before(end) && r.touchpointsSettled() {
			r.s.Done, r.s.EndReason = true, "delivered"
		} else {
			later(end)
		}
	}
	if !r.s.StartedAt.Add(r.set.MaxLife).After(now) {
		r.s.Done, r.s.EndReason = true, "max_life"
	}
	return next
}

func (r *run) touchpointsSettled() bool {
	for _, a := range r.rules {
		if a.Allowed {
			if _, ok := r.s.Touchpoints[a.Touchpoint]; !ok {
				return false
			}
		}
	}
	return true
}

func (r *run) skip(t Touchpoint, why string, now time.Time) {
	if _, done := r.s.Touchpoints[t]; done {
		return
	}
	a := AllowanceFor(r.s.Input.Marketplace, t)
	if !a.Allowed && t == TouchSolicitation {
		return // not a touchpoint on this platform at all
	}
	r.s.Touchpoints[t] = TouchResult{Touchpoint: t, Outcome: OutcomeSkipped, Channel: a.Channel, Reason: why, At: now}
	r.s.Version++
}

// due sends a touchpoint now, or returns when quiet hours end. before, when
// set, is the moment after which the touchpoint no longer makes sense.
func (r *run) due(ctx workflow.Context, t Touchpoint, now, before time.Time) time.Time {
	if _, done := r.s.Touchpoints[t]; done {
		return time.Time{}
	}
	a := AllowanceFor(r.s.Input.Marketplace, t)
	if !a.Allowed {
		outcome := OutcomeNotAllowed
		if a.Manual {
			outcome = OutcomeManual
		}
		r.s.Touchpoints[t] = TouchResult{Touchpoint: t, Outcome: outcome, Channel: a.Channel, Reason: a.Why, At: now}
		r.s.Version++
		return time.Time{}
	}
	if !r.set.NoQuietHours {
		if at := NextSendTime(now, r.loc, r.set.QuietStart, r.set.QuietEnd); at.After(now) {
			if !before.IsZero() && !at.Before(before) {
				r.skip(t, "quiet hours last until the moment passed", now)
				return time.Time{}
			}
			return at
		}
	}
	in := r.s.Input
	req := TouchRequest{
		Marketplace: in.Marketplace, ShopID: in.ShopID, OrderID: in.OrderID, BuyerID: in.BuyerID,
		Language: in.Language, TimeZone: r.loc.String(), Touchpoint: t, Channel: a.Channel,
		Shipment: r.s.Shipment, IdempotencyKey: "oc:" + OrderKey(in.Marketplace, in.ShopID, in.OrderID) + ":" + string(t),
	}
	var res TouchResult
	if err := workflow.ExecuteActivity(ctx, ActSendTouchpoint, req).Get(ctx, &res); err != nil {
		res = TouchResult{Touchpoint: t, Outcome: OutcomeFailed, Channel: a.Channel, Reason: err.Error(), At: workflow.Now(ctx)}
	}
	r.s.Touchpoints[t] = res
	r.s.Version++
	return time.Time{}
}

// raise records a pre-emptive task once per signal.
func (r *run) raise(ctx workflow.Context, signal, summary string, now time.Time) {
	if _, done := r.s.Risks[signal]; done {
		return
	}
	sh := r.s.Shipment
	ev := map[string]string{"status": sh.Status}
	if sh.TrackingNumber != "" {
		ev["tracking_number"] = sh.TrackingNumber
	}
	if sh.Carrier != "" {
		ev["carrier"] = sh.Carrier
	}
	stamp := func(k string, t *time.Time) {
		if t != nil {
			ev[k] = t.UTC().Format(time.RFC3339)
		}
	}
	stamp("expected_at", sh.ExpectedAt)
	stamp("shipped_at", sh.ShippedAt)
	stamp("last_movement_at", sh.LastMovementAt)
	stamp("delivered_at", sh.DeliveredAt)
	if sh.Exception != "" {
		ev["exception"] = sh.Exception
	}
	r.raiseWith(ctx, Risk{Signal: signal, Summary: summary, Evidence: ev, At: now})
}

func (r *run) raiseWith(ctx workflow.Context, risk Risk) {
	r.s.Risks[risk.Signal] = risk
	r.s.Version++
	in := r.s.Input
	req := RiskRequest{Marketplace: in.Marketplace, ShopID: in.ShopID, OrderID: in.OrderID, BuyerID: in.BuyerID,
		WorkflowID: WorkflowID(in.Marketplace, in.ShopID, in.OrderID), Risk: risk}
	if err := workflow.ExecuteActivity(ctx, ActRaiseRisk, req).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("pre-emptive task not recorded", "signal", risk.Signal, "error", err)
	}
}

// buyerMessage reads the buyer's mood: an issue or an angry cue raises angry_message.
func (r *run) buyerMessage(ctx workflow.Context, m BuyerMessage) {
	if _, done := r.s.Risks[RiskAngryMessage]; done {
		return
	}
	mood := ReadMood(m.Text)
	if !mood.Complaint {
		return
	}
	ev := map[string]string{"message_id": m.MessageID, "text": m.Text, "language": mood.Language, "cues": fmt.Sprint(mood.Cues)}
	if mood.Issue != "" {
		ev["issue"] = string(mood.Issue)
	}
	r.raiseWith(ctx, Risk{Signal: RiskAngryMessage, Summary: "the buyer wrote an unhappy message", Evidence: ev, At: workflow.Now(ctx)})
}

// ReadRequest names an order to read.
type ReadRequest struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	OrderID     string            `json:"order_id"`
}

// TouchRequest is one touchpoint to send.
type TouchRequest struct {
	Marketplace    cases.Marketplace `json:"marketplace"`
	ShopID         string            `json:"shop_id"`
	OrderID        string            `json:"order_id"`
	BuyerID        string            `json:"buyer_id,omitempty"`
	Language       string            `json:"language"`
	TimeZone       string            `json:"time_zone"`
	Touchpoint     Touchpoint        `json:"touchpoint"`
	Channel        string            `json:"channel"`
	Shipment       Shipment          `json:"shipment"`
	IdempotencyKey string            `json:"idempotency_key"`
}

// RiskRequest records a pre-emptive task.
type RiskRequest struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	OrderID     string            `json:"order_id"`
	BuyerID     string            `json:"buyer_id,omitempty"`
	WorkflowID  string            `json:"workflow_id"`
	Risk        Risk              `json:"risk"`
}
