// Order-care shop settings: the allowances per marketplace, a shop's order-care
// settings and its touchpoint templates.

package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
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

// ocStoreAndBody starts an order-care handler that takes a JSON body: the
// store first, then the decoded body in req.
func (s *Server) ocStoreAndBody(c echo.Context, req any) (OrderCareStore, error) {
	st, err := s.ocStore()
	if err != nil {
		return nil, err
	}
	if err := s.decodeJSON(c, req, false); err != nil {
		return nil, err
	}
	return st, nil
}

// ocStoreAndMarketplace starts a handler on a shop's path
// (/v1/shops/:marketplace/:shop/...): the store, then the marketplace.
func (s *Server) ocStoreAndMarketplace(c echo.Context) (OrderCareStore, cases.Marketplace, error) {
	st, err := s.ocStore()
	if err != nil {
		return nil, "", err
	}
	m, err := marketplaceOf(c)
	if err != nil {
		return nil, "", err
	}
	if err := s.shopInScope(c.Request().Context(), m, c.Param("shop")); err != nil {
		return nil, "", err
	}
	return st, m, nil
}

func (s *Server) orderCareAllowances(c echo.Context) error {
	out := map[cases.Marketplace][]ordercare.Allowance{}
	for _, m := range cases.Marketplaces {
		out[m] = ordercare.Allowances(m)
	}
	return c.JSON(http.StatusOK, map[string]any{"allowances": out})
}

func (s *Server) getOrderCareShop(c echo.Context) error {
	st, m, err := s.ocStoreAndMarketplace(c)
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
	st, m, err := s.ocStoreAndMarketplace(c)
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
	st, m, err := s.ocStoreAndMarketplace(c)
	if err != nil {
		return err
	}
	tp := ordercare.Touchpoint(c.Param("touchpoint"))
	if a := ordercare.AllowanceFor(m, tp); a.Channel != ordercare.ChannelMessage {
		return newProblem(http.StatusUnprocessableEntity, "touchpoint_not_allowed", a.Why)
	}
	lang := c.Param("language")
	if !slices.Contains(cases.Languages, lang) {
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
