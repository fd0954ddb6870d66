package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// marketStep is one marketplace call of the playbook.
type marketStep[P any] struct {
	Step     string // unique per case: the incident id and idempotency key derive from it
	Call     string // e.g. send_buyer_message
	Activity any
	Params   P
	Options  *workflow.ActivityOptions // nil: marketOptions
	// WithKey sets the idempotency key on a write; nil for reads.
	WithKey func(P, string) P
	// Check vets corrected params before a retry is accepted (e.g. the guard).
	Check func(P) error
	// Unverifiable: the platform cannot tell whether a lost write happened, so
	// the call is tried once and a timeout counts as an ambiguous write.
	Unverifiable bool
}

// callMarket runs a marketplace step under its retry policy. When retries
// are exhausted, or the failure is permanent, the case does not die and does
// not skip the step: it opens an incident and waits for a person to retry
// (optionally with corrected params) or skip. ok=false means skipped; err is
// only ever the case being closed underneath the call.
//
// The idempotency key is <caseID>:<step>:<generation>. A plain retry keeps
// the generation, so a write that did land is not repeated; corrected params
// are a new request and get the next generation.
func callMarket[P, R any](ctx workflow.Context, r *caseRun, s marketStep[P]) (res R, ok bool, err error) {
	opts := marketOptions
	switch {
	case s.Options != nil:
		opts = *s.Options
	case s.Unverifiable:
		opts = unverifiableWriteOptions
	}
	incidentID := r.in.CaseID + "-" + s.Step
	params := s.Params
	for {
		gen := r.incidentGen[incidentID] + 1
		p := params
		if s.WithKey != nil {
			p = s.WithKey(p, fmt.Sprintf("%s:%s:%d", r.in.CaseID, s.Step, gen))
		}
		actx := workflow.WithActivityOptions(ctx, opts)
		callErr := workflow.ExecuteActivity(actx, s.Activity, p).Get(actx, &res)
		if callErr == nil {
			r.closeIncident(ctx, incidentID)
			return res, true, nil
		}
		if ctx.Err() != nil {
			return res, false, ctx.Err()
		}
		if s.Unverifiable {
			callErr = ambiguousIfTimedOut(callErr)
		}
		r.openIncident(ctx, incidentID, s.Step, s.Call, p, callErr, func(raw json.RawMessage) error {
			next := params
			if err := json.Unmarshal(raw, &next); err != nil {
				return reject(CodeWrongPayload, "params do not fit call "+s.Call+": "+err.Error())
			}
			if s.Check != nil {
				return s.Check(next)
			}
			return nil
		})
		d, err := r.awaitIncidentDecision(ctx, incidentID)
		if err != nil {
			return res, false, err
		}
		if d.Action == IncidentSkip {
			return res, false, nil
		}
		if len(d.Params) > 0 {
			// Validated by the resolve-incident validator, so it decodes.
			_ = json.Unmarshal(d.Params, &params)
			r.incidentGen[incidentID] = gen
		}
	}
}

// openIncident records a failed call in state, the audit trail and the case
// index, and notifies managers.
func (r *caseRun) openIncident(ctx workflow.Context, id, step, call string, params any, callErr error,
	check func(json.RawMessage) error) {
	class, attempts := classify(callErr)
	raw, _ := json.Marshal(params)
	now := workflow.Now(ctx)
	inc := cases.Incident{
		ID: id, CaseID: r.in.CaseID, WorkflowID: r.view.Case.WorkflowID, Marketplace: r.in.Review.Marketplace,
		ShopID: r.in.Review.ShopID, Step: step, CreatedAt: now,
	}
	if prev := r.incident(id); prev != nil {
		inc = *prev
	}
	inc.Call, inc.ErrorClass, inc.Message, inc.Params = call, class, rootMessage(callErr), raw
	inc.Attempts += attempts
	inc.Status, inc.Resolution, inc.ResolvedBy, inc.ResolvedAt, inc.UpdatedAt = cases.IncidentOpen, "", "", nil, now
	delete(r.incidentDecisions, id)
	r.incidentChecks[id] = check
	r.record(ctx, cases.EventIncidentOpened, cases.SystemActor, map[string]any{
		"incident_id": id, "call": call, "error_class": class, "message": inc.Message, "attempts": inc.Attempts,
		"incident": inc,
	})
	if strings.HasPrefix(step, stepRemedyPrefix) {
		r.record(ctx, cases.EventRemedyStepFailed, cases.SystemActor, map[string]any{"step": step, "incident_id": id})
	}
	r.escalate(ctx, activities.AlertIncident, "", call+" failed: "+inc.Message)
}

// awaitIncidentDecision flushes and waits for resolve-incident.
func (r *caseRun) awaitIncidentDecision(ctx workflow.Context, id string) (ResolveIncidentRequest, error) {
	if err := r.sync(ctx); err != nil {
		return ResolveIncidentRequest{}, err
	}
	decided := func() bool { _, ok := r.incidentDecisions[id]; return ok }
	defer r.atRest(decided)()
	if err := workflow.Await(ctx, decided); err != nil {
		return ResolveIncidentRequest{}, err
	}
	return r.incidentDecisions[id], nil
}

// closeIncident marks an incident resolved once its retried call succeeded.
func (r *caseRun) closeIncident(ctx workflow.Context, id string) {
	prev := r.incident(id)
	if prev == nil || prev.Status != cases.IncidentRetrying {
		return
	}
	inc, now := *prev, workflow.Now(ctx)
	inc.Status, inc.ResolvedAt, inc.UpdatedAt = cases.IncidentResolved, timePtr(now), now
	r.record(ctx, cases.EventIncidentResolved, cases.SystemActor, map[string]any{"incident_id": id, "status": inc.Status, "incident": inc})
}

// incident is the case's incident with an id as its events fold, or nil.
func (r *caseRun) incident(id string) *cases.Incident { return r.view.Incident(id) }

// classify reads the error class and attempt count the activity attached.
func classify(err error) (cases.ErrorClass, int) {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		attempts := 1
		var d activities.ErrorDetail
		if appErr.HasDetails() && appErr.Details(&d) == nil && d.Attempt > 0 {
			attempts = int(d.Attempt)
		}
		class := cases.ErrorClass(appErr.Type())
		if class == "" || class == "no_connector" {
			class = cases.ErrPermanent
		}
		return class, attempts
	}
	var timeout *temporal.TimeoutError
	if errors.As(err, &timeout) {
		return cases.ErrRetryable, marketAttempts
	}
	return cases.ErrRetryable, 1
}

// ambiguousIfTimedOut: an attempt that timed out (the worker may have died
// mid-call) may have applied its write; say so, so nobody retries blindly.
func ambiguousIfTimedOut(err error) error {
	var timeout *temporal.TimeoutError
	if !errors.As(err, &timeout) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(
		"the call timed out and may have been applied; check the platform before retrying",
		string(cases.ErrAmbiguous), temporal.ApplicationErrorOptions{Cause: err, NonRetryable: true})
}

// rootMessage is the innermost error message: the platform's words, not the
// SDK's wrapping.
func rootMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	for errors.Unwrap(err) != nil {
		err = errors.Unwrap(err)
	}
	return err.Error()
}
