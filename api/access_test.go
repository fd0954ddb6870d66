package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// probePath fills a route's parameters with well-formed ids of things that do not exist.
func probePath(path string) string {
	r := strings.NewReplacer(
		":courier", "correios",
		":month", "2026-01",
		":marketplace", "mercadolibre",
	)
	p := r.Replace(path)
	switch {
	case strings.HasPrefix(p, "/v1/cases/:id"):
		return strings.Replace(p, ":id", "cs_doesnotexist", 1)
	case strings.HasPrefix(p, "/v1/tasks/:id"):
		return strings.Replace(p, ":id", "cs_doesnotexist-verify-1", 1)
	case strings.HasPrefix(p, "/v1/incidents/:id"):
		return strings.Replace(p, ":id", "cs_doesnotexist-send_buyer_message", 1)
	}
	return strings.Replace(p, ":id", "tok_doesnotexist", 1)
}

func probeBody(method string) string {
	if method == http.MethodGet || method == http.MethodDelete {
		return ""
	}
	return "{}"
}

// TestAccessMatrix calls every protected route without a token, with a bad
// one, and with every role: refused roles get 403, allowed ones get past
// authorization (to 2xx, 404 or a validation error, never 401/403/5xx).
func TestAccessMatrix(t *testing.T) {
	h := newHarness(t)
	require.NotEmpty(t, h.srv.access)
	roles := []cases.Role{cases.RoleAgent, cases.RoleManager, cases.RoleAutomation, cases.RoleAdmin}
	for key, allowed := range h.srv.access {
		path, body := probePath(key.Path), probeBody(key.Method)
		t.Run(key.Method+" "+key.Path, func(t *testing.T) {
			rec := h.do(request{method: key.Method, path: path, body: body})
			assert.Equal(t, http.StatusUnauthorized, rec.Code, "no token")
			assert.Equal(t, codeUnauthenticated, problemOf(t, rec).Code)

			rec = h.do(request{method: key.Method, path: path, body: body, header: map[string]string{"Authorization": "Bearer rdr_wrong"}})
			assert.Equal(t, http.StatusUnauthorized, rec.Code, "bad token")

			for _, role := range roles {
				rec := h.do(request{method: key.Method, path: path, body: body, role: role})
				if slices.Contains(allowed, role) {
					assert.NotContains(t, []int{401, 403}, rec.Code, "%s must be allowed: %s", role, rec.Body)
					assert.Less(t, rec.Code, 500, "%s: %s", role, rec.Body)
				} else {
					assert.Equal(t, http.StatusForbidden, rec.Code, "%s must be refused: %s", role, rec.Body)
					assert.Equal(t, codeForbidden, problemOf(t, rec).Code)
				}
			}
		})
	}
}

// TestAccessMatrixContent pins the matrix itself: who may do the things
// that matter most.
func TestAccessMatrixContent(t *testing.T) {
	h := newHarness(t)
	want := map[routeKey][]cases.Role{
		{http.MethodPost, "/v1/reviews"}:                         {automation, admin},
		{http.MethodGet, "/v1/cases"}:                            {agent, manager, automation, admin},
		{http.MethodPost, "/v1/cases/:id/buyer-replies"}:         {agent, manager, automation, admin},
		{http.MethodPost, "/v1/cases/:id/notes"}:                 {agent, manager, admin},
		{http.MethodPost, "/v1/cases/:id/close"}:                 {manager, admin},
		{http.MethodPost, "/v1/tasks/:id/complete"}:              {agent, manager, admin},
		{http.MethodPost, "/v1/tasks/:id/assign"}:                {manager, admin},
		{http.MethodPost, "/v1/incidents/retry"}:                 {manager, automation, admin},
		{http.MethodPost, "/v1/incidents/:id/skip"}:              {manager, automation, admin},
		{http.MethodGet, "/v1/reports/weekly"}:                   {manager, admin},
		{http.MethodPut, "/v1/couriers/:courier/volumes/:month"}: {manager, admin},
		{http.MethodPost, "/v1/tokens"}:                          {admin},
		{http.MethodDelete, "/v1/tokens/:id"}:                    {admin},
	}
	for key, roles := range want {
		assert.ElementsMatch(t, roles, h.srv.access[key], "%s %s", key.Method, key.Path)
	}
	for key, roles := range h.srv.access {
		assert.Contains(t, roles, cases.RoleAdmin, "admins may do everything: %s %s", key.Method, key.Path)
	}
}

func TestAgentMayNotTakeOverOrApprove(t *testing.T) {
	h := newHarness(t)
	rec := h.do(request{method: http.MethodPost, path: "/v1/tasks/cs_abc-verify-1/claim", body: `{"takeover":true}`, role: cases.RoleAgent})
	require.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, codeForbidden, problemOf(t, rec).Code)

	rec = h.do(request{method: http.MethodPost, path: "/v1/tasks/cs_abc-approve_remedy-1/complete", body: `{"approval":{"approved":true}}`, role: cases.RoleAgent})
	require.Equal(t, http.StatusForbidden, rec.Code)
}

func TestTokens(t *testing.T) {
	h := newHarness(t)
	boot := map[string]string{"Authorization": "Bearer " + testBootstrap}

	rec := h.do(request{method: http.MethodPost, path: "/v1/tokens", body: `{"name":"maria","role":"agent"}`, header: boot})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var created struct {
		ID, Name, Role, Token string
	}
	require.NoError(t, jsonUnmarshal(rec.Body.Bytes(), &created))
	assert.True(t, strings.HasPrefix(created.Token, "rdr_"))
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	mine := map[string]string{"Authorization": "Bearer " + created.Token}

	rec = h.do(request{method: http.MethodGet, path: "/v1/tasks?assignee=me", header: mine})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = h.do(request{method: http.MethodGet, path: "/v1/reports/weekly", header: mine})
	require.Equal(t, http.StatusForbidden, rec.Code, "an agent token is an agent")

	rec = h.do(request{method: http.MethodDelete, path: "/v1/tokens/" + created.ID, header: boot})
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = h.do(request{method: http.MethodGet, path: "/v1/tasks", header: mine})
	require.Equal(t, http.StatusUnauthorized, rec.Code, "a revoked token is refused")

	rec = h.do(request{method: http.MethodPost, path: "/v1/tokens", body: `{"name":"x","role":"root"}`, header: boot})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, []FieldError{{Field: "role", Code: "unknown_role", Message: "must be one of: agent, manager, automation, admin"}}, problemOf(t, rec).Errors)
}

func TestHashTokenIsStableAndGenerateIsRandom(t *testing.T) {
	a, hashA, err := GenerateToken()
	require.NoError(t, err)
	b, _, err := GenerateToken()
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
	assert.Equal(t, hashA, HashToken(a))
	assert.Len(t, hashA, 64)
	assert.NotContains(t, hashA, a)
}
