package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/console"
)

// mountConsole serves the browser console under /ui. It signs people in with
// the same tokens, admits them by this package's access matrix and calls
// these very routes in-process, so the console enforces no rules of its own.
func (s *Server) mountConsole() {
	console.New(console.Deps{
		API:          s.echo,
		Authenticate: s.consolePrincipal,
		Allowed:      s.allowed,
		Logger:       s.log,
	}).Mount(s.echo)
}

func (s *Server) consolePrincipal(ctx context.Context, token string) (console.Principal, error) {
	p, err := s.principalOf(ctx, token)
	var prob *Problem
	if errors.As(err, &prob) && prob.Status == http.StatusUnauthorized {
		return console.Principal{}, fmt.Errorf("%w: %s", console.ErrInvalidToken, prob.Detail)
	}
	if err != nil {
		return console.Principal{}, err
	}
	return console.Principal{Name: p.Name, Role: p.Role}, nil
}

// allowed reports whether role may call the route (method, Echo path pattern).
// A route missing from the matrix is allowed to nobody.
func (s *Server) allowed(role cases.Role, method, path string) bool {
	return slices.Contains(s.access[routeKey{method, path}], role)
}
