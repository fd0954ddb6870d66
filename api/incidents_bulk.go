package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

const (
	// bulkRetryMax caps how many incidents one bulk request touches.
	bulkRetryMax = 500
	// bulkRetryWorkers bounds concurrent Updates, so a bulk retry cannot
	// flood Temporal or the marketplaces the retried calls go to.
	bulkRetryWorkers = 4
)

// bulkRetryRequest selects open incidents with the list filters.
type bulkRetryRequest struct {
	Marketplace string          `json:"marketplace" validate:"omitempty,marketplace"`
	ShopID      string          `json:"shop_id" validate:"max=128"`
	Call        string          `json:"call" validate:"max=128"`
	ErrorClass  string          `json:"error_class" validate:"omitempty,oneof=retryable rate_limited auth_expired auth_revoked permanent ambiguous_write guard_rejected"`
	CaseID      string          `json:"case_id" validate:"max=128"`
	OlderThan   string          `json:"older_than" validate:"omitempty"`
	Limit       int             `json:"limit" validate:"omitempty,min=1,max=500"`
	Params      json.RawMessage `json:"params"`
	Reason      string          `json:"reason" validate:"max=2000"`
}

type bulkRetryResult struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

type bulkRetryResponse struct {
	Matched int               `json:"matched"`
	Retried int               `json:"retried"`
	Failed  int               `json:"failed"`
	Results []bulkRetryResult `json:"results"`
}

func (s *Server) retryIncidents(c echo.Context) error {
	var req bulkRetryRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	if err := checkParams(req.Params); err != nil {
		return err
	}
	f := store.IncidentFilter{
		Marketplace: req.Marketplace, ShopID: req.ShopID, Call: req.Call, ErrorClass: req.ErrorClass,
		CaseID: req.CaseID, Status: string(cases.IncidentOpen),
	}
	if req.OlderThan != "" {
		d, err := time.ParseDuration(req.OlderThan)
		if err != nil || d <= 0 {
			return invalidBody(FieldError{Field: "older_than", Code: "invalid_duration", Message: "must be a positive duration such as 30m or 2h"})
		}
		before := time.Now().UTC().Add(-d)
		f.CreatedBefore = &before
	}
	limit := bulkRetryMax
	if req.Limit > 0 {
		limit = req.Limit
	}
	ctx := c.Request().Context()
	incidents, err := s.openIncidents(ctx, f, limit)
	if err != nil {
		return err
	}
	results := s.retryAll(ctx, c, incidents, req)
	resp := bulkRetryResponse{Matched: len(incidents), Results: results}
	for _, r := range results {
		if r.OK {
			resp.Retried++
		} else {
			resp.Failed++
		}
	}
	return c.JSON(http.StatusOK, resp)
}

// openIncidents pages through the index up to limit matches.
func (s *Server) openIncidents(ctx context.Context, f store.IncidentFilter, limit int) ([]cases.Incident, error) {
	var out []cases.Incident
	for {
		f.Limit = min(maxPageSize, limit-len(out))
		page, err := s.store.ListIncidents(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("list incidents to retry: %w", err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" || len(out) >= limit {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

func (s *Server) retryAll(ctx context.Context, c echo.Context, incidents []cases.Incident, req bulkRetryRequest) []bulkRetryResult {
	results := make([]bulkRetryResult, len(incidents))
	actor := caller(c).actor()
	key := idempotencyKey(c)
	sem := make(chan struct{}, bulkRetryWorkers)
	var wg sync.WaitGroup
	for i, inc := range incidents {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r := workflows.ResolveIncidentRequest{IncidentID: inc.ID, Action: workflows.IncidentRetry,
				Params: req.Params, Reason: req.Reason, Actor: actor}
			_, err := s.updateCase(ctx, inc.CaseID, workflows.UpdateResolveIncident,
				workflows.UpdateResolveIncident+"/bulk/"+actor.ID+"/"+key+"/"+inc.ID, r)
			s.metrics.incidentActions.WithLabelValues(string(workflows.IncidentRetry), resultLabel(err)).Inc()
			results[i] = bulkRetryResult{ID: inc.ID, OK: err == nil}
			if err != nil {
				p := s.toProblem(err)
				results[i].Error = p.Code + ": " + p.Detail
			}
		}()
	}
	wg.Wait()
	return results
}
