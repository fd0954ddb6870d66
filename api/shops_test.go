package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/internal/keyring"
)

// call sends a JSON request with a bearer token, checks both against
// openapi.json and decodes a JSON answer.
func (h *harness) call(token, method, path, body string, want int) map[string]any {
	h.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	checkContract(h.t, req, []byte(body), rec)
	require.Equal(h.t, want, rec.Code, "%s %s: %s", method, path, rec.Body.String())
	out := map[string]any{}
	if rec.Body.Len() > 0 && bytes.HasPrefix(bytes.TrimSpace(rec.Body.Bytes()), []byte("{")) {
		require.NoError(h.t, json.Unmarshal(rec.Body.Bytes(), &out))
	}
	return out
}

// TestOrganisationShopsUsersAndTokensThroughTheAPI: the deployment's admin
// creates an organisation; its admin (signed in with a password) registers
// a shop with its own policy, connects it and adds an agent limited to it;
// each change is in the organisation's admin trail, which another
// organisation does not see.
func TestOrganisationShopsUsersAndTokensThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	h.store.UseDataKeys(keyring.Generate("t"))
	boot := testBootstrap

	h.call(boot, http.MethodPost, "/v1/organisations", `{"id":"acme","name":"Acme"}`, http.StatusCreated)
	h.call(boot, http.MethodPost, "/v1/organisations", `{"id":"bolt","name":"Bolt"}`, http.StatusCreated)
	admin := h.call(boot, http.MethodPost, "/v1/users",
		`{"org_id":"acme","email":"boss@acme.example","role":"admin","password":"correct horse battery"}`, http.StatusCreated)
	require.Equal(t, "acme", admin["org_id"])
	h.call("", http.MethodPost, "/v1/login", `{"email":"boss@acme.example","password":"wrong password!"}`, http.StatusUnauthorized)
	acme := h.call("", http.MethodPost, "/v1/login", `{"email":"boss@acme.example","password":"correct horse battery"}`, http.StatusCreated)["token"].(string)

	// An organisation's admin may not create organisations, nor shops elsewhere.
	h.call(acme, http.MethodPost, "/v1/organisations", `{"id":"evil","name":"Evil"}`, http.StatusForbidden)
	h.call(acme, http.MethodPost, "/v1/shops", `{"org_id":"bolt","marketplace":"ebay","shop_id":"x"}`, http.StatusNotFound)

	shop := h.call(acme, http.MethodPost, "/v1/shops", `{"marketplace":"taobao","shop_id":"tb-1","display_name":"Acme 旗舰店",
		"currency":"CNY","time_zone":"Asia/Shanghai","business_hours":{"start_hour":9,"end_hour":22,"holidays":["2026-10-01"]},
		"policy":{"approval_limit":50000,"auto_first_contact":false}}`, http.StatusCreated)
	assert.Equal(t, "acme", shop["org_id"])
	assert.Equal(t, false, shop["connected"])
	h.call(acme, http.MethodPost, "/v1/shops", `{"marketplace":"taobao","shop_id":"tb-1"}`, http.StatusConflict)
	h.call(acme, http.MethodPost, "/v1/shops", `{"marketplace":"taobao","shop_id":"tb-2","time_zone":"Mars/Olympus"}`, http.StatusBadRequest)

	h.call(acme, http.MethodPut, "/v1/shops/taobao/tb-1/credentials", `{"access_token":"SESSION-SECRET-123"}`, http.StatusNoContent)
	got := h.call(acme, http.MethodGet, "/v1/shops/taobao/tb-1", "", http.StatusOK)
	assert.Equal(t, true, got["connected"])
	var sealed []byte
	require.NoError(t, h.store.DB().Get(&sealed, `SELECT credentials FROM shops WHERE shop_id = 'tb-1'`))
	assert.NotContains(t, string(sealed), "SESSION-SECRET-123", "credentials are sealed at rest")

	patched := h.call(acme, http.MethodPatch, "/v1/shops/taobao/tb-1", `{"policy":{"approval_limit":-1,"no_reply_wait_seconds":3600}}`, http.StatusOK)
	policyJSON, _ := json.Marshal(patched)
	assert.NotContains(t, string(policyJSON), `"approval_limit"`, "-1 resets to the default")
	assert.Contains(t, string(policyJSON), `"no_reply_wait_seconds":3600`)
	disabled := h.call(acme, http.MethodPost, "/v1/shops/taobao/tb-1/disable", "", http.StatusOK)
	assert.Equal(t, false, disabled["enabled"])

	agent := h.call(acme, http.MethodPost, "/v1/users", `{"email":"li@acme.example","role":"agent","shops":["taobao:tb-1"]}`, http.StatusCreated)
	agentID := agent["id"].(string)
	h.call(acme, http.MethodPut, "/v1/users/"+agentID+"/password", `{"password":"another long one"}`, http.StatusNoContent)
	tok := h.call(acme, http.MethodPost, "/v1/tokens", `{"name":"li's token","role":"manager","user_id":"`+agentID+`"}`, http.StatusBadRequest)
	require.NotNil(t, tok)
	tok = h.call(acme, http.MethodPost, "/v1/tokens", `{"name":"li's token","role":"agent","user_id":"`+agentID+`"}`, http.StatusCreated)
	h.call(acme, http.MethodDelete, "/v1/tokens/"+tok["id"].(string), "", http.StatusNoContent)

	// The trail, newest first, is Acme's own.
	trail := h.call(acme, http.MethodGet, "/v1/admin/audit", "", http.StatusOK)["items"].([]any)
	var actions []string
	for _, ev := range trail {
		actions = append(actions, ev.(map[string]any)["action"].(string))
	}
	assert.Equal(t, []string{"token.revoked", "token.created", "user.password_set", "user.created", "shop.changed",
		"shop.changed", "shop.credentials_set", "shop.created", "user.created", "organisation.created"}, actions)
	boltAdmin := h.call(boot, http.MethodPost, "/v1/tokens", `{"name":"bolt admin","role":"admin","org_id":"bolt"}`, http.StatusCreated)["token"].(string)
	boltTrail := h.call(boltAdmin, http.MethodGet, "/v1/admin/audit", "", http.StatusOK)["items"].([]any)
	for _, ev := range boltTrail {
		assert.Equal(t, "bolt", ev.(map[string]any)["org_id"])
	}
	h.call(boltAdmin, http.MethodGet, "/v1/shops/taobao/tb-1", "", http.StatusNotFound)
	h.call(boltAdmin, http.MethodGet, "/v1/users/"+agentID, "", http.StatusNotFound)
}
