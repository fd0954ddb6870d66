package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// reviewChangeSignals counts the review-changed signals in a case's history.
func reviewChangeSignals(t *testing.T, caseID string) int {
	t.Helper()
	iter := devTemporal.GetWorkflowHistory(context.Background(), cases.WorkflowIDFor(caseID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil && a.GetSignalName() == workflows.SignalReviewChanged {
			n++
		}
	}
	return n
}

type reviewResult struct {
	Case    *cases.Case `json:"case"`
	Opened  bool        `json:"opened"`
	Changed bool        `json:"changed"`
}

// The same review posted again is a no-op; posted with changed content (a 5★
// revision) it is signalled to the case with changed=true; that content
// again, once the case has seen it, is a no-op once more.
func TestChangedReviewReachesItsCase(t *testing.T) {
	h := newHarness(t)
	reviewID := fmt.Sprintf("changed-%d", time.Now().UnixNano())
	caseID := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)
	post := func(body string) (int, reviewResult) {
		rec := h.do(request{method: http.MethodPost, path: "/v1/reviews", body: body, role: cases.RoleAutomation})
		var res reviewResult
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res), rec.Body.String())
		return rec.Code, res
	}
	code, res := post(reviewBody(reviewID, 2))
	require.Equal(t, http.StatusCreated, code)
	require.False(t, res.Changed)

	// Not indexed yet (no worker): compared with the review the case started with.
	code, res = post(reviewBody(reviewID, 2))
	require.Equal(t, http.StatusOK, code)
	require.False(t, res.Changed, "same content redelivered")
	require.Equal(t, 0, reviewChangeSignals(t, caseID))

	revised := reviewBody(reviewID, 5)
	code, res = post(revised)
	require.Equal(t, http.StatusOK, code)
	require.True(t, res.Opened)
	require.True(t, res.Changed)
	require.Equal(t, caseID, res.Case.ID)
	require.Equal(t, 1, reviewChangeSignals(t, caseID))

	// The workflow indexed the revision: the same 5★ again changes nothing.
	row := testCase(reviewID, time.Now().UTC())
	row.Rating, row.Text = 5, "llegó roto"
	row.ReviewDigest = workflows.ReviewDigest(cases.Review{Rating: 5, Text: "llegó roto"})
	h.seedCase(cases.SyncBatch{Case: row})
	code, res = post(revised)
	require.Equal(t, http.StatusOK, code)
	require.False(t, res.Changed)
	require.Equal(t, 1, reviewChangeSignals(t, caseID))

	// A removal is a change; a closed case takes none.
	code, res = post(strings.Replace(revised, `"rating":5`, `"rating":5,"removed":true`, 1))
	require.Equal(t, http.StatusOK, code)
	require.True(t, res.Changed)
	require.Equal(t, 2, reviewChangeSignals(t, caseID))
	row.Status, row.Version = cases.StatusClosed, 2
	h.seedCase(cases.SyncBatch{Case: row})
	_, res = post(strings.Replace(revised, `"rating":5`, `"rating":1`, 1))
	assert.False(t, res.Changed)
	assert.Equal(t, 2, reviewChangeSignals(t, caseID))
}

// Agents complete manual steps with manual_step; two results at once are refused.
func TestCompleteManualStep(t *testing.T) {
	h := newHarness(t)
	caseID := startStubCase(t, fmt.Sprintf("manual-%d", time.Now().UnixNano()))
	path := "/v1/tasks/" + caseID + "-manual_step-1/complete"
	rec := h.do(request{method: http.MethodPost, path: path, role: cases.RoleAgent,
		body: `{"manual_step":{"reference":"AMZ-RF-1"}}`})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = h.do(request{method: http.MethodPost, path: path, role: cases.RoleAgent,
		body: `{"manual_step":{"reference":"AMZ-RF-1"},"contact":{"message":"x"}}`})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, rec.Body.String(), "manual_step")
}
