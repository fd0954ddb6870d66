// Answering buyer messages, one at a time or in a batch.

package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
)

type answerRequest struct {
	Text            string `json:"text" validate:"max=2000"`
	QuickReplyID    string `json:"quick_reply_id" validate:"max=100"`
	ManualReference string `json:"manual_reference" validate:"max=200"`
	// ApproveDoubts: a manager sends a text the guard is unsure about.
	ApproveDoubts bool `json:"approve_doubts"`
}

func (s *Server) answerBuyerMessage(c echo.Context) error {
	var req answerRequest
	st, m, err := s.messageAndBody(c, &req)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
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
	var req batchAnswerRequest
	st, err := s.ocStoreAndBody(c, &req)
	if err != nil {
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
