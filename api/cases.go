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
}

func (s *Server) getCase(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	if !validCaseID(id) {
		return notFound("case")
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
	d := caseDetail{Case: kase, Deadlines: deadlines, Indexed: true, TemporalUIURL: s.temporalUIURL(kase.WorkflowID)}
	if kase.Status == cases.StatusOpen {
		s.attachLiveState(ctx, &d)
	}
	return c.JSON(http.StatusOK, d)
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
	info := desc.GetWorkflowExecutionInfo()
	kase := cases.Case{ID: id, WorkflowID: workflowID, Stage: cases.StageIntake, Status: cases.StatusOpen}
	if info.GetStartTime() != nil {
		kase.OpenedAt = info.GetStartTime().AsTime()
	}
	d := caseDetail{Case: kase, Deadlines: []cases.Deadline{}, TemporalUIURL: s.temporalUIURL(workflowID)}
	if info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		d.Case.Status, d.Case.Stage = cases.StatusClosed, cases.StageClosed
		return c.JSON(http.StatusOK, d)
	}
	s.attachLiveState(ctx, &d)
	if st := d.State; st != nil {
		d.Case.Stage, d.Case.Status, d.Case.Severity, d.Case.Issue = st.Stage, st.Status, st.Severity, st.Issue
		d.Case.Responsibility, d.Case.Outcome, d.Case.Breached, d.Case.RemedyCost = st.Responsibility, st.Outcome, st.Breached, st.RemedyCost
	}
	return c.JSON(http.StatusOK, d)
}
