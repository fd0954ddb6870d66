package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

func TestTemplatesSaveRefusePreviewWithdraw(t *testing.T) {
	h := newHarness(t)
	save := func(role cases.Role, body map[string]any) (int, map[string]any) {
		rec := h.do(request{method: http.MethodPost, path: "/v1/templates", role: role, body: mustJSON(t, body)})
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, out
	}
	good := map[string]any{"marketplace": "mercadolibre", "purpose": "first_contact", "language": "es",
		"body": "¡Hola! {apology} Escríbanos por aquí y lo resolvemos hoy mismo.\n{shop}"}

	code, _ := save(cases.RoleAgent, good)
	assert.Equal(t, http.StatusForbidden, code, "agents read templates, managers write them")

	code, v1 := save(cases.RoleManager, good)
	require.Equal(t, http.StatusOK, code, v1)
	assert.EqualValues(t, 1, v1["version"])
	assert.Equal(t, []any{}, v1["doubts"])
	id := v1["id"].(string)

	good["body"] = "¡Buen día! {apology} Respóndanos aquí y lo resolvemos.\n{shop}"
	code, v2 := save(cases.RoleManager, good)
	require.Equal(t, http.StatusOK, code, v2)
	assert.EqualValues(t, 2, v2["version"])
	assert.Equal(t, id, v2["id"])

	// Templates that could never be sent are refused, each reason a code.
	for name, c := range map[string]struct {
		body map[string]any
		rule string
	}{
		"asks for a better review": {map[string]any{"marketplace": "amazon", "purpose": "follow_up", "language": "en",
			"body": "Hi! Is {noun} solved? If so, please update your review to 5 stars."}, cases.RuleReviewChangeRequest},
		"too long for Mercado Libre": {map[string]any{"marketplace": "mercadolibre", "purpose": "follow_up", "language": "es",
			"body": strings.Repeat("Gracias por su compra. ", 20) + "{noun}"}, cases.RuleTooLong},
		"Chinese on Latin-1": {map[string]any{"marketplace": "mercadolibre", "purpose": "follow_up", "language": "zh",
			"body": "您好！{noun}的问题解决了吗？"}, cases.RuleCharset},
		"unknown placeholder": {map[string]any{"marketplace": "ebay", "purpose": "follow_up", "language": "en",
			"body": "Hi {buyer_name}, is {noun} solved?"}, cases.RuleUnknownPlaceholder},
	} {
		rec := h.do(request{method: http.MethodPost, path: "/v1/templates", role: cases.RoleManager, body: mustJSON(t, c.body)})
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code, "%s: %s", name, rec.Body.String())
		p := problemOf(t, rec)
		assert.Equal(t, codeTemplateRefused, p.Code, name)
		var rules []string
		for _, e := range p.Errors {
			rules = append(rules, e.Code)
		}
		assert.Contains(t, rules, c.rule, name)
	}

	rec := h.do(request{method: http.MethodGet, path: "/v1/templates/" + id, role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var got struct {
		Version  int `json:"version"`
		Versions []struct {
			Version   int    `json:"version"`
			CreatedBy string `json:"created_by"`
		} `json:"versions"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.Equal(t, 2, got.Version)
	require.Len(t, got.Versions, 2)
	assert.Equal(t, "test-manager", got.Versions[0].CreatedBy)

	// The preview renders the current version for a case, as the case would.
	kase := testCase("tpl-1", time.Now().UTC())
	h.seedCase(cases.SyncBatch{Case: kase})
	rec = h.do(request{method: http.MethodPost, path: "/v1/templates/" + id + "/preview", role: cases.RoleAgent,
		body: mustJSON(t, map[string]any{"case_id": kase.ID})})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var preview struct {
		Text    string        `json:"text"`
		Used    bool          `json:"used"`
		Verdict cases.Verdict `json:"verdict"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &preview))
	assert.True(t, preview.Used)
	assert.True(t, strings.HasPrefix(preview.Text, "¡Buen día! Lamentamos que su pedido haya tardado"), preview.Text)
	assert.True(t, strings.HasSuffix(preview.Text, "\nshop-1"), "signed with the shop (its id while it has no display name): %q", preview.Text)
	assert.Empty(t, preview.Verdict.Violations)

	// Without a body, the draft preview shows what the case gets now; with one, the draft and why it would be refused.
	rec = h.do(request{method: http.MethodPost, path: "/v1/templates/preview", role: cases.RoleAgent,
		body: mustJSON(t, map[string]any{"case_id": kase.ID, "purpose": "first_contact"})})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var now struct {
		Text       string `json:"text"`
		TemplateID string `json:"template_id"`
		Version    int    `json:"version"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &now))
	assert.Equal(t, preview.Text, now.Text)
	assert.Equal(t, id, now.TemplateID)
	assert.Equal(t, 2, now.Version)
	rec = h.do(request{method: http.MethodPost, path: "/v1/templates/preview", role: cases.RoleAgent,
		body: mustJSON(t, map[string]any{"case_id": kase.ID, "purpose": "follow_up", "body": "Hola, ¿ya se resolvió {noun}? Vea https://tienda.test"})})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var draft struct {
		Used    bool              `json:"used"`
		Refused []cases.Violation `json:"refused"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &draft))
	assert.False(t, draft.Used, "a draft the guard refuses gives way to the shipped text")
	require.NotEmpty(t, draft.Refused)
	assert.Equal(t, cases.RuleLink, draft.Refused[0].Rule)

	rec = h.do(request{method: http.MethodPost, path: "/v1/templates/tpl_missing/preview", role: cases.RoleAgent,
		body: mustJSON(t, map[string]any{"case_id": kase.ID})})
	assert.Equal(t, http.StatusNotFound, rec.Code)

	rec = h.do(request{method: http.MethodDelete, path: "/v1/templates/" + id, role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"active":false`)

	rec = h.do(request{method: http.MethodGet, path: "/v1/templates?marketplace=mercadolibre", role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), id)
}
