package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// OrderCareStore is what the order-care and message-centre endpoints read
// and write; *store.Store satisfies it. It is separate from Store so the
// case endpoints' test doubles need not implement it.
type OrderCareStore interface {
	GetOrderCareShop(ctx context.Context, m cases.Marketplace, shopID string) (store.OrderCareShop, error)
	PutOrderCareShop(ctx context.Context, o store.OrderCareShop) (store.OrderCareShop, error)
	PutTouchpointTemplate(ctx context.Context, m cases.Marketplace, shopID, touchpoint, lang, text string) error
	GetCareOrder(ctx context.Context, m cases.Marketplace, shopID, orderID string) (store.CareOrder, error)
	FindCareOrderByShipment(ctx context.Context, m cases.Marketplace, shopID, shipmentID string) (store.CareOrder, error)
	ListTouchpoints(ctx context.Context, orderKey string) ([]store.TouchpointRow, error)
	RaisePreemptiveTask(ctx context.Context, t store.PreemptiveTask) (bool, error)
	ListPreemptiveTasks(ctx context.Context, f store.PreemptiveFilter) ([]store.PreemptiveTask, error)
	CompletePreemptiveTask(ctx context.Context, id, by, note string) (store.PreemptiveTask, error)
	AddBuyerMessage(ctx context.Context, m store.BuyerMessage) (store.BuyerMessage, bool, error)
	GetBuyerMessage(ctx context.Context, id string) (store.BuyerMessage, error)
	ListBuyerMessages(ctx context.Context, f store.MessageFilter) ([]store.BuyerMessage, error)
	AnswerBuyerMessage(ctx context.Context, id string, a store.Answer) (store.BuyerMessage, error)
	LinkBuyerMessageToCase(ctx context.Context, id, caseID string) (store.BuyerMessage, error)
	AddQuickReply(ctx context.Context, q store.QuickReply) (store.QuickReply, error)
	ListQuickReplies(ctx context.Context, m cases.Marketplace, shopID, lang string) ([]store.QuickReply, error)
	MessageResponseTimes(ctx context.Context, from, to time.Time) ([]store.MessageResponseStat, error)
	TouchpointStats(ctx context.Context, from, to time.Time) ([]store.TouchpointStat, error)
	CareBadReviewRates(ctx context.Context, from, to time.Time) ([]store.CareBadReviewRate, error)
}

var _ OrderCareStore = (*store.Store)(nil)

// orderCareRoutes registers issue 15's endpoints: order care, pre-emptive
// tasks and the message centre. Roles follow the table in routes.go:
// automations feed orders and messages; agents read and work them; managers
// change shop settings, templates and quick replies.
func (s *Server) orderCareRoutes() {
	s.handle(http.MethodGet, "/v1/order-care/allowances", s.orderCareAllowances, anyRole...)
	s.handle(http.MethodGet, "/v1/shops/:marketplace/:shop/order-care", s.getOrderCareShop, anyRole...)
	s.handle(http.MethodPut, "/v1/shops/:marketplace/:shop/order-care", s.putOrderCareShop, managers...)
	s.handle(http.MethodPut, "/v1/shops/:marketplace/:shop/touchpoint-templates/:touchpoint/:language", s.putTouchpointTemplate, managers...)
	s.handle(http.MethodPost, "/v1/orders", s.postOrderEvent, feeders...)
	s.handle(http.MethodGet, "/v1/orders/:marketplace/:shop/:order", s.getCareOrder, anyRole...)
	s.handle(http.MethodGet, "/v1/cases/:id/order-care", s.getCaseOrderCare, anyRole...)

	s.handle(http.MethodGet, "/v1/preemptive-tasks", s.listPreemptiveTasks, staff...)
	s.handle(http.MethodPost, "/v1/preemptive-tasks/:id/complete", s.completePreemptiveTask, staff...)

	s.handle(http.MethodPost, "/v1/messages", s.postBuyerMessage, feeders...)
	s.handle(http.MethodGet, "/v1/messages", s.listBuyerMessages, staff...)
	s.handle(http.MethodGet, "/v1/messages/:id", s.getBuyerMessage, staff...)
	s.handle(http.MethodPost, "/v1/messages/:id/answer", s.answerBuyerMessage, staff...)
	s.handle(http.MethodPost, "/v1/messages/:id/escalate", s.escalateBuyerMessage, staff...)
	s.handle(http.MethodPost, "/v1/messages/batch-answer", s.batchAnswer, staff...)
	s.handle(http.MethodGet, "/v1/quick-replies", s.listQuickReplies, staff...)
	s.handle(http.MethodPost, "/v1/quick-replies", s.addQuickReply, managers...)
	s.handle(http.MethodGet, "/v1/reports/order-care", s.orderCareReport, managers...)
}

func (s *Server) ocStore() (OrderCareStore, error) {
	st, ok := s.store.(OrderCareStore)
	if !ok {
		return nil, newProblem(http.StatusNotImplemented, "not_implemented", "this server's store has no order care")
	}
	return st, nil
}

func marketplaceOf(c echo.Context) (cases.Marketplace, error) {
	m := cases.Marketplace(c.Param("marketplace"))
	if !m.Valid() {
		return "", newProblem(http.StatusNotFound, codeUnknownMarketplace, "unknown marketplace "+string(m))
	}
	return m, nil
}

func (s *Server) orderCareAllowances(c echo.Context) error {
	out := map[cases.Marketplace][]ordercare.Allowance{}
	for _, m := range cases.Marketplaces {
		out[m] = ordercare.Allowances(m)
	}
	return c.JSON(http.StatusOK, map[string]any{"allowances": out})
}

func (s *Server) getOrderCareShop(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	m, err := marketplaceOf(c)
	if err != nil {
		return err
	}
	shop, err := st.GetOrderCareShop(c.Request().Context(), m, c.Param("shop"))
	if errors.Is(err, store.ErrNotFound) {
		shop = store.OrderCareShop{Marketplace: m, ShopID: c.Param("shop"), QuietStart: ordercare.DefaultQuietStart, QuietEnd: ordercare.DefaultQuietEnd}
	} else if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, shop)
}

type orderCareShopRequest struct {
	Enabled                   bool   `json:"enabled"`
	TimeZone                  string `json:"time_zone" validate:"omitempty,max=64"`
	Language                  string `json:"language" validate:"omitempty,oneof=zh en es pt"`
	QuietStart                *int   `json:"quiet_start" validate:"omitempty,min=0,max=23"`
	QuietEnd                  *int   `json:"quiet_end" validate:"omitempty,min=0,max=23"`
	StallAfterSeconds         int64  `json:"stall_after_seconds" validate:"min=0"`
	LateGraceSeconds          int64  `json:"late_grace_seconds" validate:"min=0"`
	PollEverySeconds          int64  `json:"poll_every_seconds" validate:"min=0"`
	WatchAfterDeliverySeconds int64  `json:"watch_after_delivery_seconds" validate:"min=0"`
}

func (s *Server) putOrderCareShop(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	m, err := marketplaceOf(c)
	if err != nil {
		return err
	}
	var req orderCareShopRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	if req.TimeZone != "" {
		if _, err := cases.LoadZone(req.TimeZone); err != nil {
			return invalidBody(FieldError{Field: "time_zone", Code: "time_zone", Message: err.Error()})
		}
	}
	qs, qe := ordercare.DefaultQuietStart, ordercare.DefaultQuietEnd
	if req.QuietStart != nil {
		qs = *req.QuietStart
	}
	if req.QuietEnd != nil {
		qe = *req.QuietEnd
	}
	ctx := c.Request().Context()
	shop, err := st.PutOrderCareShop(ctx, store.OrderCareShop{Marketplace: m, ShopID: c.Param("shop"),
		Enabled: req.Enabled, TimeZone: req.TimeZone, Language: req.Language, QuietStart: qs, QuietEnd: qe,
		UpdatedBy: caller(c).Name, StallAfterSeconds: req.StallAfterSeconds, LateGraceSeconds: req.LateGraceSeconds,
		PollEverySeconds: req.PollEverySeconds, WatchAfterDeliverySeconds: req.WatchAfterDeliverySeconds})
	if err != nil {
		return err
	}
	if shop.Enabled { // the polling fallback: one workflow per shop, which ends when the shop disables order care
		tctx, cancel := s.temporalContext(ctx)
		defer cancel()
		id := ordercare.ShopPollID(m, shop.ShopID)
		if _, err := s.temporal.SignalWithStartWorkflow(tctx, id, ordercare.SignalPollNow, nil, client.StartWorkflowOptions{ID: id, TaskQueue: ordercare.TaskQueue},
			ordercare.ShopPollWorkflowName, ordercare.QuestionsInput{Marketplace: m, ShopID: shop.ShopID}); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, shop)
}

type touchpointTemplateRequest struct {
	Text string `json:"text" validate:"required,max=2000"`
}

// putTouchpointTemplate saves a shop's text for a touchpoint and language
// after rendering it with a sample shipment through the guard.
func (s *Server) putTouchpointTemplate(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	m, err := marketplaceOf(c)
	if err != nil {
		return err
	}
	tp := ordercare.Touchpoint(c.Param("touchpoint"))
	if a := ordercare.AllowanceFor(m, tp); a.Channel != ordercare.ChannelMessage {
		return newProblem(http.StatusUnprocessableEntity, "touchpoint_not_allowed", a.Why)
	}
	lang := c.Param("language")
	if !slicesContains(cases.Languages, lang) {
		return invalidQuery(FieldError{Field: "language", Code: "oneof", Message: "one of zh en es pt"})
	}
	var req touchpointTemplateRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	exp := time.Now().UTC().Add(48 * time.Hour)
	sample := ordercare.Shipment{TrackingNumber: "TRK0000000001", Carrier: "Carrier", ExpectedAt: &exp}
	if _, err := ordercare.RenderTouchpoint(m, tp, lang, req.Text, sample, time.UTC); err != nil {
		return guardProblem(err)
	}
	if err := st.PutTouchpointTemplate(c.Request().Context(), m, c.Param("shop"), string(tp), lang, req.Text); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"marketplace": m, "shop_id": c.Param("shop"), "touchpoint": tp, "language": lang, "text": req.Text})
}

func slicesContains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func guardProblem(err error) error {
	var gerr *ordercare.GuardError
	if errors.As(err, &gerr) {
		code := "guard_rejected"
		if len(gerr.Verdict.Violations) == 0 {
			code = "guard_doubts"
		}
		p := newProblem(http.StatusUnprocessableEntity, code, gerr.Error())
		p.Details = gerr.Verdict
		return p
	}
	return newProblem(http.StatusUnprocessableEntity, "template_invalid", err.Error())
}

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
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req orderEventRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
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

func (s *Server) listPreemptiveTasks(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	f := store.PreemptiveFilter{Status: c.QueryParam("status"), Marketplace: cases.Marketplace(c.QueryParam("marketplace")),
		ShopID: c.QueryParam("shop_id"), OrderID: c.QueryParam("order_id")}
	if f.Status != "" && f.Status != "open" && f.Status != "done" {
		return invalidQuery(FieldError{Field: "status", Code: "oneof", Message: "open or done"})
	}
	items, err := st.ListPreemptiveTasks(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

type completePreemptiveRequest struct {
	Note string `json:"note" validate:"required,max=2000"`
}

func (s *Server) completePreemptiveTask(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req completePreemptiveRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	t, err := st.CompletePreemptiveTask(c.Request().Context(), c.Param("id"), caller(c).Name, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type buyerMessageRequest struct {
	Marketplace cases.Marketplace `json:"marketplace" validate:"required,marketplace"`
	ShopID      string            `json:"shop_id" validate:"required,max=100"`
	ExternalID  string            `json:"external_id" validate:"required,max=200"`
	Kind        string            `json:"kind" validate:"required,oneof=question message"`
	OrderID     string            `json:"order_id" validate:"required_if=Kind message,max=100"`
	ItemID      string            `json:"item_id" validate:"max=100"`
	BuyerID     string            `json:"buyer_id" validate:"max=100"`
	Text        string            `json:"text" validate:"required,max=10000"`
	ReceivedAt  *time.Time        `json:"received_at"`
}

// postBuyerMessage puts a buyer message or listing question in the message
// centre, with its deadline. A message on an order with an open case is part
// of that case (forwarded as the buyer's reply); one on an order under care
// reaches its workflow, which watches for an angry buyer.
func (s *Server) postBuyerMessage(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req buyerMessageRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	received := time.Now().UTC()
	if req.ReceivedAt != nil {
		received = req.ReceivedAt.UTC()
	}
	msg := ordercare.NewMessage(req.Marketplace, req.ShopID, req.ExternalID, req.Kind, req.OrderID, req.ItemID, req.BuyerID, req.Text, received)
	got, first, err := st.AddBuyerMessage(ctx, msg)
	if err != nil {
		return err
	}
	if first && req.OrderID != "" {
		if cs, err := s.store.FindCaseByOrder(ctx, req.Marketplace, req.ShopID, req.OrderID); err == nil && cs.Status == cases.StatusOpen {
			if err := s.forwardToCase(ctx, cs.ID, got, caller(c)); err == nil {
				got, _ = st.LinkBuyerMessageToCase(ctx, got.ID, cs.ID)
			} else {
				s.log.WarnContext(ctx, "message not forwarded to its case", "case", cs.ID, "error", err)
			}
		}
		tctx, cancel := s.temporalContext(ctx)
		err := s.temporal.SignalWorkflow(tctx, ordercare.WorkflowID(req.Marketplace, req.ShopID, req.OrderID), "",
			ordercare.SignalBuyerMessage, ordercare.BuyerMessage{MessageID: got.ID, Text: req.Text, At: received})
		cancel()
		var nf *serviceerror.NotFound
		if err != nil && !errors.As(err, &nf) {
			s.log.WarnContext(ctx, "message not signalled to order care", "order", req.OrderID, "error", err)
		}
	}
	status := http.StatusOK
	if first {
		status = http.StatusCreated
	}
	return c.JSON(status, messageView(got, time.Now()))
}

func (s *Server) forwardToCase(ctx context.Context, caseID string, m store.BuyerMessage, p principal) error {
	reply := workflows.BuyerReply{MessageID: m.ID, Text: m.Text, At: m.ReceivedAt, Source: "message_centre", Actor: p.actor()}
	_, err := s.updateCase(ctx, caseID, workflows.UpdateBuyerReply, workflows.UpdateBuyerReply+"/"+m.ID, reply)
	return err
}

// messageItem is a message with its time left (negative: overdue).
type messageItem struct {
	store.BuyerMessage
	TimeLeftSeconds int64 `json:"time_left_seconds"`
	Overdue         bool  `json:"overdue"`
}

func messageView(m store.BuyerMessage, now time.Time) messageItem {
	left := m.DueAt.Sub(now)
	if m.AnsweredAt != nil {
		left = m.DueAt.Sub(*m.AnsweredAt)
	}
	return messageItem{BuyerMessage: m, TimeLeftSeconds: int64(left / time.Second), Overdue: left < 0}
}

func (s *Server) listBuyerMessages(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	f := store.MessageFilter{Status: c.QueryParam("status"), Marketplace: cases.Marketplace(c.QueryParam("marketplace")),
		ShopID: c.QueryParam("shop_id"), Kind: c.QueryParam("kind"), GroupKey: c.QueryParam("group_key"), OrderID: c.QueryParam("order_id")}
	if f.Status == "" {
		f.Status = "open"
	}
	if f.Status == "all" {
		f.Status = ""
	}
	if f.Status != "" && f.Status != "open" && f.Status != "answered" && f.Status != "escalated" {
		return invalidQuery(FieldError{Field: "status", Code: "oneof", Message: "open, answered, escalated or all"})
	}
	items, err := st.ListBuyerMessages(c.Request().Context(), f)
	if err != nil {
		return err
	}
	now := time.Now()
	out := make([]messageItem, 0, len(items))
	for _, m := range items {
		out = append(out, messageView(m, now))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

func (s *Server) getBuyerMessage(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	m, err := st.GetBuyerMessage(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, messageView(m, time.Now()))
}

type answerRequest struct {
	Text            string `json:"text" validate:"max=2000"`
	QuickReplyID    string `json:"quick_reply_id" validate:"max=100"`
	ManualReference string `json:"manual_reference" validate:"max=200"`
	// ApproveDoubts: a manager sends a text the guard is unsure about.
	ApproveDoubts bool `json:"approve_doubts"`
}

func (s *Server) answerBuyerMessage(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req answerRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := st.GetBuyerMessage(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	text, err := s.answerText(ctx, st, m, req)
	if err != nil {
		return err
	}
	answered, err := s.sendAnswer(ctx, st, m, text, req, caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, messageView(answered, time.Now()))
}

func (s *Server) answerText(ctx context.Context, st OrderCareStore, m store.BuyerMessage, req answerRequest) (string, error) {
	if req.Text != "" {
		return req.Text, nil
	}
	if req.QuickReplyID == "" {
		return "", invalidBody(FieldError{Field: "text", Code: "required", Message: "text or quick_reply_id is required"})
	}
	if q, ok := ordercare.BuiltInQuickReply(req.QuickReplyID); ok {
		return q.Text, nil
	}
	qs, err := st.ListQuickReplies(ctx, m.Marketplace, m.ShopID, "")
	if err != nil {
		return "", err
	}
	for _, q := range qs {
		if q.ID == req.QuickReplyID {
			return q.Text, nil
		}
	}
	return "", invalidBody(FieldError{Field: "quick_reply_id", Code: "unknown", Message: "no such quick reply for this shop"})
}

// sendAnswer screens the text and answers on the platform where its API
// allows (Mercado Libre and eBay post-sale messages; listing questions where
// the connector answers them); elsewhere (Amazon buyer messages, Taobao) a
// person answers in the seller console and records the reference.
func (s *Server) sendAnswer(ctx context.Context, st OrderCareStore, m store.BuyerMessage, text string, req answerRequest, p principal) (store.BuyerMessage, error) {
	if m.Status == "answered" {
		return store.BuyerMessage{}, newProblem(http.StatusConflict, codeConflict, "the message is already answered")
	}
	rules, kind := ordercare.AnswerRules(m.Marketplace, m.Kind)
	v := cases.ScreenText(rules, kind, text, cases.GuardContext{OrderID: m.OrderID, BuyerID: m.BuyerID})
	if len(v.Violations) > 0 || (len(v.Doubts) > 0 && !(req.ApproveDoubts && (p.Role == cases.RoleManager || p.Role == cases.RoleAdmin))) {
		return store.BuyerMessage{}, guardProblem(&ordercare.GuardError{Verdict: v})
	}
	a := store.Answer{Text: text, By: p.Name, At: time.Now().UTC()}
	switch {
	case req.ManualReference != "":
		a.Via, a.Ref = "manual", req.ManualReference
	default:
		ref, err := s.answerOnPlatform(ctx, m, text)
		if err != nil {
			return store.BuyerMessage{}, err
		}
		a.Via, a.Ref = "api", ref
	}
	return st.AnswerBuyerMessage(ctx, m.ID, a)
}

func (s *Server) answerOnPlatform(ctx context.Context, m store.BuyerMessage, text string) (string, error) {
	if s.markets == nil {
		return "", newProblem(http.StatusServiceUnavailable, "no_connectors", "no marketplace connectors are configured")
	}
	conn, err := s.markets.Get(m.Marketplace)
	if err != nil {
		return "", err
	}
	manual := func(why string) error {
		return newProblem(http.StatusUnprocessableEntity, "manual_reference_required", why+"; answer in the seller console and send manual_reference")
	}
	var w marketplace.WriteResult
	switch {
	case m.Kind == ordercare.KindQuestion:
		qa, ok := conn.(marketplace.QuestionAnswerer)
		if !ok {
			return "", manual(string(m.Marketplace) + " listing questions have no answer operation in Redress")
		}
		w, err = qa.AnswerQuestion(ctx, m.ShopID, m.ItemID, m.ExternalID, text)
	case m.Marketplace == cases.Amazon:
		return "", manual("SP-API has no operation to reply to a buyer's message (Buyer-Seller Messaging in Seller Central)")
	case !conn.Caps().MessageAPI:
		return "", manual(string(m.Marketplace) + " has no message API")
	default:
		w, err = conn.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: m.ShopID, OrderID: m.OrderID, BuyerID: m.BuyerID,
			Text: text, Language: m.Language, IdempotencyKey: "bm:" + m.ID})
	}
	if err != nil {
		if marketplace.ClassOf(err) == cases.ErrPermanent {
			return "", newProblem(http.StatusUnprocessableEntity, "platform_refused", err.Error())
		}
		return "", newProblem(http.StatusBadGateway, "marketplace_unavailable", err.Error())
	}
	return w.ID, nil
}

type batchAnswerRequest struct {
	IDs          []string `json:"ids" validate:"required,min=1,max=100,dive,required"`
	Text         string   `json:"text" validate:"max=2000"`
	QuickReplyID string   `json:"quick_reply_id" validate:"max=100"`
}

type batchResult struct {
	ID      string       `json:"id"`
	OK      bool         `json:"ok"`
	Message *messageItem `json:"message,omitempty"`
	Problem *Problem     `json:"problem,omitempty"`
}

// batchAnswer answers similar questions with one text; each is screened and
// sent on its own, and the result says which went out.
func (s *Server) batchAnswer(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req batchAnswerRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	out := make([]batchResult, 0, len(req.IDs))
	for _, id := range req.IDs {
		r := batchResult{ID: id}
		m, err := st.GetBuyerMessage(ctx, id)
		if err == nil {
			var text string
			if text, err = s.answerText(ctx, st, m, answerRequest{Text: req.Text, QuickReplyID: req.QuickReplyID}); err == nil {
				m, err = s.sendAnswer(ctx, st, m, text, answerRequest{}, caller(c))
			}
		}
		if err != nil {
			r.Problem = s.toProblem(err)
		} else {
			v := messageView(m, time.Now())
			r.OK, r.Message = true, &v
		}
		out = append(out, r)
	}
	return c.JSON(http.StatusOK, map[string]any{"results": out})
}

type escalateRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// escalateBuyerMessage makes a message part of its order's open case, or —
// a case is opened by a review, and there is none yet — raises a
// pre-emptive task on the order for an agent to act on before the buyer rates.
func (s *Server) escalateBuyerMessage(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req escalateRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := st.GetBuyerMessage(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if m.OrderID != "" {
		if cs, err := s.store.FindCaseByOrder(ctx, m.Marketplace, m.ShopID, m.OrderID); err == nil && cs.Status == cases.StatusOpen {
			if m.CaseID == "" {
				if err := s.forwardToCase(ctx, cs.ID, m, caller(c)); err != nil {
					return err
				}
			}
			m, err = st.LinkBuyerMessageToCase(ctx, m.ID, cs.ID)
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, map[string]any{"message": messageView(m, time.Now()), "case_id": cs.ID})
		}
	}
	order := m.OrderID
	if order == "" {
		order = "item-" + m.ItemID
	}
	ev, _ := json.Marshal(map[string]string{"message_id": m.ID, "text": m.Text, "reason": req.Reason, "escalated_by": caller(c).Name})
	t := store.PreemptiveTask{ID: ordercare.PreemptiveTaskID(m.Marketplace, m.ShopID, order, "escalated_message-"+m.ID),
		OrderKey: ordercare.OrderKey(m.Marketplace, m.ShopID, order), Marketplace: m.Marketplace, ShopID: m.ShopID, OrderID: order,
		WorkflowID: ordercare.WorkflowID(m.Marketplace, m.ShopID, order), Signal: "escalated_message-" + m.ID,
		Summary: "escalated from the message centre: " + req.Reason, Evidence: ev, RaisedAt: time.Now().UTC()}
	if _, err := st.RaisePreemptiveTask(ctx, t); err != nil {
		return err
	}
	m, err = st.LinkBuyerMessageToCase(ctx, m.ID, "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"message": messageView(m, time.Now()), "preemptive_task_id": t.ID})
}

type quickReplyView struct {
	ID          string            `json:"id"`
	Marketplace cases.Marketplace `json:"marketplace,omitempty"`
	ShopID      string            `json:"shop_id,omitempty"`
	Name        string            `json:"name"`
	Language    string            `json:"language"`
	Text        string            `json:"text"`
	BuiltIn     bool              `json:"built_in"`
	Verdict     cases.Verdict     `json:"verdict"`
}

// listQuickReplies lists the built-in and the shop's quick replies for a
// marketplace, each with the guard's verdict on that marketplace.
func (s *Server) listQuickReplies(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	m := cases.Marketplace(c.QueryParam("marketplace"))
	if !m.Valid() {
		return invalidQuery(FieldError{Field: "marketplace", Code: "marketplace", Message: "a marketplace is required"})
	}
	lang := c.QueryParam("language")
	rules, kind := ordercare.AnswerRules(m, ordercare.KindMessage)
	out := []quickReplyView{}
	for _, q := range ordercare.BuiltInQuickReplies {
		if lang != "" && q.Language != lang {
			continue
		}
		out = append(out, quickReplyView{ID: q.ID, Name: q.Name, Language: q.Language, Text: q.Text, BuiltIn: true,
			Verdict: cases.ScreenText(rules, kind, q.Text, cases.GuardContext{})})
	}
	own, err := st.ListQuickReplies(c.Request().Context(), m, c.QueryParam("shop_id"), lang)
	if err != nil {
		return err
	}
	for _, q := range own {
		out = append(out, quickReplyView{ID: q.ID, Marketplace: q.Marketplace, ShopID: q.ShopID, Name: q.Name, Language: q.Language,
			Text: q.Text, Verdict: cases.ScreenText(rules, kind, q.Text, cases.GuardContext{})})
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

type quickReplyRequest struct {
	Marketplace cases.Marketplace `json:"marketplace" validate:"required,marketplace"`
	ShopID      string            `json:"shop_id" validate:"max=100"`
	Language    string            `json:"language" validate:"required,oneof=zh en es pt"`
	Name        string            `json:"name" validate:"required,max=100"`
	Text        string            `json:"text" validate:"required,max=2000"`
}

func (s *Server) addQuickReply(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	var req quickReplyRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	rules, kind := ordercare.AnswerRules(req.Marketplace, ordercare.KindMessage)
	if v := cases.ScreenText(rules, kind, req.Text, cases.GuardContext{}); !v.Clean() {
		return guardProblem(&ordercare.GuardError{Verdict: v})
	}
	sum := sha256.Sum256([]byte(string(req.Marketplace) + "\x00" + req.ShopID + "\x00" + req.Language + "\x00" + req.Name + "\x00" + idempotencyKey(c)))
	q, err := st.AddQuickReply(c.Request().Context(), store.QuickReply{ID: "qr-" + hex.EncodeToString(sum[:8]),
		Marketplace: req.Marketplace, ShopID: req.ShopID, Language: req.Language, Name: strings.TrimSpace(req.Name),
		Text: req.Text, CreatedBy: caller(c).Name})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, q)
}

// orderCareReport is the weekly report's order-care part: touchpoints per
// shop, the message response-time distribution against the deadline, and
// per shop the bad-review rate of orders with and without touchpoints.
func (s *Server) orderCareReport(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	to := time.Now().UTC()
	from := to.Add(-7 * 24 * time.Hour)
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := c.QueryParam(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return invalidQuery(FieldError{Field: name, Code: "datetime", Message: "an RFC 3339 time"})
			}
			*dst = t
		}
	}
	ctx := c.Request().Context()
	tps, err := st.TouchpointStats(ctx, from, to)
	if err != nil {
		return err
	}
	resp, err := st.MessageResponseTimes(ctx, from, to)
	if err != nil {
		return err
	}
	rates, err := st.CareBadReviewRates(ctx, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"from": from, "to": to, "touchpoints": tps, "message_response_times": resp, "bad_review_rates": rates})
}
