package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/console"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

var echoParam = regexp.MustCompile(`:([a-z_]+)`)

// TestOpenAPICoversEveryRoute fails when a route is not documented, when the
// document names a route that does not exist, or when an operation's
// x-roles differ from the roles the route enforces.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	h := newHarness(t)
	rec := h.do(request{method: http.MethodGet, path: "/openapi.json"})
	require.Equal(t, http.StatusOK, rec.Code)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.True(t, strings.HasPrefix(doc.OpenAPI, "3."))

	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range h.srv.echo.Routes() {
		if strings.Contains(r.Name, "echo") && r.Path == "/*" {
			continue // Echo's own catch-all for 404/405
		}
		if r.Path == console.Prefix || strings.HasPrefix(r.Path, console.Prefix+"/") {
			continue // the browser console's HTML pages, not part of the JSON API this document describes
		}
		served[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	for route := range served {
		assert.True(t, documented[route], "route %s is not in openapi.json", route)
	}
	for route := range documented {
		assert.True(t, served[route], "openapi.json documents %s, which is not served", route)
	}

	for key, roles := range h.srv.access {
		raw := doc.Paths[echoParam.ReplaceAllString(key.Path, "{$1}")][strings.ToLower(key.Method)]
		var op struct {
			Roles []cases.Role `json:"x-roles"`
		}
		require.NoError(t, json.Unmarshal(raw, &op), "%s %s", key.Method, key.Path)
		got, want := slices.Clone(op.Roles), slices.Clone(roles)
		slices.Sort(got)
		slices.Sort(want)
		assert.Equal(t, want, got, "x-roles of %s %s", key.Method, key.Path)
	}
}
