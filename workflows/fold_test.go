package workflows

import (
	"encoding/json"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// checkFold: folding the events the case sent to the index gives exactly the
// rows the workflow wrote — the case row, every task, deadline and incident —
// and the state the workflow folded as it recorded them. Run after every
// harness case, so every path of the playbook is covered.
func (h *harness) checkFold() {
	h.t.Helper()
	var events []cases.Event
	for _, b := range h.batches {
		events = append(events, b.Events...)
	}
	st, err := cases.Fold(events)
	require.NoError(h.t, err)

	row := h.lastCase()
	got := st.Case
	row.UpdatedAt = got.UpdatedAt // a flush time, not an event's
	require.JSONEq(h.t, jsonOf(h, row), jsonOf(h, got), "case row folded from its events")

	tasks := h.tasks()
	require.Len(h.t, st.Tasks, len(tasks), "tasks folded from events")
	for _, t := range st.Tasks {
		want := tasks[t.ID]
		want.Version, t.Version = 0, 0
		require.JSONEq(h.t, jsonOf(h, want), jsonOf(h, t), "task %s folded from events", t.ID)
	}
	deadlines := h.deadlines()
	require.Len(h.t, st.Deadlines, len(deadlines), "deadlines folded from events")
	for _, d := range st.Deadlines {
		require.JSONEq(h.t, jsonOf(h, deadlines[d.Kind]), jsonOf(h, d), "deadline %s folded from events", d.Kind)
	}
	incidents := h.incidents()
	require.Len(h.t, st.Incidents, len(incidents), "incidents folded from events")
	for _, in := range st.Incidents {
		want := incidents[in.ID]
		want.Version, in.Version = 0, 0
		require.JSONEq(h.t, jsonOf(h, want), jsonOf(h, in), "incident %s folded from events", in.ID)
	}
}

func jsonOf(h *harness, v any) string {
	h.t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(h.t, err)
	return string(raw)
}
