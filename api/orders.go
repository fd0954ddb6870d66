// Orders under care: the events that start or feed an order's care, and the
// order's care as an order or a case sees it.

package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
)

type shipmentBody struct {
	Status         string     `json:"status" validate:"omitempty,oneof=pending shipped in_transit exception delivered cancelled"`
	TrackingNumber string     `json:"tracking_number" validate:"max=100"`
	Carrier        string     `json:"carrier" validate:"max=100"`
	ExpectedAt     *time.Time `json:"expected_at"`
	ShippedAt      *time.Time `json:"shipped_at"`
	DeliveredAt    *time.Time `json:"delivered_at"`
	LastMovementAt *time.Time `json:"last_movement_at"`
	Exception      string     `json:"exception" validate:"max=500"`
	Claims         []string   `json:"claims" validate:"max=20"`
}

type orderEventRequest struct {
	Marketplace   cases.Marketplace `json:"marketplace" validate:"required,marketplace"`
	ShopID        string            `json:"shop_id" validate:"required,max=100"`
	OrderID       string            `json:"order_id" validate:"required,max=100"`
	BuyerID       string            `json:"buyer_id" validate:"max=100"`
	Language      string            `json:"language" validate:"omitempty,oneof=zh en es pt"`
	BuyerTimeZone string            `json:"buyer_time_zone" validate:"max=64"`
	Shipment      *shipmentBody     `json:"shipment"`
	Refresh       bool              `json:"refresh"`
	Source        string            `json:"source" validate:"omitempty,oneof=notification poll api"`
}

// postOrderEvent starts an order's care (for a shop that enabled it) or
// tells the running care what a notification or poll found.
func (s *Server) postOrderEvent(c echo.Context) error {
	var req orderEventRequest
	st, err := s.ocStoreAndBody(c, &req)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.shopInScope(ctx, req.Marketplace, req.ShopID); err != nil {
		return err
	}
	shop, err := st.GetOrderCareShop(ctx, req.Marketplace, req.ShopID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !shop.Enabled) {
		return newProblem(http.StatusConflict, "order_care_disabled", "order care is not enabled for this shop (PUT /v1/shops/{marketplace}/{shop}/order-care)")
	} else if err != nil {
		return err
	}
	if req.Source == "" {
		req.Source = "api"
	}
	ev := ordercare.OrderEvent{Refresh: req.Refresh, Source: req.Source}
	if req.Shipment != nil {
		b := req.Shipment
		ev.Shipment = &ordercare.Shipment{Status: b.Status, TrackingNumber: b.TrackingNumber, Carrier: b.Carrier,
			ExpectedAt: b.ExpectedAt, ShippedAt: b.ShippedAt, DeliveredAt: b.DeliveredAt, LastMovementAt: b.LastMovementAt,
			Exception: b.Exception, Claims: b.Claims}
	}
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	run, err := ordercare.Signal(tctx, s.temporal, shop, ordercare.Order{OrderID: req.OrderID, BuyerID: req.BuyerID,
		Language: req.Language, BuyerTimeZone: req.BuyerTimeZone}, ev)
	if err != nil {
		return err
	}
	wfID := ordercare.WorkflowID(req.Marketplace, req.ShopID, req.OrderID)
	return c.JSON(http.StatusAccepted, map[string]any{"workflow_id": wfID, "run_id": run.GetRunID()})
}

// careOrderView is an order under care with its touchpoints, pre-emptive
// tasks and, while it runs, the workflow's live state.
type careOrderView struct {
	Order       store.CareOrder        `json:"order"`
	Touchpoints []store.TouchpointRow  `json:"touchpoints"`
	Tasks       []store.PreemptiveTask `json:"preemptive_tasks"`
	Live        *ordercare.State       `json:"live,omitempty"`
}

func (s *Server) careOrder(ctx context.Context, m cases.Marketplace, shopID, orderID string) (careOrderView, error) {
	st, err := s.ocStore()
	if err != nil {
		return careOrderView{}, err
	}
	o, err := st.GetCareOrder(ctx, m, shopID, orderID)
	if err != nil {
		return careOrderView{}, err
	}
	v := careOrderView{Order: o}
	if v.Touchpoints, err = st.ListTouchpoints(ctx, o.Key); err != nil {
		return careOrderView{}, err
	}
	// Touchpoints the platform does not allow, or whose moment passed, never
	// reach an activity: they are in the workflow's state only.
	var state ordercare.State
	if json.Unmarshal(o.State, &state) == nil {
		seen := map[string]bool{}
		for _, t := range v.Touchpoints {
			seen[t.Touchpoint] = true
		}
		for _, a := range ordercare.Allowances(m) {
			r, ok := state.Touchpoints[a.Touchpoint]
			if !ok || seen[string(a.Touchpoint)] {
				continue
			}
			v.Touchpoints = append(v.Touchpoints, store.TouchpointRow{OrderKey: o.Key, Touchpoint: string(r.Touchpoint), Marketplace: m,
				ShopID: shopID, Outcome: r.Outcome, Channel: r.Channel, Reason: r.Reason, At: r.At})
		}
	}
	if v.Tasks, err = st.ListPreemptiveTasks(ctx, store.PreemptiveFilter{Marketplace: m, ShopID: shopID, OrderID: orderID}); err != nil {
		return careOrderView{}, err
	}
	if !o.Done {
		tctx, cancel := s.temporalContext(ctx)
		defer cancel()
		if res, err := s.temporal.QueryWorkflow(tctx, o.WorkflowID, "", ordercare.QueryState); err == nil {
			var live ordercare.State
			if res.Get(&live) == nil {
				v.Live = &live
			}
		}
	}
	return v, nil
}

func (s *Server) getCareOrder(c echo.Context) error {
	m, err := marketplaceOf(c)
	if err != nil {
		return err
	}
	if err := s.shopInScope(c.Request().Context(), m, c.Param("shop")); err != nil {
		return err
	}
	v, err := s.careOrder(c.Request().Context(), m, c.Param("shop"), c.Param("order"))
	if errors.Is(err, store.ErrNotFound) {
		return notFound("order")
	} else if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// getCaseOrderCare links a case to its order's history: what the buyer was
// told before the review, which risks were raised and what agents did, and
// whether a pre-emptive contact qualifies as the case's first contact (a
// message sent on the buyer's channel, or a pre-emptive task an agent
// completed, before the review was written).
func (s *Server) getCaseOrderCare(c echo.Context) error {
	caseID, err := caseParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cs, err := s.store.GetCase(ctx, caseID)
	if err != nil {
		return err
	}
	v, err := s.careOrder(ctx, cs.Marketplace, cs.ShopID, cs.OrderID)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("order care for this case's order")
	} else if err != nil {
		return err
	}
	type contact struct {
		Kind string    `json:"kind"` // touchpoint or preemptive_task
		Ref  string    `json:"ref"`
		At   time.Time `json:"at"`
	}
	var prior []contact
	for _, t := range v.Touchpoints {
		if t.Outcome == ordercare.OutcomeSent && t.Channel == ordercare.ChannelMessage && t.At.Before(cs.ReviewCreatedAt) {
			prior = append(prior, contact{Kind: "touchpoint", Ref: t.Touchpoint, At: t.At})
		}
	}
	for _, t := range v.Tasks {
		if t.Status == "done" && t.DoneAt != nil && t.DoneAt.Before(cs.ReviewCreatedAt) {
			prior = append(prior, contact{Kind: "preemptive_task", Ref: t.ID, At: *t.DoneAt})
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"case_id": cs.ID, "order_care": v, "prior_contacts": prior})
}
