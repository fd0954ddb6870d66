package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

type tokenRequest struct {
	Name string `json:"name" validate:"required,max=100"`
	Role string `json:"role" validate:"required,role"`
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
	plain, hash, err := GenerateToken()
	if err != nil {
		return err
	}
	t, err := s.store.CreateToken(c.Request().Context(), req.Name, cases.Role(req.Role), hash)
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, createdToken{Token: t, Secret: plain})
}

func (s *Server) revokeToken(c echo.Context) error {
	if err := s.store.RevokeToken(c.Request().Context(), c.Param("id")); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	return c.NoContent(http.StatusNoContent)
}
