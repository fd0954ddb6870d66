package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

var (
	incidentStatuses = []string{string(cases.IncidentOpen), string(cases.IncidentRetrying), string(cases.IncidentResolved), string(cases.IncidentSkipped)}
	errorClasses     = []string{string(cases.ErrRetryable), string(cases.ErrRateLimited), string(cases.ErrAuthExpired),
		string(cases.ErrAuthRevoked), string(cases.ErrPermanent), string(cases.ErrAmbiguous), string(cases.ErrGuardRejected)}
)

func (s *Server) listIncidents(c echo.Context) error {
	q := newQuery(c)
	f := store.IncidentFilter{
		Marketplace: q.marketplace("marketplace"),
		ShopID:      q.str("shop_id"),
		Call:        q.str("call"),
		ErrorClass:  q.str("error_class", errorClasses...),
		Status:      q.str("status", incidentStatuses...),
		CaseID:      q.str("case_id"),
		Cursor:      q.str("cursor"),
		Limit:       q.limit(),
	}
	if d := q.duration("older_than"); d > 0 {
		before := time.Now().UTC().Add(-d)
		f.CreatedBefore = &before
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.store.ListIncidents(c.Request().Context(), f)
	if err != nil {
		return fmt.Errorf("list incidents: %w", err)
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) getIncident(c echo.Context) error {
	id := c.Param("id")
	if _, ok := caseIDOf(id); !ok {
		return notFound("incident")
	}
	inc, err := s.store.GetIncident(c.Request().Context(), id)
	if err != nil {
		return fmt.Errorf("read incident %s: %w", id, err)
	}
	return c.JSON(http.StatusOK, inc)
}

type retryRequest struct {
	// Params corrects the failed call's parameters before the retry.
	Params json.RawMessage `json:"params"`
	Reason string          `json:"reason" validate:"max=2000"`
	// CheckedNotApplied: the caller looked on the platform and the write is
	// not there (required to retry an ambiguous write).
	CheckedNotApplied bool `json:"checked_not_applied"`
}

func (s *Server) retryIncident(c echo.Context) error {
	var req retryRequest
	if err := s.decodeJSON(c, &req, true); err != nil {
		return err
	}
	if err := checkParams(req.Params); err != nil {
		return err
	}
	return s.resolveIncident(c, workflows.ResolveIncidentRequest{Action: workflows.IncidentRetry, Params: req.Params,
		Reason: req.Reason, CheckedNotApplied: req.CheckedNotApplied})
}

type skipRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (s *Server) skipIncident(c echo.Context) error {
	var req skipRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	return s.resolveIncident(c, workflows.ResolveIncidentRequest{Action: workflows.IncidentSkip, Reason: req.Reason})
}

func (s *Server) resolveIncident(c echo.Context, r workflows.ResolveIncidentRequest) error {
	id := c.Param("id")
	caseID, ok := caseIDOf(id)
	if !ok {
		return notFound("incident")
	}
	r.IncidentID, r.Actor = id, caller(c).actor()
	res, err := s.updateCase(c.Request().Context(), caseID, workflows.UpdateResolveIncident,
		updateID(c, workflows.UpdateResolveIncident, ""), r)
	s.metrics.incidentActions.WithLabelValues(string(r.Action), resultLabel(err)).Inc()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// checkParams requires corrected parameters, when given, to be a JSON object.
func checkParams(params json.RawMessage) error {
	if len(params) == 0 || string(params) == "null" {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(params, &obj) != nil {
		return invalidBody(FieldError{Field: "params", Code: "invalid_type", Message: "must be a JSON object"})
	}
	return nil
}

func resultLabel(err error) string {
	if err != nil {
		return "failed"
	}
	return "ok"
}
