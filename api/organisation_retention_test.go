package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// An organisation's admin sets how long its buyers' personal data is kept,
// for its own organisation only; null returns to the deployment's default;
// bad values are a 400 naming the field; the change is in the admin trail.
func TestOrganisationRetentionThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	boot := testBootstrap
	h.call(boot, http.MethodPost, "/v1/organisations", `{"id":"acme","name":"Acme"}`, http.StatusCreated)
	h.call(boot, http.MethodPost, "/v1/organisations", `{"id":"bolt","name":"Bolt"}`, http.StatusCreated)
	acme := h.call(boot, http.MethodPost, "/v1/tokens", `{"name":"acme admin","role":"admin","org_id":"acme"}`, http.StatusCreated)["token"].(string)
	acmeManager := h.call(boot, http.MethodPost, "/v1/tokens", `{"name":"acme manager","role":"manager","org_id":"acme"}`, http.StatusCreated)["token"].(string)

	o := h.call(acme, http.MethodPut, "/v1/organisations/acme/retention", `{"retention_days":30}`, http.StatusOK)
	assert.Equal(t, float64(30), o["retention_days"])
	h.call(acme, http.MethodPut, "/v1/organisations/bolt/retention", `{"retention_days":30}`, http.StatusNotFound)
	h.call(acmeManager, http.MethodPut, "/v1/organisations/acme/retention", `{"retention_days":30}`, http.StatusForbidden)
	for _, bad := range []string{`{}`, `{"retention_days":0}`, `{"retention_days":3651}`, `{"retention_days":"30"}`, `{"retention_days":30,"x":1}`} {
		p := h.call(acme, http.MethodPut, "/v1/organisations/acme/retention", bad, http.StatusBadRequest)
		assert.NotEmpty(t, p["code"], bad)
	}
	o = h.call(boot, http.MethodPut, "/v1/organisations/acme/retention", `{"retention_days":null}`, http.StatusOK)
	assert.Nil(t, o["retention_days"])

	trail := h.call(acme, http.MethodGet, "/v1/admin/audit", "", http.StatusOK)["items"].([]any)
	var changes int
	for _, ev := range trail {
		if ev.(map[string]any)["action"] == "organisation.retention_changed" {
			changes++
		}
	}
	assert.Equal(t, 2, changes)
}
