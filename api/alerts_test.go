package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

func TestAlertChannelsAdmin(t *testing.T) {
	h := newHarness(t)
	slack := map[string]any{"name": "shop 1001 on Slack", "type": "slack", "url": "https://hooks.slack.com/services/T0/B0/X",
		"shop_id": "1001", "kinds": []string{"new_case", "deadline_breached"}}

	rec := h.do(request{method: http.MethodPost, path: "/v1/alert-channels", role: cases.RoleAgent, body: mustJSON(t, slack)})
	assert.Equal(t, http.StatusForbidden, rec.Code)

	rec = h.do(request{method: http.MethodPost, path: "/v1/alert-channels", role: cases.RoleManager, body: mustJSON(t, slack)})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var ch struct {
		ID        string   `json:"id"`
		Enabled   bool     `json:"enabled"`
		HasSecret bool     `json:"has_secret"`
		Kinds     []string `json:"kinds"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &ch))
	assert.True(t, ch.Enabled)
	assert.False(t, ch.HasSecret)

	hook := map[string]any{"name": "ops", "type": "webhook", "url": "https://ops.example.com/redress"}
	rec = h.do(request{method: http.MethodPost, path: "/v1/alert-channels", role: cases.RoleManager, body: mustJSON(t, hook)})
	require.Equal(t, http.StatusBadRequest, rec.Code, "a webhook needs a secret to sign with")
	assert.Equal(t, codeValidationFailed, problemOf(t, rec).Code)
	hook["secret"] = "whsec"
	rec = h.do(request{method: http.MethodPost, path: "/v1/alert-channels", role: cases.RoleManager, body: mustJSON(t, hook)})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"has_secret":true`)
	assert.NotContains(t, rec.Body.String(), "whsec", "a secret is never shown")

	var hookCh struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &hookCh))
	assert.Equal(t, "https://ops.example.com/…", hookCh.URL, "a URL may hold a robot's key: only its host is shown")
	rec = h.do(request{method: http.MethodPut, path: "/v1/alert-channels/" + hookCh.ID, role: cases.RoleManager,
		body: mustJSON(t, map[string]any{"name": "ops (renamed)", "type": "webhook", "kinds": []string{"incident"}})})
	require.Equal(t, http.StatusOK, rec.Code, "an update without secret and URL keeps them: %s", rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"has_secret":true`)

	mail := map[string]any{"name": "team", "type": "email", "recipients": []string{"not-an-address"}}
	rec = h.do(request{method: http.MethodPost, path: "/v1/alert-channels", role: cases.RoleManager, body: mustJSON(t, mail)})
	assert.Equal(t, http.StatusBadRequest, rec.Code)

	slack["enabled"] = false
	rec = h.do(request{method: http.MethodPut, path: "/v1/alert-channels/" + ch.ID, role: cases.RoleManager, body: mustJSON(t, slack)})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"enabled":false`)

	rec = h.do(request{method: http.MethodGet, path: "/v1/alert-channels", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code)
	var list struct{ Items []map[string]any }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
	assert.Len(t, list.Items, 2)

	rec = h.do(request{method: http.MethodDelete, path: "/v1/alert-channels/" + ch.ID, role: cases.RoleManager})
	assert.Equal(t, http.StatusNoContent, rec.Code)
	rec = h.do(request{method: http.MethodGet, path: "/v1/alert-channels/" + ch.ID, role: cases.RoleManager})
	assert.Equal(t, http.StatusNotFound, rec.Code)

	rec = h.do(request{method: http.MethodGet, path: "/v1/alert-deliveries?status=failed", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"items":[]}`, rec.Body.String())
	rec = h.do(request{method: http.MethodGet, path: "/v1/alert-deliveries?status=lost", role: cases.RoleManager})
	assert.Equal(t, http.StatusBadRequest, rec.Code)
}
