package ordercare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// Store is what order care keeps in PostgreSQL; *store.Store satisfies it.
type Store interface {
	SyncCareOrder(ctx context.Context, o store.CareOrder) error
	GetTouchpoint(ctx context.Context, orderKey, touchpoint string) (store.TouchpointRow, error)
	RecordTouchpoint(ctx context.Context, t store.TouchpointRow) (store.TouchpointRow, error)
	TouchpointTemplate(ctx context.Context, m cases.Marketplace, shopID, touchpoint, lang string) (string, error)
	RaisePreemptiveTask(ctx context.Context, t store.PreemptiveTask) (bool, error)
}

var _ Store = (*store.Store)(nil)

// Activities are order care's side effects.
type Activities struct {
	Store    Store
	Markets  marketplace.Registry
	Notifier activities.Notifier // optional: alerts on pre-emptive tasks
	Logger   *slog.Logger
	// Temporal lets the shop poll start or signal orders' care (poll.go).
	Temporal client.Client
}

func (a *Activities) log() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

// ReadOrder reads the order's shipment from the platform (the polling
// fallback, and what a notification that only names the order leads to).
func (a *Activities) ReadOrder(ctx context.Context, in ReadRequest) (Shipment, error) {
	conn, err := a.Markets.Get(in.Marketplace)
	if err != nil {
		return Shipment{}, temporal.NewNonRetryableApplicationError(err.Error(), "permanent", err)
	}
	ev, err := conn.GetEvidence(ctx, in.ShopID, in.OrderID)
	if err != nil {
		return Shipment{}, classify(err)
	}
	return ShipmentFromEvidence(ev), nil
}

// ShipmentFromEvidence maps a connector's evidence to a shipment.
func ShipmentFromEvidence(ev marketplace.Evidence) Shipment {
	sh := Shipment{Carrier: ev.Courier, TrackingNumber: ev.TrackingNumber, ShipmentID: ev.Order.ShipmentID, ShippedAt: ev.Order.ShippedAt, DeliveredAt: ev.Order.DeliveredAt}
	switch {
	case ev.Order.DeliveredAt != nil:
		sh.Status = StatusDelivered
	case strings.EqualFold(ev.Order.Status, "cancelled") && ev.Order.ShippedAt == nil:
		sh.Status = StatusCancelled
	case ev.Order.ShippedAt != nil:
		sh.Status = StatusShipped
	default:
		sh.Status = StatusPending
	}
	for _, st := range ev.Tracking {
		at := st.At
		if !at.IsZero() && (sh.LastMovementAt == nil || at.After(*sh.LastMovementAt)) {
			sh.LastMovementAt = &at
		}
		s := strings.ToLower(st.Status + " " + st.Description)
		if sh.Status != StatusDelivered && (strings.Contains(s, "not_delivered") || strings.Contains(s, "exception") ||
			strings.Contains(s, "failed") || strings.Contains(s, "returning") || strings.Contains(s, "damaged") || strings.Contains(s, "lost")) {
			sh.Status, sh.Exception = StatusException, strings.TrimSpace(st.Status+" "+st.Description)
		}
	}
	if sh.Status == StatusShipped && len(ev.Tracking) > 1 {
		sh.Status = StatusInTransit
	}
	for _, c := range ev.Claims {
		if st := strings.ToLower(c.Status); st != "closed" && st != "resolved" && st != "cancelled" {
			sh.Claims = append(sh.Claims, strings.TrimSpace(c.ID+" "+c.Reason))
		}
	}
	return sh
}

// SendTouchpoint sends one touchpoint at most once: the store's record of it
// is read first (a retry after the record was written returns it), the
// platform's read-back covers a send whose answer was lost (Mercado Libre and
// eBay find their exact text; Amazon's solicitation is no longer offered
// once sent), and the result is recorded before it is returned.
func (a *Activities) SendTouchpoint(ctx context.Context, in TouchRequest) (TouchResult, error) {
	key := OrderKey(in.Marketplace, in.ShopID, in.OrderID)
	if row, err := a.Store.GetTouchpoint(ctx, key, string(in.Touchpoint)); err == nil {
		return fromRow(row, true), nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return TouchResult{}, err
	}
	conn, err := a.Markets.Get(in.Marketplace)
	if err != nil {
		return TouchResult{}, temporal.NewNonRetryableApplicationError(err.Error(), "permanent", err)
	}
	res := TouchResult{Touchpoint: in.Touchpoint, Channel: in.Channel, At: time.Now().UTC()}
	switch in.Channel {
	case ChannelMessage:
		if !conn.Caps().MessageAPI {
			res.Outcome, res.Reason = OutcomeManual, "the platform has no message API"
			break
		}
		override, err := a.Store.TouchpointTemplate(ctx, in.Marketplace, in.ShopID, string(in.Touchpoint), in.Language)
		if err != nil {
			return TouchResult{}, err
		}
		loc, _ := cases.LoadZone(in.TimeZone)
		text, err := RenderTouchpoint(in.Marketplace, in.Touchpoint, in.Language, override, in.Shipment, loc)
		var gerr *GuardError
		if errors.As(err, &gerr) {
			res.Outcome, res.Reason = OutcomeRefused, err.Error()
			break
		} else if err != nil {
			return TouchResult{}, temporal.NewNonRetryableApplicationError(err.Error(), "permanent", err)
		}
		res.Text = text
		w, err := conn.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: in.ShopID, OrderID: in.OrderID,
			BuyerID: in.BuyerID, Text: text, Language: in.Language, IdempotencyKey: in.IdempotencyKey})
		if err != nil {
			if marketplace.ClassOf(err) == cases.ErrPermanent {
				// The platform (or the connector reading its rules, e.g. Mercado
				// Libre's action guide) does not allow this message now.
				res.Outcome, res.Reason = OutcomeNotAllowed, err.Error()
				break
			}
			return TouchResult{}, classify(err)
		}
		res.Outcome, res.PlatformRef, res.Replayed = OutcomeSent, w.ID, w.Replayed
	case ChannelSolicitation:
		sol, ok := conn.(marketplace.Solicitor)
		if !ok {
			res.Outcome, res.Reason = OutcomeNotAllowed, "the connector has no solicitation operation"
			break
		}
		// Amazon's own text, sent only while Amazon offers it (the connector
		// reads getSolicitationActionsForOrder first).
		w, err := sol.RequestReviewSolicitation(ctx, in.ShopID, in.OrderID, in.IdempotencyKey)
		if err != nil {
			me, isME := marketplace.AsError(err)
			if isME && me.Code == "solicitation_unavailable" && activity.IsActivity(ctx) && activity.GetInfo(ctx).Attempt > 1 {
				// An earlier attempt of this very touchpoint lost its answer; the
				// action is no longer offered, so that attempt went out.
				res.Outcome, res.Replayed, res.Reason = OutcomeSent, true, "read back: no longer offered after an earlier attempt"
				break
			}
			if marketplace.ClassOf(err) == cases.ErrPermanent {
				res.Outcome, res.Reason = OutcomeNotAllowed, err.Error()
				break
			}
			return TouchResult{}, classify(err)
		}
		res.Outcome, res.PlatformRef, res.Replayed = OutcomeSent, w.ID, w.Replayed
	default:
		res.Outcome, res.Reason = OutcomeNotAllowed, "no channel"
	}
	row, err := a.Store.RecordTouchpoint(ctx, store.TouchpointRow{OrderKey: key, Touchpoint: string(in.Touchpoint),
		Marketplace: in.Marketplace, ShopID: in.ShopID, BuyerID: in.BuyerID, Outcome: res.Outcome, Channel: res.Channel, Reason: res.Reason,
		Text: res.Text, PlatformRef: res.PlatformRef, At: res.At})
	if err != nil {
		return TouchResult{}, err
	}
	out := fromRow(row, res.Replayed)
	return out, nil
}

func fromRow(r store.TouchpointRow, replayed bool) TouchResult {
	return TouchResult{Touchpoint: Touchpoint(r.Touchpoint), Outcome: r.Outcome, Channel: r.Channel, Reason: r.Reason,
		Text: r.Text, PlatformRef: r.PlatformRef, Replayed: replayed, At: r.At.UTC()}
}

// classify turns a marketplace error into a retryable or final activity error.
func classify(err error) error {
	switch marketplace.ClassOf(err) {
	case cases.ErrPermanent, cases.ErrAuthRevoked:
		return temporal.NewNonRetryableApplicationError(err.Error(), "permanent", err)
	case cases.ErrAmbiguous:
		return temporal.NewNonRetryableApplicationError(err.Error(), "ambiguous_write", err)
	}
	return err
}

// PreemptiveTaskID is the task's id for an order and signal.
func PreemptiveTaskID(m cases.Marketplace, shopID, orderID, signal string) string {
	return "pt-" + string(m) + "-" + shopID + "-" + orderID + "-" + signal
}

// RaiseRisk records a pre-emptive task (once per order and signal) and alerts.
func (a *Activities) RaiseRisk(ctx context.Context, in RiskRequest) error {
	ev, _ := json.Marshal(in.Risk.Evidence)
	first, err := a.Store.RaisePreemptiveTask(ctx, store.PreemptiveTask{
		ID:       PreemptiveTaskID(in.Marketplace, in.ShopID, in.OrderID, in.Risk.Signal),
		OrderKey: OrderKey(in.Marketplace, in.ShopID, in.OrderID), Marketplace: in.Marketplace, ShopID: in.ShopID,
		OrderID: in.OrderID, BuyerID: in.BuyerID, WorkflowID: in.WorkflowID, Signal: in.Risk.Signal, Summary: in.Risk.Summary,
		Evidence: ev, RaisedAt: in.Risk.At.UTC()})
	if err != nil {
		return err
	}
	if first && a.Notifier != nil {
		alert := activities.Alert{Marketplace: in.Marketplace, ShopID: in.ShopID, Kind: activities.AlertKind("order_risk"),
			Message:        fmt.Sprintf("order %s: %s — %s", in.OrderID, in.Risk.Signal, in.Risk.Summary),
			IdempotencyKey: PreemptiveTaskID(in.Marketplace, in.ShopID, in.OrderID, in.Risk.Signal)}
		if err := a.Notifier.Notify(ctx, alert); err != nil {
			a.log().WarnContext(ctx, "order risk alert failed", "order", in.OrderID, "error", err)
		}
	}
	return nil
}

// SyncOrder writes the order's index row.
func (a *Activities) SyncOrder(ctx context.Context, s State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	in := s.Input
	return a.Store.SyncCareOrder(ctx, store.CareOrder{
		Key: OrderKey(in.Marketplace, in.ShopID, in.OrderID), Marketplace: in.Marketplace, ShopID: in.ShopID,
		OrderID: in.OrderID, WorkflowID: WorkflowID(in.Marketplace, in.ShopID, in.OrderID), BuyerID: in.BuyerID,
		Status: s.Shipment.Status, TrackingNumber: s.Shipment.TrackingNumber, Carrier: s.Shipment.Carrier, ShipmentID: s.Shipment.ShipmentID,
		ExpectedAt: s.Shipment.ExpectedAt, ShippedAt: s.Shipment.ShippedAt, DeliveredAt: s.Shipment.DeliveredAt,
		Done: s.Done, State: b, StartedAt: s.StartedAt, UpdatedAt: s.UpdatedAt, Version: s.Version,
	})
}
