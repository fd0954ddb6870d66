package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// SyncCase writes a workflow's batch in one transaction. Every write is
// guarded so that retried and reordered batches are harmless:
//   - the case, its tasks and incidents are only overwritten by a version at
//     least as new as the stored one;
//   - deadlines are only overwritten by a batch whose case version is at
//     least the one that last wrote them;
//   - events are inserted once per (case_id, seq).
//
// Writing the same batch twice changes nothing. The case row is written
// first, which locks it, so concurrent batches of one case run one after
// the other instead of deadlocking on their events.
func (s *Store) SyncCase(ctx context.Context, b cases.SyncBatch) error {
	if b.Case.ID == "" && len(b.Events) > 0 {
		_, err := s.appendEvents(ctx, b.Events, b.Fence)
		return err
	}
	b, err := normalizeBatch(b)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return wrap("sync case: begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if b, err = s.sealBatch(ctx, tx, b); err != nil {
		return wrap("sync case "+b.Case.ID, err)
	}

	if _, err := tx.NamedExecContext(ctx, upsertCaseSQL, b.Case); err != nil {
		return wrap("sync case "+b.Case.ID, err)
	}
	if err := execEach(ctx, tx, insertEventSQL, b.Events); err != nil {
		return wrap("sync case "+b.Case.ID+": events", err)
	}
	if err := execEach(ctx, tx, upsertTaskSQL, b.Tasks); err != nil {
		return wrap("sync case "+b.Case.ID+": tasks", err)
	}
	if err := execEach(ctx, tx, upsertIncidentSQL, b.Incidents); err != nil {
		return wrap("sync case "+b.Case.ID+": incidents", err)
	}
	deadlines := make([]deadlineRow, len(b.Deadlines))
	for i, d := range b.Deadlines {
		deadlines[i] = newDeadlineRow(b.Case.ID, b.Case.Version, d)
	}
	if err := execEach(ctx, tx, upsertDeadlineSQL, deadlines); err != nil {
		return wrap("sync case "+b.Case.ID+": deadlines", err)
	}
	if err := tx.Commit(); err != nil {
		return wrap("sync case "+b.Case.ID+": commit", err)
	}
	return nil
}

// execEach runs one named statement per item, prepared once.
func execEach[T any](ctx context.Context, tx *sqlx.Tx, query string, items []T) error {
	if len(items) == 0 {
		return nil
	}
	stmt, err := tx.PrepareNamedContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, it := range items {
		if _, err := stmt.ExecContext(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

// normalizeBatch checks that every row belongs to the batch's case, fills
// the ids a workflow may leave implicit, replaces empty JSON with a value the
// NOT NULL jsonb columns accept, and sorts rows by key so that concurrent
// writers always touch rows in the same order. The caller's slices are not
// modified.
func normalizeBatch(b cases.SyncBatch) (cases.SyncBatch, error) {
	c := &b.Case
	if c.ID == "" {
		return b, invalid("sync batch without case id")
	}
	if c.WorkflowID == "" {
		c.WorkflowID = cases.WorkflowIDFor(c.ID)
	}

	b.Events = slices.Clone(b.Events)
	for i := range b.Events {
		e := &b.Events[i]
		if err := belongs("event", fmt.Sprint(e.Seq), &e.CaseID, c.ID); err != nil {
			return b, err
		}
		e.Data = jsonOr(e.Data, jsonEmptyObject)
	}
	slices.SortFunc(b.Events, func(x, y cases.Event) int { return cmp.Compare(x.Seq, y.Seq) })

	b.Tasks = slices.Clone(b.Tasks)
	for i := range b.Tasks {
		t := &b.Tasks[i]
		if err := belongs("task", t.ID, &t.CaseID, c.ID); err != nil {
			return b, err
		}
		if t.WorkflowID == "" {
			t.WorkflowID = c.WorkflowID
		}
		t.Input = jsonOr(t.Input, jsonEmptyObject)
		t.Result = jsonOr(t.Result, jsonNull)
	}
	slices.SortFunc(b.Tasks, func(x, y cases.Task) int { return cmp.Compare(x.ID, y.ID) })

	b.Incidents = slices.Clone(b.Incidents)
	for i := range b.Incidents {
		in := &b.Incidents[i]
		if err := belongs("incident", in.ID, &in.CaseID, c.ID); err != nil {
			return b, err
		}
		if in.WorkflowID == "" {
			in.WorkflowID = c.WorkflowID
		}
		in.Params = jsonOr(in.Params, jsonEmptyObject)
	}
	slices.SortFunc(b.Incidents, func(x, y cases.Incident) int { return cmp.Compare(x.ID, y.ID) })

	b.Deadlines = slices.Clone(b.Deadlines)
	slices.SortFunc(b.Deadlines, func(x, y cases.Deadline) int { return cmp.Compare(x.Kind, y.Kind) })
	return b, nil
}

// belongs fills an empty case id and refuses a row of another case.
func belongs(what, id string, caseID *string, want string) error {
	switch *caseID {
	case "":
		*caseID = want
	case want:
	default:
		return invalid("%s %s belongs to case %s, not %s", what, id, *caseID, want)
	}
	return nil
}

var (
	jsonEmptyObject = json.RawMessage(`{}`)
	jsonNull        = json.RawMessage(`null`)
)

// jsonOr returns raw, or def when raw is empty.
func jsonOr(raw, def json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return def
	}
	return raw
}
