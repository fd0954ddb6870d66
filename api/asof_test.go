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

// eventsOfACase: opened, classified, a first-contact deadline due 12 h
// after open, a contact task, the task claimed an hour later.
func eventsOfACase(reviewID string, opened time.Time) []cases.Event {
	id := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)
	rv := cases.Review{Marketplace: cases.MercadoLibre, ShopID: "shop-1", ReviewID: reviewID, OrderID: "o-1",
		Rating: 2, Text: "llegó tarde", CreatedAt: opened, Buyer: cases.Buyer{ID: "b-1", Name: "Ana"}}
	due := opened.Add(12 * time.Hour)
	taskID := id + "-contact_buyer-1"
	sys := cases.SystemActor
	return []cases.Event{
		cases.NewEvent(id, 1, cases.EventCaseOpened, sys, opened, cases.CaseOpenedData{Review: &rv}),
		cases.NewEvent(id, 2, cases.EventClassified, sys, opened, cases.ClassifiedData{Issue: cases.IssueLogisticsDelay, Severity: cases.SeverityBad, Language: "es"}),
		cases.NewEvent(id, 3, cases.EventDeadlineSet, sys, opened, cases.DeadlineData{Kind: cases.DeadlineFirstContact, StartedAt: opened, DueAt: due, RemindAt: opened.Add(10 * time.Hour)}),
		cases.NewEvent(id, 4, cases.EventTaskCreated, sys, opened, cases.TaskCreatedData{TaskID: taskID, Kind: cases.TaskContactBuyer, Role: cases.RoleAgent,
			Task: &cases.Task{ID: taskID, Kind: cases.TaskContactBuyer, Role: cases.RoleAgent, Status: cases.TaskOpen, DueAt: &due}}),
		cases.NewEvent(id, 5, cases.EventTaskClaimed, cases.Actor{ID: "ana", Role: cases.RoleAgent}, opened.Add(time.Hour), cases.TaskChangedData{TaskID: taskID}),
	}
}

func TestGetCaseAsOf(t *testing.T) {
	h := newHarness(t)
	opened := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	events := eventsOfACase("asof-1", opened)
	h.seedCase(cases.SyncBatch{Events: events})
	id := events[0].CaseID

	rec := h.do(request{method: http.MethodGet, path: "/v1/cases/" + id + "?as_of=2026-03-01T12:30:00Z", role: cases.RoleManager})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var d caseDetail
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	require.NotNil(t, d.Folded)
	assert.Equal(t, int64(4), d.Folded.Seq, "before the claim")
	assert.Empty(t, d.Case.Assignee)
	assert.Equal(t, cases.TaskOpen, d.Folded.Tasks[0].Status)
	require.NotNil(t, d.Case.TimeToBreach)
	assert.Equal(t, 11*time.Hour+30*time.Minute, time.Duration(*d.Case.TimeToBreach), "time to breach as it was then")

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + id + "?as_of=2026-03-01T14:00:00Z", role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	assert.Equal(t, "ana", d.Case.Assignee)

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + id + "?as_of=2026-02-01", role: cases.RoleAgent})
	require.Equal(t, http.StatusNotFound, rec.Code, "before the case opened")
	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + id + "?as_of=yesterday", role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
}

func TestListCasesAtRiskWithTimeToBreach(t *testing.T) {
	h := newHarness(t)
	now := time.Now().UTC().Truncate(time.Second)
	soon := eventsOfACase("risk-soon", now.Add(-10*time.Hour)) // due in 2 h
	later := eventsOfACase("risk-later", now)                  // due in 12 h
	h.seedCase(cases.SyncBatch{Events: soon})
	h.seedCase(cases.SyncBatch{Events: later})

	rec := h.do(request{method: http.MethodGet, path: "/v1/cases?at_risk=3h", role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var page casePage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
	require.Len(t, page.Items, 1)
	assert.Equal(t, soon[0].CaseID, page.Items[0].ID)
	require.NotNil(t, page.Items[0].TimeToBreach)
	assert.InDelta(t, float64(2*time.Hour), float64(*page.Items[0].TimeToBreach), float64(time.Minute))

	rec = h.do(request{method: http.MethodGet, path: "/v1/cases?at_risk=-1h", role: cases.RoleAgent})
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())

	rec = h.do(request{method: http.MethodGet, path: "/v1/tasks?case_id=" + later[0].CaseID, role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var tasks struct {
		Items []cases.Task `json:"items"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &tasks))
	require.Len(t, tasks.Items, 1)
	require.NotNil(t, tasks.Items[0].TimeToBreach, "every live task shows its time to breach")
	assert.InDelta(t, float64(12*time.Hour), float64(*tasks.Items[0].TimeToBreach), float64(time.Minute))
}

func TestSLAWhatIf(t *testing.T) {
	h := newHarness(t)
	opened := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	events := eventsOfACase("whatif-1", opened)
	id := events[0].CaseID
	// First contact made 9 h in: on time for the 12 h deadline.
	events = append(events,
		cases.NewEvent(id, 6, cases.EventMessageSent, cases.SystemActor, opened.Add(9*time.Hour), cases.MessageSentData{Kind: "first_contact", Text: "hola"}),
		cases.NewEvent(id, 7, cases.EventDeadlineMet, cases.SystemActor, opened.Add(9*time.Hour), cases.DeadlineData{Kind: cases.DeadlineFirstContact}))
	h.seedCase(cases.SyncBatch{Events: events})

	body := `{"from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z",
	  "policy": {"rules": [{"marketplace": "mercadolibre", "durations": {"first_contact": "8h"}, "business_hours": {"none": true}}]}}`
	rec := h.do(request{method: http.MethodPost, path: "/v1/sla/whatif", role: cases.RoleManager, body: body})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var rep WhatIfReport
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &rep))
	require.Equal(t, 1, rep.Cases)
	require.Len(t, rep.Rows, 1)
	r := rep.Rows[0]
	assert.Equal(t, cases.DeadlineFirstContact, r.Kind)
	assert.Equal(t, 1, r.Now.Met)
	assert.Equal(t, 1, r.Proposed.Breached, "8 h: met an hour late")
	assert.Equal(t, int64(3600), r.Proposed.AvgLateBySeconds)

	rec = h.do(request{method: http.MethodPost, path: "/v1/sla/whatif", role: cases.RoleAgent, body: body})
	require.Equal(t, http.StatusForbidden, rec.Code, "managers only")
	rec = h.do(request{method: http.MethodPost, path: "/v1/sla/whatif", role: cases.RoleManager,
		body: `{"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z", "policy": {"rules": [{"reminder_ratio": 3}]}}`})
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
}
