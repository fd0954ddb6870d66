package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// principal is the authenticated caller: who, in which role, and whose data
// (organisation and shops) they may see.
type principal struct {
	Name  string
	Role  cases.Role
	Scope store.Scope
}

func (p principal) actor() cases.Actor { return cases.Actor{ID: p.Name, Role: p.Role} }

const principalKey = "redress.principal"

// bootstrapName is the actor name recorded for the bootstrap admin token.
const bootstrapName = "bootstrap-admin"

func caller(c echo.Context) principal {
	p, _ := c.Get(principalKey).(principal)
	return p
}

// requireRoles authenticates the bearer token and admits only the given roles.
func (s *Server) requireRoles(roles []cases.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, err := s.authenticate(c)
			if err != nil {
				return err
			}
			c.Set(principalKey, p)
			// The store reads the caller's scope from the context, and its
			// row-level security admits only that scope's rows.
			c.SetRequest(c.Request().WithContext(store.WithScope(c.Request().Context(), p.Scope)))
			if !slices.Contains(roles, p.Role) {
				return newProblem(http.StatusForbidden, codeForbidden, "role "+string(p.Role)+" may not do this")
			}
			return next(c)
		}
	}
}

func (s *Server) authenticate(c echo.Context) (principal, error) {
	unauthenticated := func(detail string) (principal, error) {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="redress"`)
		return principal{}, newProblem(http.StatusUnauthorized, codeUnauthenticated, detail)
	}
	scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return unauthenticated("send Authorization: Bearer <token>")
	}
	p, err := s.principalOf(c.Request().Context(), token)
	var prob *Problem
	if errors.As(err, &prob) && prob.Status == http.StatusUnauthorized {
		return unauthenticated(prob.Detail)
	}
	return p, err
}

// principalOf resolves an API token to its holder; the console exchanges
// tokens for sessions through it, so both accept exactly the same tokens.
func (s *Server) principalOf(ctx context.Context, token string) (principal, error) {
	unauthenticated := func(detail string) (principal, error) {
		return principal{}, newProblem(http.StatusUnauthorized, codeUnauthenticated, detail)
	}
	if boot := s.cfg.BootstrapToken; boot != "" && subtle.ConstantTimeCompare([]byte(token), []byte(boot)) == 1 {
		// The deployment's admin stands above organisations.
		return principal{Name: bootstrapName, Role: cases.RoleAdmin, Scope: store.SystemScope()}, nil
	}
	t, err := s.store.TokenByHash(ctx, HashToken(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return unauthenticated("the token is not valid")
	case err != nil:
		return principal{}, err
	case t.RevokedAt != nil:
		return unauthenticated("the token was revoked")
	}
	return principal{Name: t.Name, Role: t.Role, Scope: t.Scope()}, nil
}
