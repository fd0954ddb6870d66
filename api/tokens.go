package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// tokenRequest creates a token: for a user (user_id: the user's role at
// most, the user's shops) or for an automation (its own shops; empty =
// every shop of the organisation). org_id is for the deployment's admin.
type tokenRequest struct {
	Name   string   `json:"name" validate:"required,max=100"`
	Role   string   `json:"role" validate:"required,role"`
	UserID string   `json:"user_id" validate:"max=40"`
	OrgID  string   `json:"org_id" validate:"max=63"`
	Shops  []string `json:"shops" validate:"max=500"`
}

// createdToken shows the plain token this once; Redress keeps only its hash.
type createdToken struct {
	store.Token
	Secret string `json:"token"`
}

func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	if req.UserID != "" && len(req.Shops) > 0 {
		return invalidBody(FieldError{Field: "shops", Code: "not_allowed", Message: "a user's token carries the user's shops"})
	}
	plain, hash, err := GenerateToken()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	spec := store.TokenSpec{Name: req.Name, Role: cases.Role(req.Role), OrgID: req.OrgID, User: req.UserID, Shops: req.Shops}
	var t store.Token
	if st, ok := s.store.(OrgStore); ok {
		t, err = st.CreateTokenFor(ctx, spec, hash)
	} else {
		t, err = s.store.CreateToken(ctx, req.Name, cases.Role(req.Role), hash)
	}
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if err := s.audit(c, t.OrgID, "token.created", t.ID, map[string]any{"name": t.Name, "role": t.Role, "user_id": t.UserID, "shops": t.Shops}); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, createdToken{Token: t, Secret: plain})
}

func (s *Server) listTokens(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	tokens, err := st.ListTokens(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": tokens})
}

func (s *Server) revokeToken(c echo.Context) error {
	st, ok := s.store.(OrgStore)
	if !ok {
		if err := s.store.RevokeToken(c.Request().Context(), c.Param("id")); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return c.NoContent(http.StatusNoContent)
	}
	t, err := st.RevokeTokenOf(c.Request().Context(), c.Param("id"))
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if err := s.audit(c, t.OrgID, "token.revoked", t.ID, map[string]any{"name": t.Name}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
