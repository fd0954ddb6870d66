package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// stubCaseWorkflow stands in for CaseWorkflow so the API's Update paths run
// through a real Temporal server: validators reject the way the real ones
// do (ApplicationError typed with a workflows.Code*), notes are kept so
// deduplication by Update id is observable.
func stubCaseWorkflow(ctx workflow.Context, in workflows.CaseInput) error {
	st := workflows.CaseState{CaseID: in.CaseID, Stage: cases.StageVerification, Status: cases.StatusOpen}
	holder := "someone-else"
	result := func() (workflows.UpdateResult, error) {
		return workflows.UpdateResult{CaseID: in.CaseID, Stage: st.Stage, Status: st.Status}, nil
	}
	if err := workflow.SetQueryHandler(ctx, workflows.QueryState, func() (workflows.CaseState, error) { return st, nil }); err != nil {
		return err
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, workflows.UpdateCompleteTask,
		func(ctx workflow.Context, r workflows.CompleteTaskRequest) (workflows.UpdateResult, error) {
			return result()
		},
		workflow.UpdateHandlerOptions{Validator: func(r workflows.CompleteTaskRequest) error {
			if r.Remedy != nil && r.Remedy.Type == "teleport" {
				return temporal.NewApplicationError("remedy teleport is not in the playbook", workflows.CodeRemedyNotAllowed)
			}
			return nil
		}})
	if err != nil {
		return err
	}
	err = workflow.SetUpdateHandlerWithOptions(ctx, workflows.UpdateClaimTask,
		func(ctx workflow.Context, r workflows.ClaimTaskRequest) (workflows.UpdateResult, error) {
			holder = r.Actor.ID
			return result()
		},
		workflow.UpdateHandlerOptions{Validator: func(r workflows.ClaimTaskRequest) error {
			if holder != "" && holder != r.Actor.ID && !r.Takeover {
				return temporal.NewApplicationError("task is held by "+holder, workflows.CodeTaskClaimedByOther)
			}
			return nil
		}})
	if err != nil {
		return err
	}
	err = workflow.SetUpdateHandler(ctx, workflows.UpdateAddNote,
		func(ctx workflow.Context, r workflows.NoteRequest) (workflows.UpdateResult, error) {
			st.Notes = append(st.Notes, r)
			return result()
		})
	if err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

// startStubCase runs stubCaseWorkflow as a case's workflow on its own task queue.
func startStubCase(t *testing.T, reviewID string) string {
	t.Helper()
	queue := "api-test-" + reviewID
	w := worker.New(devTemporal, queue, worker.Options{})
	w.RegisterWorkflowWithOptions(stubCaseWorkflow, workflow.RegisterOptions{Name: workflows.CaseWorkflowName})
	require.NoError(t, w.Start())
	t.Cleanup(w.Stop)
	caseID := cases.CaseIDFor(cases.EBay, "shop-9", reviewID)
	_, err := devTemporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID: cases.WorkflowIDFor(caseID), TaskQueue: queue,
	}, workflows.CaseWorkflowName, workflows.CaseInput{CaseID: caseID,
		Review: cases.Review{Marketplace: cases.EBay, ShopID: "shop-9", ReviewID: reviewID, Rating: 1}})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = devTemporal.TerminateWorkflow(context.Background(), cases.WorkflowIDFor(caseID), "", "test done")
	})
	return caseID
}

func TestUpdateRejectionsMapToProblems(t *testing.T) {
	h := newHarness(t)
	caseID := startStubCase(t, fmt.Sprintf("upd-%d", time.Now().UnixNano()))
	task := "/v1/tasks/" + caseID + "-choose_remedy-1"

	rec := h.do(request{method: http.MethodPost, path: task + "/complete", body: `{"remedy":{"type":"teleport"}}`, role: cases.RoleAgent})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	p := problemOf(t, rec)
	assert.Equal(t, workflows.CodeRemedyNotAllowed, p.Code)
	assert.Equal(t, "remedy teleport is not in the playbook", p.Detail)

	rec = h.do(request{method: http.MethodPost, path: task + "/complete", body: `{"remedy":{"type":"coupon"},"verify":{}}`, role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, codeValidationFailed, problemOf(t, rec).Code)

	rec = h.do(request{method: http.MethodPost, path: task + "/complete", body: `{"remedy":{"type":"coupon","amount":5}}`, role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var res workflows.UpdateResult
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res))
	assert.Equal(t, caseID, res.CaseID)

	rec = h.do(request{method: http.MethodPost, path: task + "/claim", role: cases.RoleAgent})
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	assert.Equal(t, workflows.CodeTaskClaimedByOther, problemOf(t, rec).Code)

	rec = h.do(request{method: http.MethodPost, path: task + "/claim", body: `{"takeover":true}`, role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

func TestIdempotencyKeyReplaysTheFirstResult(t *testing.T) {
	h := newHarness(t)
	caseID := startStubCase(t, fmt.Sprintf("idem-%d", time.Now().UnixNano()))
	note := request{method: http.MethodPost, path: "/v1/cases/" + caseID + "/notes", body: `{"text":"called the courier"}`,
		role: cases.RoleAgent, header: map[string]string{"Idempotency-Key": "note-1"}}
	for range 3 {
		rec := h.do(note)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	note.header = nil
	require.Equal(t, http.StatusOK, h.do(note).Code)

	rec := h.do(request{method: http.MethodGet, path: "/v1/cases/" + caseID, role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var d caseDetail
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	require.NotNil(t, d.State, "live state: %s", d.StateError)
	assert.Len(t, d.State.Notes, 2, "three posts with one key are one note, a keyless post another")
	assert.Equal(t, "test-agent", d.State.Notes[0].Actor.ID)
}

// TestUpdateNeverHangs: with no worker the Update cannot finish; the
// request ends at the Temporal timeout with 504, not when the client gives up.
func TestUpdateNeverHangs(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Config.TemporalTimeout = 1500 * time.Millisecond })
	reviewID := fmt.Sprintf("hang-%d", time.Now().UnixNano())
	rec := h.do(request{method: http.MethodPost, path: "/v1/reviews", body: reviewBody(reviewID, 1), role: cases.RoleAutomation})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	caseID := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)

	start := time.Now()
	rec = h.do(request{method: http.MethodPost, path: "/v1/cases/" + caseID + "/notes", body: `{"text":"hello"}`, role: cases.RoleAgent})
	assert.Less(t, time.Since(start), 5*time.Second)
	require.Equal(t, http.StatusGatewayTimeout, rec.Code, rec.Body.String())
	assert.Equal(t, codeTimeout, problemOf(t, rec).Code)

	rec = h.do(request{method: http.MethodPost, path: "/v1/cases/cs_nosuchcase/notes", body: `{"text":"hello"}`, role: cases.RoleAgent})
	require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
}

func TestTemporalProblemMapping(t *testing.T) {
	for code, status := range rejectionStatus {
		err := fmt.Errorf("update: %w", temporal.NewApplicationError("no", code))
		p := temporalProblem(err)
		require.NotNil(t, p)
		assert.Equal(t, status, p.Status, code)
		assert.Equal(t, code, p.Code)
	}
	p := temporalProblem(temporal.NewApplicationError("odd", "SomethingNew"))
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	assert.Equal(t, "update_rejected", p.Code)
	assert.Nil(t, temporalProblem(errors.New("plain")))
}
