// The message centre: buyer messages and listing questions in, listed, read
// and escalated.

package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/serviceerror"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

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
	var req buyerMessageRequest
	st, err := s.ocStoreAndBody(c, &req)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.shopInScope(ctx, req.Marketplace, req.ShopID); err != nil {
		return err
	}
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
		if cs, open := s.openCaseOf(ctx, req.Marketplace, req.ShopID, req.OrderID); open {
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

// openCaseOf is the order's case while it is open.
func (s *Server) openCaseOf(ctx context.Context, m cases.Marketplace, shopID, orderID string) (cases.Case, bool) {
	cs, err := s.store.FindCaseByOrder(ctx, m, shopID, orderID)
	return cs, err == nil && cs.Status == cases.StatusOpen
}

// messageAndBody starts a handler on /v1/messages/:id that takes a JSON
// body: the store, the decoded body in req, then the message.
func (s *Server) messageAndBody(c echo.Context, req any) (OrderCareStore, store.BuyerMessage, error) {
	st, err := s.ocStoreAndBody(c, req)
	if err != nil {
		return nil, store.BuyerMessage{}, err
	}
	m, err := st.GetBuyerMessage(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, store.BuyerMessage{}, err
	}
	return st, m, nil
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

type escalateRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// escalateBuyerMessage makes a message part of its order's open case, or —
// a case is opened by a review, and there is none yet — raises a
// pre-emptive task on the order for an agent to act on before the buyer rates.
func (s *Server) escalateBuyerMessage(c echo.Context) error {
	var req escalateRequest
	st, m, err := s.messageAndBody(c, &req)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if m.OrderID != "" {
		if cs, open := s.openCaseOf(ctx, m.Marketplace, m.ShopID, m.OrderID); open {
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
