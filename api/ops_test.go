package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// downStore is a store whose database is unreachable.
type downStore struct{ Store }

func (downStore) Ping(context.Context) error { return errors.New("connection refused") }

func TestHealthAndReadiness(t *testing.T) {
	h := newHarness(t)
	rec := h.do(request{method: http.MethodGet, path: "/healthz"})
	require.Equal(t, http.StatusOK, rec.Code)

	rec = h.do(request{method: http.MethodGet, path: "/readyz"})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"status":"ok","checks":{"postgres":"ok","temporal":"ok"}}`, rec.Body.String())

	down := newHarness(t, func(d *Deps) { d.Store = downStore{d.Store} })
	rec = down.do(request{method: http.MethodGet, path: "/readyz"})
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	var r readiness
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	assert.Equal(t, "failed: connection refused", r.Checks["postgres"])
	assert.Equal(t, "ok", r.Checks["temporal"])
}

func TestMetricsCountRequests(t *testing.T) {
	h := newHarness(t)
	h.do(request{method: http.MethodGet, path: "/v1/cases", role: cases.RoleAgent})
	h.do(request{method: http.MethodGet, path: "/v1/cases"})
	rec := h.do(request{method: http.MethodGet, path: "/metrics"})
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	assert.Contains(t, body, `redress_http_requests_total{method="GET",route="/v1/cases",status="200"} 1`)
	assert.Contains(t, body, `redress_http_requests_total{method="GET",route="/v1/cases",status="401"} 1`)
	assert.True(t, strings.Contains(body, `redress_http_request_duration_seconds_bucket{method="GET",route="/v1/cases"`))
}

// brokenStore fails every case listing the way a lost database does.
type brokenStore struct{ Store }

func (brokenStore) ListCases(context.Context, store.CaseFilter) (store.Page[cases.Case], error) {
	return store.Page[cases.Case]{}, errors.New("pq: connection reset by peer")
}

func TestUnexpectedErrorIsInternalWithRequestID(t *testing.T) {
	var logs strings.Builder
	h := newHarness(t, func(d *Deps) {
		d.Store = brokenStore{d.Store}
		d.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	rec := h.do(request{method: http.MethodGet, path: "/v1/cases", role: cases.RoleAgent})
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	p := problemOf(t, rec)
	assert.Equal(t, codeInternal, p.Code)
	assert.NotContains(t, rec.Body.String(), "connection reset", "internals stay in the log")
	require.NotEmpty(t, p.RequestID)
	assert.Contains(t, logs.String(), p.RequestID)
	assert.Contains(t, logs.String(), "connection reset by peer")
}

func TestUnknownRouteIsProblem(t *testing.T) {
	h := newHarness(t)
	rec := h.do(request{method: http.MethodGet, path: "/v1/nothing"})
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, codeNotFound, problemOf(t, rec).Code)
	rec = h.do(request{method: http.MethodPatch, path: "/v1/cases", role: cases.RoleAgent})
	require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, codeMethodNotAllowed, problemOf(t, rec).Code)
}
