package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

var taskStatuses = []string{string(cases.TaskOpen), string(cases.TaskClaimed), string(cases.TaskCompleted), string(cases.TaskCancelled)}

// listTasks is the agent inbox, soonest due first.
func (s *Server) listTasks(c echo.Context) error {
	q := newQuery(c)
	f := store.TaskFilter{
		Kind:        q.str("kind", stringsOf(cases.TaskKinds)...),
		Status:      q.str("status", taskStatuses...),
		Assignee:    q.str("assignee"),
		Role:        q.str("role", string(cases.RoleAgent), string(cases.RoleManager)),
		CaseID:      q.str("case_id"),
		Marketplace: q.marketplace("marketplace"),
		ShopID:      q.str("shop_id"),
		DueBefore:   q.time("due_before"),
		Now:         time.Now().UTC(),
		Cursor:      q.str("cursor"),
		Limit:       q.limit(),
	}
	if overdue := q.boolean("overdue"); overdue != nil {
		f.Overdue = *overdue
	}
	if f.Assignee == "me" {
		f.Assignee = caller(c).Name
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.store.ListTasks(c.Request().Context(), f)
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	now := time.Now()
	for i := range page.Items {
		page.Items[i].SetTimeToBreach(now)
	}
	return c.JSON(http.StatusOK, page)
}

// getTask reads the task from the index, or from its live case while the
// index has not caught up with a task created a moment ago.
func (s *Server) getTask(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	caseID, ok := caseIDOf(id)
	if !ok {
		return notFound("task")
	}
	task, err := s.store.GetTask(ctx, id)
	if err == nil {
		task.SetTimeToBreach(time.Now())
		return c.JSON(http.StatusOK, task)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("read task %s: %w", id, err)
	}
	if err := s.caseInScope(ctx, caseID); err != nil {
		return notFound("task")
	}
	st, err := s.liveState(ctx, cases.WorkflowIDFor(caseID))
	if err != nil {
		if p := s.toProblem(err); p.Status == http.StatusNotFound {
			return notFound("task")
		}
		return err
	}
	for _, t := range st.Tasks {
		if t.ID == id {
			t.SetTimeToBreach(time.Now())
			return c.JSON(http.StatusOK, t)
		}
	}
	return notFound("task")
}

type claimRequest struct {
	// Takeover lets a manager take a task someone else holds.
	Takeover bool `json:"takeover"`
}

func (s *Server) claimTask(c echo.Context) error {
	caseID, taskID, err := taskParam(c)
	if err != nil {
		return err
	}
	var req claimRequest
	if err := s.decodeJSON(c, &req, true); err != nil {
		return err
	}
	p := caller(c)
	if req.Takeover && !p.Role.AtLeastManager() {
		return newProblem(http.StatusForbidden, codeForbidden, "only a manager may take over a task")
	}
	r := workflows.ClaimTaskRequest{TaskID: taskID, Actor: p.actor(), Takeover: req.Takeover}
	return s.respondUpdate(c, caseID, workflows.UpdateClaimTask, updateID(c, workflows.UpdateClaimTask, ""), r)
}

func (s *Server) unclaimTask(c echo.Context) error {
	caseID, taskID, err := taskParam(c)
	if err != nil {
		return err
	}
	var none struct{}
	if err := s.decodeJSON(c, &none, true); err != nil {
		return err
	}
	r := workflows.UnclaimTaskRequest{TaskID: taskID, Actor: caller(c).actor()}
	return s.respondUpdate(c, caseID, workflows.UpdateUnclaimTask, updateID(c, workflows.UpdateUnclaimTask, ""), r)
}

type assignRequest struct {
	Assignee string `json:"assignee" validate:"required,max=200"`
}

func (s *Server) assignTask(c echo.Context) error {
	caseID, taskID, err := taskParam(c)
	if err != nil {
		return err
	}
	var req assignRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	r := workflows.AssignTaskRequest{TaskID: taskID, Assignee: req.Assignee, Actor: caller(c).actor()}
	return s.respondUpdate(c, caseID, workflows.UpdateAssignTask, updateID(c, workflows.UpdateAssignTask, ""), r)
}

// completeRequest is workflows.CompleteTaskRequest without task id and actor:
// exactly the field for the task's kind is set. Its content is judged by the
// workflow's Update validator, which knows the task and the platform rules.
type completeRequest struct {
	Contact       *workflows.ContactResult `json:"contact"`
	Verify        *workflows.VerifyResult  `json:"verify"`
	Remedy        *workflows.RemedyChoice  `json:"remedy"`
	Approval      *workflows.Approval      `json:"approval"`
	Appeal        *workflows.AppealFiling  `json:"appeal"`
	AppealOutcome *workflows.AppealOutcome `json:"appeal_outcome"`
	// ManualStep confirms a step done in the platform's seller console.
	ManualStep *workflows.ManualStepDone `json:"manual_step"`
}

func (r completeRequest) fieldsSet() int {
	n := 0
	for _, set := range []bool{r.Contact != nil, r.Verify != nil, r.Remedy != nil, r.Approval != nil, r.Appeal != nil,
		r.AppealOutcome != nil, r.ManualStep != nil} {
		if set {
			n++
		}
	}
	return n
}

func (s *Server) completeTask(c echo.Context) error {
	caseID, taskID, err := taskParam(c)
	if err != nil {
		return err
	}
	var req completeRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	if req.fieldsSet() != 1 {
		return invalidBody(FieldError{Field: "(body)", Code: "one_of_required",
			Message: "set exactly one of contact, verify, remedy, approval, appeal, appeal_outcome, manual_step"})
	}
	p := caller(c)
	if req.Approval != nil && !p.Role.AtLeastManager() {
		return newProblem(http.StatusForbidden, codeForbidden, "only a manager may approve")
	}
	r := workflows.CompleteTaskRequest{
		TaskID: taskID, Actor: p.actor(),
		Contact: req.Contact, Verify: req.Verify, Remedy: req.Remedy,
		Approval: req.Approval, Appeal: req.Appeal, AppealOutcome: req.AppealOutcome, ManualStep: req.ManualStep,
	}
	// A task completes once, so a retried completion replays the first answer.
	return s.respondUpdate(c, caseID, workflows.UpdateCompleteTask, updateID(c, workflows.UpdateCompleteTask, taskID), r)
}

func taskParam(c echo.Context) (caseID, taskID string, err error) {
	taskID = c.Param("id")
	caseID, ok := caseIDOf(taskID)
	if !ok {
		return "", "", notFound("task")
	}
	return caseID, taskID, nil
}
