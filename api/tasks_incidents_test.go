package api

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

func seedTasksAndIncidents(h *harness) cases.Case {
	now := time.Now().UTC().Truncate(time.Second)
	c := testCase("inbox", now.Add(-5*time.Hour))
	due := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	task := func(kind cases.TaskKind, n string, role cases.Role, assignee string, dueAt *time.Time) cases.Task {
		return cases.Task{ID: c.ID + "-" + string(kind) + "-" + n, CaseID: c.ID, WorkflowID: c.WorkflowID, Kind: kind,
			Status: cases.TaskOpen, Role: role, Assignee: assignee, Marketplace: c.Marketplace, ShopID: c.ShopID,
			DueAt: dueAt, Input: json.RawMessage(`{}`), CreatedAt: c.OpenedAt, UpdatedAt: c.OpenedAt, Version: 1}
	}
	claimed := task(cases.TaskVerify, "1", cases.RoleAgent, "test-agent", due(2*time.Hour))
	claimed.Status = cases.TaskClaimed
	incident := func(step string, class cases.ErrorClass, age time.Duration) cases.Incident {
		return cases.Incident{ID: c.ID + "-" + step, CaseID: c.ID, WorkflowID: c.WorkflowID, Marketplace: c.Marketplace,
			ShopID: c.ShopID, Call: "send_buyer_message", Step: step, ErrorClass: class, Message: "HTTP 400",
			Attempts: 5, Params: json.RawMessage(`{"text":"hola"}`), Status: cases.IncidentOpen,
			CreatedAt: now.Add(-age), UpdatedAt: now.Add(-age), Version: 1}
	}
	h.seedCase(cases.SyncBatch{Case: c,
		Tasks: []cases.Task{
			task(cases.TaskContactBuyer, "1", cases.RoleAgent, "", due(-time.Hour)),
			claimed,
			task(cases.TaskApproveRemedy, "1", cases.RoleManager, "", due(5*time.Hour)),
		},
		Incidents: []cases.Incident{
			incident("first_contact", cases.ErrPermanent, 3*time.Hour),
			incident("remedy_refund", cases.ErrAuthRevoked, 10*time.Minute),
		},
	})
	return c
}

type taskPage struct {
	Items      []cases.Task `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

func TestTaskInbox(t *testing.T) {
	h := newHarness(t)
	c := seedTasksAndIncidents(h)
	get := func(path string) taskPage {
		rec := h.do(request{method: http.MethodGet, path: path, role: cases.RoleAgent})
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var p taskPage
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
		return p
	}
	all := get("/v1/tasks")
	require.Len(t, all.Items, 3)
	assert.Equal(t, c.ID+"-contact_buyer-1", all.Items[0].ID, "soonest due first")

	mine := get("/v1/tasks?assignee=me")
	require.Len(t, mine.Items, 1)
	assert.Equal(t, cases.TaskVerify, mine.Items[0].Kind)

	assert.Len(t, get("/v1/tasks?overdue=true").Items, 1)
	assert.Len(t, get("/v1/tasks?role=manager").Items, 1)

	first := get("/v1/tasks?limit=2")
	require.Len(t, first.Items, 2)
	require.NotEmpty(t, first.NextCursor)
	rest := get("/v1/tasks?limit=2&cursor=" + first.NextCursor)
	require.Len(t, rest.Items, 1)
	assert.Equal(t, c.ID+"-approve_remedy-1", rest.Items[0].ID)

	rec := h.do(request{method: http.MethodGet, path: "/v1/tasks/" + c.ID + "-verify-1", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = h.do(request{method: http.MethodGet, path: "/v1/tasks/garbage", role: cases.RoleManager})
	require.Equal(t, http.StatusNotFound, rec.Code)
}

func TestIncidentsListAndBulkRetry(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Config.TemporalTimeout = time.Second })
	c := seedTasksAndIncidents(h)

	rec := h.do(request{method: http.MethodGet, path: "/v1/incidents?older_than=1h", role: cases.RoleAutomation})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var page struct {
		Items []cases.Incident `json:"items"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 1)
	assert.Equal(t, c.ID+"-first_contact", page.Items[0].ID)

	rec = h.do(request{method: http.MethodGet, path: "/v1/incidents/" + c.ID + "-remedy_refund", role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	rec = h.do(request{method: http.MethodPost, path: "/v1/incidents/" + c.ID + "-first_contact/skip", body: `{}`, role: cases.RoleAutomation})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, []FieldError{{Field: "reason", Code: "required", Message: "is required"}}, problemOf(t, rec).Errors)

	rec = h.do(request{method: http.MethodPost, path: "/v1/incidents/" + c.ID + "-first_contact/retry", body: `{"params":"shorter"}`, role: cases.RoleAutomation})
	require.Equal(t, http.StatusBadRequest, rec.Code)

	// The seeded case has no workflow: each retry fails, and the report says so per incident.
	rec = h.do(request{method: http.MethodPost, path: "/v1/incidents/retry", body: `{"call":"send_buyer_message","params":{"text":"hi"}}`, role: cases.RoleAutomation})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var bulk bulkRetryResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &bulk))
	assert.Equal(t, 2, bulk.Matched)
	assert.Equal(t, 0, bulk.Retried)
	assert.Equal(t, 2, bulk.Failed)
	require.Len(t, bulk.Results, 2)
	assert.Equal(t, "not_found: case not found", bulk.Results[0].Error)

	rec = h.do(request{method: http.MethodPost, path: "/v1/incidents/retry", body: `{"error_class":"auth_revoked","older_than":"1h"}`, role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &bulk))
	assert.Equal(t, 0, bulk.Matched)
}
