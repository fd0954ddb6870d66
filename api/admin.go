package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// deploymentAdminOnly refuses everyone but the deployment's bootstrap admin
// (organisations are created above any one of them).
func deploymentAdminOnly(c echo.Context) error {
	if !caller(c).Scope.All {
		return newProblem(http.StatusForbidden, codeForbidden, "only the deployment's admin (REDRESS_BOOTSTRAP_TOKEN) manages organisations")
	}
	return nil
}

type organisationRequest struct {
	ID   string `json:"id" validate:"required,max=63"`
	Name string `json:"name" validate:"required,max=200"`
}

func (s *Server) createOrganisation(c echo.Context) error {
	if err := deploymentAdminOnly(c); err != nil {
		return err
	}
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req organisationRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	o, err := st.CreateOrganisation(c.Request().Context(), req.ID, req.Name)
	if err != nil {
		return err
	}
	if err := s.audit(c, o.ID, "organisation.created", o.ID, req); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}

func (s *Server) listOrganisations(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	orgs, err := st.ListOrganisations(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": orgs})
}

// adminAudit pages the caller's admin trail, newest first (before_id from
// the last item of a page reads the next).
func (s *Server) adminAudit(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	q := newQuery(c)
	before := q.int64Min("before_id", 0)
	limit := q.limit()
	if err := q.err(); err != nil {
		return err
	}
	evs, err := st.ListAdminEvents(c.Request().Context(), before, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": evs})
}

// putShopCredentials stores a shop's credentials sealed; they are never
// shown again (the shop reads "connected": true).
func (s *Server) putShopCredentials(c echo.Context) error {
	st, m, err := s.orgStoreAndShop(c)
	if err != nil {
		return err
	}
	var req store.ShopCredentials
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	if req.AccessToken == "" && req.RefreshToken == "" && len(req.Extra) == 0 {
		return invalidBody(FieldError{Field: "refresh_token", Code: "required", Message: "send a refresh token, an access token or extra values"})
	}
	return s.storeCredentials(c, st, m, c.Param("shop"), req, "api")
}

func (s *Server) storeCredentials(c echo.Context, st OrgStore, m cases.Marketplace, shopID string, creds store.ShopCredentials, via string) error {
	ctx := c.Request().Context()
	sh, err := st.GetShop(ctx, m, shopID)
	if err != nil {
		return err
	}
	if err := st.SetShopCredentials(ctx, m, shopID, creds); err != nil {
		return err
	}
	if err := s.audit(c, sh.OrgID, "shop.credentials_set", sh.Key(), map[string]string{"via": via}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
