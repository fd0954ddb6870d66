package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

func TestWeeklyReportJSONAndCSV(t *testing.T) {
	h := newHarness(t)
	opened := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Second)
	for _, id := range []string{"rep-1", "rep-2"} {
		c := testCase(id, opened)
		c.Courier = "correios"
		h.seedCase(cases.SyncBatch{Case: c})
	}
	month := opened.Format("2006-01")
	rec := h.do(request{method: http.MethodPut, path: "/v1/couriers/correios/volumes/" + month,
		body: `{"shop_id":"shop-1","shipments":400}`, role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"courier":"correios","month":"`+month+`","shop_id":"shop-1","shipments":400}`, rec.Body.String())

	rec = h.do(request{method: http.MethodGet, path: "/v1/reports/weekly", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var report store.Report
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &report))
	assert.Equal(t, 2, report.Total)
	require.NotEmpty(t, report.ByIssue)
	assert.Equal(t, cases.IssueLogisticsDelay, report.ByIssue[0].Issue)
	assert.Equal(t, 2, report.ByIssue[0].Count)
	assert.WithinDuration(t, time.Now().Add(-7*24*time.Hour), report.From, time.Minute, "default range is the last 7 days")

	rec = h.do(request{method: http.MethodGet, path: "/v1/reports/weekly?format=csv&marketplace=mercadolibre", role: cases.RoleAdmin})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"section", "key", "measure", "value"}, rows[0])
	assert.Contains(t, rows, []string{"summary", "", "total_cases", "2"})
	assert.Contains(t, rows, []string{"issue", "logistics_delay", "count", "2"})
	assert.Contains(t, rows, []string{"issue", "logistics_delay", "share", "1.0000"})

	rec = h.do(request{method: http.MethodGet, path: "/v1/reports/weekly?from=2026-03-10&to=2026-03-01", role: cases.RoleManager})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, []FieldError{{Field: "from", Code: "out_of_range", Message: "must be before to"}}, problemOf(t, rec).Errors)
}

func TestCourierVolumeValidation(t *testing.T) {
	h := newHarness(t)
	rec := h.do(request{method: http.MethodPut, path: "/v1/couriers/correios/volumes/March", body: `{"shop_id":"s","shipments":1}`, role: cases.RoleManager})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, "month", problemOf(t, rec).Errors[0].Field)

	rec = h.do(request{method: http.MethodPut, path: "/v1/couriers/correios/volumes/2026-03", body: `{"shipments":-1}`, role: cases.RoleManager})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, []FieldError{
		{Field: "shop_id", Code: "required", Message: "is required"},
		{Field: "shipments", Code: "too_small", Message: "must be at least 0"},
	}, problemOf(t, rec).Errors)
}
