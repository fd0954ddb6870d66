package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// maxQueryWait bounds the live-state Query: a case page must load even when
// no worker is polling.
const maxQueryWait = 3 * time.Second

func (s *Server) listCases(c echo.Context) error {
	q := newQuery(c)
	f := store.CaseFilter{
		Status:         q.str("status", string(cases.StatusOpen), string(cases.StatusClosed)),
		Stage:          q.str("stage", stringsOf(cases.Stages)...),
		Marketplace:    q.marketplace("marketplace"),
		ShopID:         q.str("shop_id"),
		Issue:          q.str("issue", stringsOf(cases.Issues)...),
		Responsibility: q.str("responsibility", stringsOf(cases.Responsibilities)...),
		Assignee:       q.str("assignee"),
		Rating:         q.intRange("rating", 1, 5, 0),
		Breached:       q.boolean("breached"),
		CreatedFrom:    q.time("created_from"),
		CreatedTo:      q.time("created_to"),
		AtRisk:         q.duration("at_risk"),
		Sort:           q.str("sort", "created_at", "next_deadline"),
		Cursor:         q.str("cursor"),
		Limit:          q.limit(),
	}
	if f.Assignee == "me" {
		f.Assignee = caller(c).Name
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.store.ListCases(c.Request().Context(), f)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	now := time.Now()
	for i := range page.Items {
		page.Items[i].SetTimeToBreach(now)
	}
	return c.JSON(http.StatusOK, page)
}

// caseDetail is a case as the index has it plus its live workflow state.
type caseDetail struct {
	Case      cases.Case           `json:"case"`
	Deadlines []cases.Deadline     `json:"deadlines"`
	State     *workflows.CaseState `json:"state"`
	// StateError says why live state is missing for an open case (e.g. timeout).
	StateError string `json:"state_error,omitempty"`
	// Indexed is false when the case is answered from its workflow because
	// its first row has not reached the index yet.
	Indexed       bool   `json:"indexed"`
	TemporalUIURL string `json:"temporal_ui_url,omitempty"`
	// AsOf: the case as it stood then, folded from its events (as_of=).
	AsOf *time.Time `json:"as_of,omitempty"`
	// Folded is the whole case as of AsOf: tasks, incidents, messages.
	Folded *cases.State `json:"folded,omitempty"`
}

func (s *Server) getCase(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	if !validCaseID(id) {
		return notFound("case")
	}
	q := newQuery(c)
	asOf := q.time("as_of")
	if err := q.err(); err != nil {
		return err
	}
	if asOf != nil {
		return s.caseAsOf(c, id, *asOf)
	}
	kase, err := s.store.GetCase(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return s.caseFromWorkflow(c, id)
	}
	if err != nil {
		return fmt.Errorf("read case %s: %w", id, err)
	}
	deadlines, err := s.store.ListDeadlines(ctx, id)
	if err != nil {
		return fmt.Errorf("read deadlines of %s: %w", id, err)
	}
	kase.SetTimeToBreach(time.Now())
	d := caseDetail{Case: kase, Deadlines: deadlines, Indexed: true, TemporalUIURL: s.temporalUIURL(kase.WorkflowID)}
	if kase.Status == cases.StatusOpen {
		s.attachLiveState(ctx, &d)
	}
	return c.JSON(http.StatusOK, d)
}

// caseAsOf answers with the case as it stood at t: its case_events up to t,
// folded; time to breach counts from t.
func (s *Server) caseAsOf(c echo.Context, id string, t time.Time) error {
	st, err := s.store.CaseAsOf(c.Request().Context(), id, t)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("case")
	}
	if err != nil {
		return fmt.Errorf("case %s as of %s: %w", id, t.Format(time.RFC3339), err)
	}
	cases.SortDeadlines(st.Deadlines)
	return c.JSON(http.StatusOK, caseDetail{
		Case: st.Case, Deadlines: st.Deadlines, Indexed: true, TemporalUIURL: s.temporalUIURL(st.Case.WorkflowID),
		AsOf: &t, Folded: &st,
	})
}

// attachLiveState adds the workflow's current state; its deadlines are fresher
// than the index's. A failed Query degrades the page instead of failing it.
func (s *Server) attachLiveState(ctx context.Context, d *caseDetail) {
	st, err := s.liveState(ctx, d.Case.WorkflowID)
	if err != nil {
		d.StateError = s.toProblem(err).Code
		s.log.WarnContext(ctx, "live case state unavailable", "case_id", d.Case.ID, "error", err)
		return
	}
	d.State = st
	if len(st.Deadlines) > 0 {
		d.Deadlines = st.Deadlines
	}
}

// caseFromWorkflow answers for a case whose row is not indexed yet.
func (s *Server) caseFromWorkflow(c echo.Context, id string) error {
	ctx := c.Request().Context()
	// Until the workflow answers: the case its start input's review opens.
	in, err := s.unindexedCase(ctx, id)
	if err != nil {
		return err
	}
	workflowID := cases.WorkflowIDFor(id)
	tctx, cancel := s.temporalContext(ctx)
	desc, err := s.temporal.DescribeWorkflowExecution(tctx, workflowID, "")
	cancel()
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return notFound("case")
	}
	if err != nil {
		return fmt.Errorf("describe case %s: %w", id, err)
	}
	if desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		// A case always reaches the index before its workflow ends; one that
		// never did (it failed at start) is no case.
		return notFound("case")
	}
	d := caseDetail{Deadlines: []cases.Deadline{}, TemporalUIURL: s.temporalUIURL(workflowID)}
	if d.Case, err = openedSummary(id, in.Review); err != nil {
		return fmt.Errorf("case %s as opened: %w", id, err)
	}
	s.attachLiveState(ctx, &d)
	if st := d.State; st != nil && st.Case != nil {
		// The case as the workflow's events fold (the same fold as the index).
		d.Case = *st.Case
		d.Case.SetTimeToBreach(time.Now())
	}
	return c.JSON(http.StatusOK, d)
}
