package workflows

import (
	"encoding/json"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// checkFold, run after every harness case (so every path of the playbook):
// folding the case_events the case shipped gives exactly the state its
// Query returns, and the state the playbook decides on (caseRun.state) is
// that same fold.
func (h *harness) checkFold() {
	h.t.Helper()
	st := h.index()

	enc, err := h.env.QueryWorkflow(QueryState)
	require.NoError(h.t, err)
	var q CaseState
	require.NoError(h.t, enc.Get(&q))
	require.NotNil(h.t, q.Case, "the Query answers with the folded case")
	require.Equal(h.t, st.Seq, q.EventCount, "every recorded event reached the index")
	require.JSONEq(h.t, jsonOf(h, st.Case), jsonOf(h, *q.Case), "case_events fold to the Query's case")
	require.JSONEq(h.t, jsonOf(h, stateOf(st)), jsonOf(h, queryParts(q)), "case_events fold to the Query's state")
}

// foldParts is what a fold and a Query both hold, in one shape.
type foldParts struct {
	Stage          cases.Stage
	Status         cases.Status
	Severity       cases.Severity
	Issue          cases.Issue
	Responsibility cases.Responsibility
	Outcome        cases.Outcome
	Breached       bool
	RemedyCost     cases.Money
	Tasks          []cases.Task
	Deadlines      []cases.Deadline
	Incidents      []cases.Incident
	Messages       []cases.Message
	PublicReply    *cases.Message
	Replies        []string
	Notes          []string
}

func stateOf(s cases.State) foldParts {
	c := s.Case
	p := foldParts{Stage: c.Stage, Status: c.Status, Severity: c.Severity, Issue: c.Issue, Responsibility: c.Responsibility,
		Outcome: c.Outcome, Breached: c.Breached, RemedyCost: c.RemedyCost, Tasks: noVersions(s.Tasks),
		Deadlines: s.Deadlines, Incidents: noIncidentVersions(s.Incidents), PublicReply: s.PublicReply}
	if len(s.Messages) > 0 {
		p.Messages = s.Messages
	}
	for _, r := range s.BuyerReplies {
		p.Replies = append(p.Replies, r.MessageID)
	}
	for _, n := range s.Notes {
		p.Notes = append(p.Notes, n.NoteID)
	}
	return p
}

func queryParts(q CaseState) foldParts {
	p := foldParts{Stage: q.Stage, Status: q.Status, Severity: q.Severity, Issue: q.Issue, Responsibility: q.Responsibility,
		Outcome: q.Outcome, Breached: q.Breached, RemedyCost: q.RemedyCost, Tasks: noVersions(q.Tasks),
		Deadlines: q.Deadlines, Incidents: noIncidentVersions(q.Incidents)}
	for _, m := range q.Messages {
		p.Messages = append(p.Messages, cases.Message(m))
	}
	if q.PublicReply != nil {
		m := cases.Message(*q.PublicReply)
		p.PublicReply = &m
	}
	for _, r := range q.BuyerReplies {
		p.Replies = append(p.Replies, r.MessageID)
	}
	for _, n := range q.Notes {
		p.Notes = append(p.Notes, n.NoteID)
	}
	return p
}

// noVersions drops what only the index's write order sets.
func noVersions(ts []cases.Task) []cases.Task {
	out := make([]cases.Task, len(ts))
	for i, t := range ts {
		t.Version = 0
		out[i] = t
	}
	return out
}

func noIncidentVersions(is []cases.Incident) []cases.Incident {
	out := make([]cases.Incident, len(is))
	for i, in := range is {
		in.Version = 0
		out[i] = in
	}
	return out
}

func jsonOf(h *harness, v any) string {
	h.t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(h.t, err)
	return string(raw)
}
