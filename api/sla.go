package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// whatIfRequest asks how past cases' deadlines would have come out under a
// proposed SLA policy.
type whatIfRequest struct {
	Policy cases.PolicyDoc `json:"policy"`
	From   time.Time       `json:"from"`
	To     time.Time       `json:"to"`
}

// WhatIfReport is the what-if SLA replay's answer.
type WhatIfReport struct {
	From  time.Time         `json:"from"`
	To    time.Time         `json:"to"`
	Cases int               `json:"cases"`
	Rows  []cases.WhatIfRow `json:"rows"`
}

// slaWhatIf folds the events of the cases opened in [from, to) under the
// proposed policy and reports, per deadline kind and marketplace, met,
// breached and late-by now versus under the proposal.
func (s *Server) slaWhatIf(c echo.Context) error {
	var req whatIfRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	var errs []FieldError
	if req.From.IsZero() {
		errs = append(errs, FieldError{Field: "from", Code: "required", Message: "is required"})
	}
	if req.To.IsZero() || !req.From.Before(req.To) {
		errs = append(errs, FieldError{Field: "to", Code: "invalid", Message: "must be after from"})
	}
	if err := req.Policy.Validate(); err != nil {
		errs = append(errs, FieldError{Field: "policy", Code: "invalid", Message: err.Error()})
	}
	if len(errs) > 0 {
		return invalidBody(errs...)
	}
	rep, err := WhatIf(c.Request().Context(), s.store, req.Policy, req.From, req.To, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// CaseEventSource is where the what-if replay reads past cases' events
// (*store.Store).
type CaseEventSource interface {
	EventsOfCasesOpened(ctx context.Context, from, to time.Time) ([]cases.CaseHistory, error)
}

// WhatIf folds the events of the cases opened in [from, to) under policy:
// the manager endpoint and `redress sla whatif` share it.
func WhatIf(ctx context.Context, src CaseEventSource, policy cases.PolicyDoc, from, to, now time.Time) (WhatIfReport, error) {
	events, err := src.EventsOfCasesOpened(ctx, from, to)
	if err != nil {
		return WhatIfReport{}, fmt.Errorf("what-if: %w", err)
	}
	rows, err := cases.WhatIf(events, policy, now)
	if err != nil {
		return WhatIfReport{}, fmt.Errorf("what-if: %w", err)
	}
	return WhatIfReport{From: from, To: to, Cases: len(events), Rows: rows}, nil
}
