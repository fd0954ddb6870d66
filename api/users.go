package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

type userRequest struct {
	OrgID    string   `json:"org_id" validate:"max=63"`
	Email    string   `json:"email" validate:"required,max=254"`
	Name     string   `json:"name" validate:"max=200"`
	Role     string   `json:"role" validate:"required,oneof=agent manager admin"`
	Shops    []string `json:"shops" validate:"max=500"`
	Password string   `json:"password" validate:"max=72"`
}

type userPatchRequest struct {
	Name     *string   `json:"name" validate:"omitempty,max=200"`
	Role     *string   `json:"role" validate:"omitempty,oneof=agent manager admin"`
	Shops    *[]string `json:"shops"`
	Disabled *bool     `json:"disabled"`
}

type passwordRequest struct {
	Password string `json:"password" validate:"required,min=10,max=72"`
}

func (s *Server) createUser(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req userRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	u, err := st.CreateUser(c.Request().Context(), store.UserSpec{OrgID: req.OrgID, Email: req.Email, Name: req.Name,
		Role: cases.Role(req.Role), Shops: req.Shops, Password: req.Password})
	if err != nil {
		return err
	}
	if err := s.audit(c, u.OrgID, "user.created", u.ID, map[string]any{"email": u.Email, "role": u.Role, "shops": u.Shops}); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/users/"+u.ID)
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) listUsers(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	users, err := st.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": users})
}

func (s *Server) getUser(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	u, err := st.GetUser(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) patchUser(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req userPatchRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	p := store.UserPatch{Name: req.Name, Shops: req.Shops, Disabled: req.Disabled}
	if req.Role != nil {
		r := cases.Role(*req.Role)
		p.Role = &r
	}
	u, err := st.UpdateUser(c.Request().Context(), c.Param("id"), p)
	if err != nil {
		return err
	}
	if err := s.audit(c, u.OrgID, "user.changed", u.ID, req); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) setUserPassword(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req passwordRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := st.GetUser(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, u.ID, req.Password); err != nil {
		return err
	}
	if err := s.audit(c, u.OrgID, "user.password_set", u.ID, map[string]string{}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type loginRequest struct {
	Email     string `json:"email" validate:"required,max=254"`
	Password  string `json:"password" validate:"required,max=72"`
	TokenName string `json:"token_name" validate:"max=100"`
}

// login exchanges a user's e-mail and password for a token of the user
// (their role and shops). A wrong e-mail and a wrong password are the same
// 401.
func (s *Server) login(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req loginRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := st.UserByPassword(ctx, req.Email, req.Password)
	if err != nil {
		return newProblem(http.StatusUnauthorized, codeUnauthenticated, "the e-mail or the password is wrong")
	}
	plain, hash, err := GenerateToken()
	if err != nil {
		return err
	}
	name := req.TokenName
	if name == "" {
		name = "login " + u.Email
	}
	ctx = store.WithScope(ctx, u.Scope())
	t, err := st.CreateTokenFor(ctx, store.TokenSpec{Name: name, Role: u.Role, User: u.ID}, hash)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, createdToken{Token: t, Secret: plain})
}
