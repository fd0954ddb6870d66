// Quick replies: the built-in and the shops' texts agents answer with.

package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
)

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
	var req quickReplyRequest
	st, err := s.ocStoreAndBody(c, &req)
	if err != nil {
		return err
	}
	if req.ShopID != "" {
		if err := s.shopInScope(c.Request().Context(), req.Marketplace, req.ShopID); err != nil {
			return err
		}
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
