package api

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/store"
)

// An erasure by a manager: the buyer's timeline keeps every event in order
// with their personal fields erased, the open case is reported (no worker
// runs here, so its close fails and is said so), the request is recorded,
// and the export shows what is left. Agents may do neither.
func TestBuyerErasureAndExport(t *testing.T) {
	h := newHarness(t)
	h.store.UseDataKeys(keyring.Generate("api-test"))
	opened := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c := testCase("r-erase", opened)
	c.BuyerName, c.Text = "Wilhelmina Oyelaran", "the lamp QJX arrived broken"
	h.seedCase(cases.SyncBatch{Case: c, Events: []cases.Event{
		cases.NewEvent(c.ID, 1, cases.EventBuyerReplied, cases.SystemActor, opened,
			cases.BuyerRepliedData{MessageID: "m1", Text: "I live at 12 QJW Road", Source: "webhook", At: opened}),
		cases.NewEvent(c.ID, 2, cases.EventStageChanged, cases.SystemActor, opened.Add(time.Minute),
			cases.StageChangedData{From: cases.StageContact, To: cases.StageVerification}),
	}})

	exportPath := "/v1/privacy/buyers/mercadolibre/buyer-1/export?reason=access+request"
	rec := h.do(request{method: http.MethodGet, path: exportPath, role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), "Wilhelmina Oyelaran")
	assert.Contains(t, rec.Body.String(), "12 QJW Road")

	body := `{"marketplace":"mercadolibre","buyer_id":"buyer-1","reason":"GDPR art. 17 request of 2026-03-05"}`
	for _, role := range []cases.Role{cases.RoleAgent, cases.RoleAutomation} {
		assert.Equal(t, http.StatusForbidden, h.do(request{method: http.MethodPost, path: "/v1/privacy/erasures", body: body, role: role}).Code)
		assert.Equal(t, http.StatusForbidden, h.do(request{method: http.MethodGet, path: exportPath, role: role}).Code)
	}
	rec = h.do(request{method: http.MethodPost, path: "/v1/privacy/erasures", body: `{"marketplace":"etsy","buyer_id":"b"}`, role: cases.RoleManager})
	assert.Equal(t, http.StatusBadRequest, rec.Code)

	rec = h.do(request{method: http.MethodPost, path: "/v1/privacy/erasures", body: body, role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var er struct {
		Request       store.PrivacyRequest `json:"request"`
		KeysDestroyed int                  `json:"keys_destroyed"`
		OpenCaseIDs   []string             `json:"open_case_ids"`
		Closed        []string             `json:"closed"`
		CloseFailed   []string             `json:"close_failed"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &er))
	assert.Equal(t, 1, er.KeysDestroyed)
	assert.Equal(t, []string{c.ID}, er.OpenCaseIDs)
	assert.Equal(t, []string{c.ID}, er.CloseFailed, "no workflow runs for the seeded case")
	assert.Equal(t, "test-manager", er.Request.Actor)
	assert.Equal(t, store.PrivacyErasure, er.Request.Kind)

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + c.ID + "/events", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code)
	var page struct{ Items []cases.Event }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 2, "the timeline keeps every event")
	assert.Equal(t, cases.EventBuyerReplied, page.Items[0].Type)
	assert.JSONEq(t, `{"message_id":"m1","source":"webhook","at":"2026-03-02T09:00:00Z","text":"[erased]","erased":true}`, string(page.Items[0].Data))
	assert.JSONEq(t, `{"from":"contact","to":"verification"}`, string(page.Items[1].Data))

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + c.ID, role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code)
	assert.NotContains(t, rec.Body.String(), "Wilhelmina")
	assert.NotContains(t, rec.Body.String(), "QJX")

	rec = h.do(request{method: http.MethodGet, path: exportPath, role: cases.RoleAdmin})
	require.Equal(t, http.StatusOK, rec.Code)
	for _, secret := range []string{"Wilhelmina", "QJX", "QJW"} {
		assert.NotContains(t, rec.Body.String(), secret)
	}
	var exp store.BuyerExport
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &exp))
	assert.True(t, exp.Erased)
	require.Len(t, exp.Requests, 2, "the first export and the erasure")
}
