package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

type casePage struct {
	Items      []cases.Case `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

func TestListCasesPaginatesAndFilters(t *testing.T) {
	h := newHarness(t)
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 5 {
		c := testCase(fmt.Sprintf("list-%d", i), base.Add(time.Duration(i)*time.Hour))
		if i == 4 {
			c.Marketplace, c.Rating = cases.EBay, 1
		}
		h.seedCase(cases.SyncBatch{Case: c})
	}

	var seen []string
	path := "/v1/cases?limit=2"
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5, "pagination must end")
		rec := h.do(request{method: http.MethodGet, path: path, role: cases.RoleAgent})
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var page casePage
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		require.LessOrEqual(t, len(page.Items), 2)
		for _, c := range page.Items {
			seen = append(seen, c.ReviewID)
		}
		if page.NextCursor == "" {
			break
		}
		path = "/v1/cases?limit=2&cursor=" + url.QueryEscape(page.NextCursor)
	}
	assert.ElementsMatch(t, []string{"list-0", "list-1", "list-2", "list-3", "list-4"}, seen)

	rec := h.do(request{method: http.MethodGet, path: "/v1/cases?marketplace=ebay&rating=1", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code)
	var page casePage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 1)
	assert.Equal(t, "list-4", page.Items[0].ReviewID)
}

func TestListParametersAreValidated(t *testing.T) {
	h := newHarness(t)
	rec := h.do(request{method: http.MethodGet, path: "/v1/cases?limit=0&rating=9&marketplace=wish&breached=maybe&sort=rating&created_from=soon", role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	p := problemOf(t, rec)
	assert.Equal(t, codeValidationFailed, p.Code)
	assert.ElementsMatch(t, []FieldError{
		{Field: "limit", Code: "out_of_range", Message: "must be an integer from 1 to 200"},
		{Field: "rating", Code: "out_of_range", Message: "must be an integer from 1 to 5"},
		{Field: "marketplace", Code: codeUnknownMarketplace, Message: "must be one of: mercadolibre, ebay, amazon, taobao"},
		{Field: "breached", Code: "invalid_boolean", Message: "must be true or false"},
		{Field: "sort", Code: "not_allowed", Message: "must be one of: created_at, next_deadline"},
		{Field: "created_from", Code: "invalid_time", Message: "must be an RFC 3339 time or a date (YYYY-MM-DD)"},
	}, p.Errors)

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases?limit=201", role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code)

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases?cursor=not-a-cursor", role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	p = problemOf(t, rec)
	assert.Equal(t, codeValidationFailed, p.Code)
	assert.Equal(t, "malformed cursor", p.Detail)

	rec = h.do(request{method: http.MethodGet, path: "/v1/tasks?overdue=yes&kind=dance&due_before=tomorrow", role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Len(t, problemOf(t, rec).Errors, 3)

	rec = h.do(request{method: http.MethodGet, path: "/v1/incidents?older_than=-2h&error_class=oops", role: cases.RoleAutomation})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Len(t, problemOf(t, rec).Errors, 2)
}

func seedEvents(h *harness, c cases.Case, n int) {
	events := make([]cases.Event, n)
	for i := range events {
		events[i] = cases.Event{CaseID: c.ID, Seq: int64(i + 1), Type: cases.EventNoteAdded, Actor: "maria",
			Role: cases.RoleAgent, At: c.OpenedAt.Add(time.Duration(i) * time.Minute), Data: json.RawMessage(fmt.Sprintf(`{"text":"note, %d"}`, i+1))}
	}
	events[0].Type = cases.EventCaseOpened
	h.seedCase(cases.SyncBatch{Case: c, Events: events})
}

func TestEventsJSONAndCSV(t *testing.T) {
	h := newHarness(t)
	c := testCase("events", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	seedEvents(h, c, 3)

	rec := h.do(request{method: http.MethodGet, path: "/v1/cases/" + c.ID + "/events?limit=2", role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var page struct {
		Items      []cases.Event `json:"items"`
		NextCursor string        `json:"next_cursor"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 2)
	assert.Equal(t, "2", page.NextCursor)

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + c.ID + "/events?after_seq=2", role: cases.RoleAgent})
	page.Items, page.NextCursor = nil, ""
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 1)
	assert.Equal(t, int64(3), page.Items[0].Seq)
	assert.Empty(t, page.NextCursor)

	for _, r := range []request{
		{method: http.MethodGet, path: "/v1/cases/" + c.ID + "/events?format=csv", role: cases.RoleManager},
		{method: http.MethodGet, path: "/v1/cases/" + c.ID + "/events", role: cases.RoleManager, header: map[string]string{"Accept": "text/csv"}},
	} {
		rec := h.do(r)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, "text/csv; charset=utf-8", rec.Header().Get("Content-Type"))
		rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 4)
		assert.Equal(t, []string{"case_id", "seq", "at", "type", "actor", "actor_role", "data"}, rows[0])
		assert.Equal(t, []string{c.ID, "1", "2026-03-02T09:00:00Z", "case_opened", "maria", "agent", `{"text": "note, 1"}`}, rows[1])
	}

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/cs_nosuchcase/events", role: cases.RoleAgent})
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, codeNotFound, problemOf(t, rec).Code)
}

func TestGetIndexedCase(t *testing.T) {
	h := newHarness(t)
	c := testCase("indexed", time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC))
	c.Status, c.Stage = cases.StatusClosed, cases.StageClosed
	due := c.OpenedAt.Add(24 * time.Hour)
	h.seedCase(cases.SyncBatch{Case: c, Deadlines: []cases.Deadline{{Kind: cases.DeadlineFirstContact, StartedAt: c.OpenedAt,
		DueAt: due, RemindAt: due.Add(-2 * time.Hour), Status: cases.DeadlineMet}}})

	rec := h.do(request{method: http.MethodGet, path: "/v1/cases/" + c.ID, role: cases.RoleAutomation})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var d caseDetail
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	assert.True(t, d.Indexed)
	assert.Equal(t, c.ID, d.Case.ID)
	assert.Nil(t, d.State, "a closed case is not queried")
	require.Len(t, d.Deadlines, 1)
	assert.Equal(t, cases.DeadlineMet, d.Deadlines[0].Status)
	assert.True(t, due.Equal(d.Deadlines[0].DueAt))

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/cs_nosuchcase", role: cases.RoleAgent})
	require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/not-a-case-id", role: cases.RoleAgent})
	require.Equal(t, http.StatusNotFound, rec.Code)
}
