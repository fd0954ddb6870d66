package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// TemplateStore keeps the sellers' templates; *store.Store satisfies it.
type TemplateStore interface {
	SaveTemplate(ctx context.Context, t store.MessageTemplate, by string) (store.MessageTemplate, error)
	WithdrawTemplate(ctx context.Context, orgID, id, by string) (store.MessageTemplate, error)
	GetTemplate(ctx context.Context, orgID, id string) (store.MessageTemplate, error)
	TemplateVersions(ctx context.Context, orgID, id string) ([]store.TemplateVersion, error)
	ListTemplates(ctx context.Context, f store.TemplateFilter) ([]store.MessageTemplate, error)
	SellerTexts(ctx context.Context, m cases.Marketplace, shopID string) (cases.SellerTexts, error)
}

var _ TemplateStore = (*store.Store)(nil)

const codeTemplateRefused = "template_refused"

type templateRequest struct {
	Marketplace string `json:"marketplace" validate:"required,marketplace"`
	Purpose     string `json:"purpose" validate:"required,oneof=first_contact remedy_offer follow_up public_reply appeal"`
	Issue       string `json:"issue" validate:"omitempty,issue"`
	Language    string `json:"language" validate:"required,oneof=en es pt zh"`
	Body        string `json:"body" validate:"required,max=4000"`
	// ShopID, when given, signs the screened text with that shop's display name.
	ShopID string `json:"shop_id" validate:"max=200"`
}

// savedTemplate is a template with what a person will be asked to approve when it is sent.
type savedTemplate struct {
	store.MessageTemplate
	Doubts []cases.Violation `json:"doubts"`
}

// templateWithVersions is one template and its history.
type templateWithVersions struct {
	store.MessageTemplate
	Versions []store.TemplateVersion `json:"versions"`
}

func (s *Server) templateStore() (TemplateStore, error) {
	st, ok := s.store.(TemplateStore)
	if !ok {
		return nil, newProblem(http.StatusNotImplemented, "not_implemented", "this server's store has no templates")
	}
	return st, nil
}

// saveTemplate screens the body with the compliance guard and the
// platform's limits, filled in for every case it can serve, and refuses
// one that could never be sent (422 template_refused, each reason a code).
func (s *Server) saveTemplate(c echo.Context) error {
	st, err := s.templateStore()
	if err != nil {
		return err
	}
	var req templateRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	m := cases.Marketplace(req.Marketplace)
	shopName := "Shop"
	if req.ShopID != "" {
		if texts, err := st.SellerTexts(ctx, m, req.ShopID); err == nil {
			shopName = texts.ShopName
		}
	}
	t := cases.SellerTemplate{Purpose: cases.TemplatePurpose(req.Purpose), Issue: cases.Issue(req.Issue), Language: req.Language, Body: req.Body}
	refused, doubts := cases.CheckSellerTemplate(t, m, shopName)
	if len(refused) > 0 {
		return templateRefused(refused)
	}
	saved, err := st.SaveTemplate(ctx, store.MessageTemplate{
		OrgID: orgOfCaller(c), Marketplace: m, Purpose: t.Purpose, Issue: t.Issue, Language: t.Language, Body: t.Body,
	}, caller(c).Name)
	if err != nil {
		return err
	}
	if doubts == nil {
		doubts = []cases.Violation{}
	}
	return c.JSON(http.StatusOK, savedTemplate{MessageTemplate: saved, Doubts: doubts})
}

func templateRefused(vs []cases.Violation) *Problem {
	p := newProblem(http.StatusUnprocessableEntity, codeTemplateRefused, "the template could never be sent: "+vs[0].Message)
	for _, v := range vs {
		p.Errors = append(p.Errors, FieldError{Field: "body", Code: v.Rule, Message: v.Message})
	}
	return p
}

func (s *Server) listTemplates(c echo.Context) error {
	st, err := s.templateStore()
	if err != nil {
		return err
	}
	f := store.TemplateFilter{OrgID: orgOfCaller(c), Marketplace: cases.Marketplace(c.QueryParam("marketplace")),
		Purpose: cases.TemplatePurpose(c.QueryParam("purpose")), Language: c.QueryParam("language")}
	list, err := st.ListTemplates(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

func (s *Server) getTemplate(c echo.Context) error {
	st, err := s.templateStore()
	if err != nil {
		return err
	}
	ctx, org := c.Request().Context(), orgOfCaller(c)
	t, err := st.GetTemplate(ctx, org, c.Param("id"))
	if err != nil {
		return err
	}
	versions, err := st.TemplateVersions(ctx, org, t.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, templateWithVersions{MessageTemplate: t, Versions: versions})
}

// withdrawTemplate makes new cases use the shipped text again.
func (s *Server) withdrawTemplate(c echo.Context) error {
	st, err := s.templateStore()
	if err != nil {
		return err
	}
	t, err := st.WithdrawTemplate(c.Request().Context(), orgOfCaller(c), c.Param("id"), caller(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type previewRequest struct {
	CaseID string `json:"case_id" validate:"required,max=200"`
	// Remedy and Amount fill a remedy offer (default: a coupon of 10.00).
	Remedy string      `json:"remedy" validate:"omitempty,max=50"`
	Amount cases.Money `json:"amount" validate:"min=0"`
}

type previewAnswer struct {
	Text    string        `json:"text"`
	Verdict cases.Verdict `json:"verdict"`
	// Used says whether the case would get the template, or the shipped
	// text because the template does not fit it.
	Used bool `json:"used"`
	// TemplateID and Version name the seller's template the text comes from.
	TemplateID string `json:"template_id,omitempty"`
	Version    int    `json:"version,omitempty"`
	// Refused lists why a draft could never be saved (previewDraft only).
	Refused []cases.Violation `json:"refused,omitempty"`
}

// renderForCase renders the purpose for a case from the given templates
// (the shipped text when none fits), as the case's workflow would, with
// the guard's verdict on the result.
func renderForCase(kase cases.Case, shopName string, own []cases.SellerTemplate, p cases.TemplatePurpose, remedy cases.RemedyType, amount cases.Money) (previewAnswer, error) {
	v := cases.TemplateVars{Issue: kase.Issue, Remedy: remedy, Amount: amount, Currency: kase.Currency, ShopName: shopName}
	if p == cases.PurposeRemedyOffer && v.Remedy == "" {
		v.Remedy, v.Amount = cases.RemedyCoupon, 1000
	}
	text, used, err := cases.RenderWith(own, p, kase.Marketplace, kase.Language, v)
	if err != nil {
		return previewAnswer{}, newProblem(http.StatusUnprocessableEntity, codeTemplateRefused, err.Error())
	}
	gc := cases.GuardContext{BuyerName: kase.BuyerName, BuyerID: kase.BuyerID, OrderID: kase.OrderID, OffersRemedy: p == cases.PurposeRemedyOffer}
	out := previewAnswer{Text: text, Verdict: cases.ScreenText(cases.RulesFor(kase.Marketplace), p.Kind(), text, gc)}
	if used != nil {
		out.Used, out.TemplateID, out.Version = true, used.ID, used.Version
	}
	return out, nil
}

// previewTemplate renders a template's current version for a case, as the
// case's workflow would.
func (s *Server) previewTemplate(c echo.Context) error {
	st, err := s.templateStore()
	if err != nil {
		return err
	}
	var req previewRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx, org := c.Request().Context(), orgOfCaller(c)
	t, err := st.GetTemplate(ctx, org, c.Param("id"))
	if err != nil {
		return err
	}
	kase, err := s.store.GetCase(ctx, req.CaseID)
	if err != nil {
		return err
	}
	if kase.Marketplace != t.Marketplace {
		return newProblem(http.StatusUnprocessableEntity, codeValidationFailed,
			"the template is for "+string(t.Marketplace)+", the case is on "+string(kase.Marketplace))
	}
	texts, err := st.SellerTexts(ctx, kase.Marketplace, kase.ShopID)
	if err != nil {
		return err
	}
	if t.Issue != "" && t.Issue != kase.Issue {
		return newProblem(http.StatusUnprocessableEntity, codeValidationFailed, "the template is for "+string(t.Issue)+" cases, this one is "+string(kase.Issue))
	}
	out, err := renderForCase(kase, texts.ShopName, []cases.SellerTemplate{t.Seller()}, t.Purpose, cases.RemedyType(req.Remedy), req.Amount)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type draftPreviewRequest struct {
	CaseID  string `json:"case_id" validate:"required,max=200"`
	Purpose string `json:"purpose" validate:"required,oneof=first_contact remedy_offer follow_up public_reply appeal"`
	// Body is a draft to try on the case; empty: what the case gets now.
	Body   string      `json:"body" validate:"max=4000"`
	Remedy string      `json:"remedy" validate:"omitempty,max=50"`
	Amount cases.Money `json:"amount" validate:"min=0"`
}

// previewDraft renders, for a case, either a draft not yet saved (with
// the reasons it would be refused at save) or, without a body, the text
// the case gets now: the organisation's template when one fits, else the
// shipped one.
func (s *Server) previewDraft(c echo.Context) error {
	st, err := s.templateStore()
	if err != nil {
		return err
	}
	var req draftPreviewRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	kase, err := s.store.GetCase(ctx, req.CaseID)
	if err != nil {
		return err
	}
	texts, err := st.SellerTexts(ctx, kase.Marketplace, kase.ShopID)
	if err != nil {
		return err
	}
	p := cases.TemplatePurpose(req.Purpose)
	own := texts.Templates
	var refused []cases.Violation
	if req.Body != "" {
		draft := cases.SellerTemplate{ID: "draft", Purpose: p, Issue: kase.Issue,
			Language: cases.RenderLanguage(p, kase.Marketplace, kase.Language), Body: req.Body}
		refused, _ = cases.CheckSellerTemplate(draft, kase.Marketplace, texts.ShopName)
		own = []cases.SellerTemplate{draft}
	}
	out, err := renderForCase(kase, texts.ShopName, own, p, cases.RemedyType(req.Remedy), req.Amount)
	if err != nil {
		return err
	}
	out.Refused = refused
	return c.JSON(http.StatusOK, out)
}
