package testenv

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// WaitTimeout bounds every wait on a case: long enough for a marketplace
// call's full retry budget under injected faults, short enough to fail fast.
const WaitTimeout = 90 * time.Second

// CaseView is GET /v1/cases/{id}: the indexed row and, while the case is
// open, the workflow's live state.
type CaseView struct {
	Case       cases.Case           `json:"case"`
	State      *workflows.CaseState `json:"state"`
	StateError string               `json:"state_error"`
	Indexed    bool                 `json:"indexed"`
}

// OpenIncidents are the live state's incidents waiting for a decision.
func (v CaseView) OpenIncidents() []cases.Incident {
	if v.State == nil {
		return nil
	}
	var out []cases.Incident
	for _, inc := range v.State.Incidents {
		if inc.Status == cases.IncidentOpen {
			out = append(out, inc)
		}
	}
	return out
}

// OpenTask returns the live state's open or claimed task of a kind.
func (v CaseView) OpenTask(kind cases.TaskKind) (cases.Task, bool) {
	if v.State == nil {
		return cases.Task{}, false
	}
	for _, t := range v.State.Tasks {
		if t.Kind == kind && (t.Status == cases.TaskOpen || t.Status == cases.TaskClaimed) {
			return t, true
		}
	}
	return cases.Task{}, false
}

// Case reads GET /v1/cases/{id} as the holder of token.
func (s *Stack) Case(ctx context.Context, token, caseID string) (CaseView, error) {
	r, err := s.Do(ctx, http.MethodGet, "/v1/cases/"+url.PathEscape(caseID), token, nil)
	if err != nil {
		return CaseView{}, err
	}
	if r.Status != http.StatusOK {
		return CaseView{}, fmt.Errorf("get case %s: %d %s", caseID, r.Status, r.Body)
	}
	var v CaseView
	if err := r.JSON(&v); err != nil {
		return CaseView{}, fmt.Errorf("decode case %s: %w", caseID, err)
	}
	return v, nil
}

// WaitCase waits until the case is indexed and cond holds, and returns the
// last view it read (also on timeout, for the failure message).
func (s *Stack) WaitCase(ctx context.Context, token, caseID string, cond func(CaseView) bool) (CaseView, error) {
	var last CaseView
	err := Eventually(ctx, WaitTimeout, func() (bool, error) {
		v, err := s.Case(ctx, token, caseID)
		if err != nil {
			return false, err
		}
		last = v
		return v.Indexed && cond(v), nil
	})
	if err != nil {
		return last, fmt.Errorf("case %s: %w", caseID, err)
	}
	return last, nil
}

// Events reads the case's audit trail, oldest first.
func (s *Stack) Events(ctx context.Context, token, caseID string) ([]cases.Event, error) {
	r, err := s.Do(ctx, http.MethodGet, "/v1/cases/"+url.PathEscape(caseID)+"/events?limit=200", token, nil)
	if err != nil {
		return nil, err
	}
	var page struct {
		Items []cases.Event `json:"items"`
	}
	if r.Status != http.StatusOK || r.JSON(&page) != nil {
		return nil, fmt.Errorf("events of %s: %d %s", caseID, r.Status, r.Body)
	}
	return page.Items, nil
}

// Incidents lists GET /v1/incidents with the given filters.
func (s *Stack) Incidents(ctx context.Context, token string, filter url.Values) ([]cases.Incident, error) {
	r, err := s.Do(ctx, http.MethodGet, "/v1/incidents?"+filter.Encode(), token, nil)
	if err != nil {
		return nil, err
	}
	var page struct {
		Items []cases.Incident `json:"items"`
	}
	if r.Status != http.StatusOK || r.JSON(&page) != nil {
		return nil, fmt.Errorf("incidents %s: %d %s", filter.Encode(), r.Status, r.Body)
	}
	return page.Items, nil
}

// WaitIncident waits until the case has an incident in the index with the
// given status and returns it.
func (s *Stack) WaitIncident(ctx context.Context, token, caseID string, status cases.IncidentStatus) (cases.Incident, error) {
	var found cases.Incident
	err := Eventually(ctx, WaitTimeout, func() (bool, error) {
		items, err := s.Incidents(ctx, token, url.Values{"case_id": {caseID}, "status": {string(status)}})
		if err != nil || len(items) == 0 {
			return false, err
		}
		found = items[0]
		return true, nil
	})
	if err != nil {
		return found, fmt.Errorf("no %s incident on case %s: %w", status, caseID, err)
	}
	return found, nil
}
