package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// OrgStore is what the organisation, shop, user and token endpoints need;
// *store.Store satisfies it.
type OrgStore interface {
	CreateOrganisation(ctx context.Context, id, name string) (store.Organisation, error)
	ListOrganisations(ctx context.Context) ([]store.Organisation, error)
	SetOrganisationRetention(ctx context.Context, id string, days *int) (store.Organisation, error)
	CreateShop(ctx context.Context, sh store.Shop) (store.Shop, error)
	GetShop(ctx context.Context, m cases.Marketplace, shopID string) (store.Shop, error)
	ListShops(ctx context.Context) ([]store.Shop, error)
	UpdateShop(ctx context.Context, m cases.Marketplace, shopID string, p store.ShopPatch) (store.Shop, error)
	SetShopCredentials(ctx context.Context, m cases.Marketplace, shopID string, creds store.ShopCredentials) error
	CreateUser(ctx context.Context, spec store.UserSpec) (store.User, error)
	GetUser(ctx context.Context, id string) (store.User, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	UpdateUser(ctx context.Context, id string, p store.UserPatch) (store.User, error)
	SetPassword(ctx context.Context, id, password string) error
	CreateTokenFor(ctx context.Context, spec store.TokenSpec, tokenHash string) (store.Token, error)
	ListTokens(ctx context.Context) ([]store.Token, error)
	RevokeTokenOf(ctx context.Context, id string) (store.Token, error)
	UserByPassword(ctx context.Context, email, password string) (store.User, error)
	RecordAdminEvent(ctx context.Context, ev store.AdminEvent) error
	ListAdminEvents(ctx context.Context, beforeID int64, limit int) ([]store.AdminEvent, error)
}

var _ OrgStore = (*store.Store)(nil)

func (s *Server) orgStore() (OrgStore, error) {
	st, ok := s.store.(OrgStore)
	if !ok {
		return nil, newProblem(http.StatusNotImplemented, "not_implemented", "this server's store has no organisations")
	}
	return st, nil
}

// shopRequest registers a shop; org_id is for the deployment's admin only
// (an organisation's people register shops in their own organisation).
type shopRequest struct {
	OrgID         string         `json:"org_id" validate:"omitempty,max=63"`
	Marketplace   string         `json:"marketplace" validate:"required,marketplace"`
	ShopID        string         `json:"shop_id" validate:"required,max=100"`
	DisplayName   string         `json:"display_name" validate:"max=200"`
	Site          string         `json:"site" validate:"max=20"`
	Currency      string         `json:"currency" validate:"omitempty,len=3"`
	TimeZone      string         `json:"time_zone" validate:"max=100"`
	BusinessHours store.Calendar `json:"business_hours"`
	Enabled       *bool          `json:"enabled"`
	Poll          *bool          `json:"poll"`
	Policy        store.Policy   `json:"policy"`
}

// shopPatchRequest changes a shop; absent fields stay as they are, a
// policy value of -1 goes back to the deployment's default.
type shopPatchRequest struct {
	DisplayName   *string         `json:"display_name" validate:"omitempty,max=200"`
	Site          *string         `json:"site" validate:"omitempty,max=20"`
	Currency      *string         `json:"currency" validate:"omitempty,len=3"`
	TimeZone      *string         `json:"time_zone" validate:"omitempty,max=100"`
	BusinessHours *store.Calendar `json:"business_hours"`
	Enabled       *bool           `json:"enabled"`
	Poll          *bool           `json:"poll"`
	Policy        *store.Policy   `json:"policy"`
}

func (s *Server) listShops(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	shops, err := st.ListShops(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": shops})
}

func (s *Server) createShop(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req shopRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	sh := store.Shop{OrgID: req.OrgID, Marketplace: cases.Marketplace(req.Marketplace), ShopID: req.ShopID,
		DisplayName: req.DisplayName, Site: req.Site, Currency: req.Currency, TimeZone: req.TimeZone,
		BusinessHours: req.BusinessHours, Enabled: valueOr(req.Enabled, true), Poll: valueOr(req.Poll, true), Policy: req.Policy}
	out, err := st.CreateShop(ctx, sh)
	if err != nil {
		return fmt.Errorf("create shop: %w", err)
	}
	if err := s.audit(c, out.OrgID, "shop.created", out.Key(), out); err != nil {
		return err
	}
	s.pollShopNow(ctx, out)
	c.Response().Header().Set(echo.HeaderLocation, "/v1/shops/"+string(out.Marketplace)+"/"+out.ShopID)
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) getShop(c echo.Context) error {
	st, m, err := s.orgStoreAndShop(c)
	if err != nil {
		return err
	}
	sh, err := st.GetShop(c.Request().Context(), m, c.Param("shop"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sh)
}

func (s *Server) patchShop(c echo.Context) error {
	st, m, err := s.orgStoreAndShop(c)
	if err != nil {
		return err
	}
	var req shopPatchRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	return s.changeShop(c, st, m, store.ShopPatch{DisplayName: req.DisplayName, Site: req.Site, Currency: req.Currency,
		TimeZone: req.TimeZone, BusinessHours: req.BusinessHours, Enabled: req.Enabled, Poll: req.Poll, Policy: req.Policy}, req)
}

// disableShop stops a shop: no more polling, its schedule goes; its cases
// run on.
func (s *Server) disableShop(c echo.Context) error {
	st, m, err := s.orgStoreAndShop(c)
	if err != nil {
		return err
	}
	if err := s.decodeJSON(c, &struct{}{}, true); err != nil {
		return err
	}
	off := false
	return s.changeShop(c, st, m, store.ShopPatch{Enabled: &off}, map[string]bool{"enabled": false})
}

func (s *Server) changeShop(c echo.Context, st OrgStore, m cases.Marketplace, p store.ShopPatch, detail any) error {
	ctx := c.Request().Context()
	out, err := st.UpdateShop(ctx, m, c.Param("shop"), p)
	if err != nil {
		return err
	}
	if err := s.audit(c, out.OrgID, "shop.changed", out.Key(), detail); err != nil {
		return err
	}
	s.pollShopNow(ctx, out)
	return c.JSON(http.StatusOK, out)
}

// orgStoreAndShop starts a handler on /v1/shops/:marketplace/:shop.
func (s *Server) orgStoreAndShop(c echo.Context) (OrgStore, cases.Marketplace, error) {
	st, err := s.orgStore()
	if err != nil {
		return nil, "", err
	}
	m, err := marketplaceOf(c)
	if err != nil {
		return nil, "", err
	}
	return st, m, nil
}

func valueOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// audit appends to the organisation's admin trail; detail is kept as JSON
// (never a secret: callers pass what they changed, not credentials).
func (s *Server) audit(c echo.Context, orgID, action, target string, detail any) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return st.RecordAdminEvent(c.Request().Context(), store.AdminEvent{OrgID: orgID, Actor: caller(c).Name,
		Action: action, Target: target, Detail: b})
}
