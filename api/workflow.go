package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// updateCase sends an Update to a case workflow and waits for its result,
// bounded by the Temporal timeout. A rejected Update changes nothing.
func (s *Server) updateCase(ctx context.Context, caseID, name, updateID string, arg any) (workflows.UpdateResult, error) {
	var res workflows.UpdateResult
	// Temporal knows nothing of organisations: ask the store first.
	if err := s.caseInScope(ctx, caseID); err != nil {
		return res, err
	}
	ctx, cancel := s.temporalContext(ctx)
	defer cancel()
	for attempt := 1; ; attempt++ {
		err := s.tryUpdate(ctx, caseID, name, updateID, arg, &res)
		// WorkflowNotReady: the workflow task that carried the Update failed
		// (a worker died, or the server refused its commands) and dropped the
		// Update with it. Nothing changed; the same id sent again is
		// delivered in the next workflow task.
		var notReady *serviceerror.WorkflowNotReady
		if err == nil || !errors.As(err, &notReady) || attempt == updateAttempts {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, err
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}

// updateAttempts bounds how often an Update dropped with its workflow task is sent again.
const updateAttempts = 5

func (s *Server) tryUpdate(ctx context.Context, caseID, name, updateID string, arg any, res *workflows.UpdateResult) error {
	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   cases.WorkflowIDFor(caseID),
		UpdateName:   name,
		UpdateID:     updateID,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, res)
	}
	if err != nil {
		return fmt.Errorf("update %s on case %s: %w", name, caseID, err)
	}
	return nil
}

// updateID makes the Update id. Temporal deduplicates Updates by id, so a
// client's Idempotency-Key makes a retried request return the first result.
// Without one, natural (a key the operation itself implies, like the task
// for a completion) is used, else the request id.
func updateID(c echo.Context, op, natural string) string {
	if key := c.Request().Header.Get("Idempotency-Key"); key != "" {
		// Scoped to operation and caller so one key cannot replay another's result.
		return op + "/" + caller(c).Name + "/" + key
	}
	if natural != "" {
		return op + "/" + natural
	}
	return op + "/" + requestID(c)
}

// idempotencyKey is the client's key, else the request id.
func idempotencyKey(c echo.Context) string {
	if key := c.Request().Header.Get("Idempotency-Key"); key != "" {
		return key
	}
	return requestID(c)
}

// liveState queries a running case for its current state.
func (s *Server) liveState(ctx context.Context, workflowID string) (*workflows.CaseState, error) {
	ctx, cancel := context.WithTimeout(ctx, min(s.cfg.TemporalTimeout, maxQueryWait))
	defer cancel()
	v, err := s.temporal.QueryWorkflow(ctx, workflowID, "", workflows.QueryState)
	if err != nil {
		return nil, fmt.Errorf("query state of %s: %w", workflowID, err)
	}
	var st workflows.CaseState
	if err := v.Get(&st); err != nil {
		return nil, fmt.Errorf("decode state of %s: %w", workflowID, err)
	}
	return &st, nil
}

func (s *Server) temporalUIURL(workflowID string) string {
	if s.cfg.TemporalUIURL == "" {
		return ""
	}
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", s.cfg.TemporalUIURL, s.cfg.Namespace, workflowID)
}
