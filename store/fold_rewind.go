package store

import (
	"context"
	"encoding/json"
	"math"
	"reflect"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// Appended is what a fenced batch did to the case index.
type Appended struct {
	// Dropped: the batch came from a workflow task older than one whose
	// batch was already taken, so nothing was written.
	Dropped bool
	// RewoundFrom is the first sequence number whose stored event a later
	// task recorded differently (0: none); Removed events from there on were
	// deleted, as written from a task that never completed.
	RewoundFrom int64
	Removed     int64
}

// AppendEvents writes a fenced batch of a case's events (events-not-rows
// version 7, written from inside the workflow task): SyncCase's fold, after
// the fence check and, when needed, the rewind described on Appended.
func (s *Store) AppendEvents(ctx context.Context, b cases.SyncBatch) (Appended, error) {
	if len(b.Events) == 0 {
		return Appended{}, nil
	}
	return s.appendEvents(ctx, b.Events, b.Fence)
}

// fenceStep is what a batch's fence decided before the fold.
type fenceStep struct {
	Appended
	later  bool        // the batch's task is later than any taken: keep its fence
	refold cases.State // after a rewind: the fold of the events before it
}

// applyFence checks a batch's workflow task against the latest one the
// case took (stored): an earlier task's batch is dropped; a later task's
// batch rewinds whatever stored events it contradicts (uncommittedFrom).
func applyFence(ctx context.Context, tx *sqlx.Tx, open *opener, f, stored cases.Fence, events []cases.Event) (fenceStep, error) {
	var st fenceStep
	caseID := events[0].CaseID
	switch c := f.Compare(stored); {
	case c < 0:
		// A task that was retried since: its retry wrote (or will write)
		// what the case's history holds.
		st.Dropped = true
		return st, nil
	case c == 0:
		return st, nil // the same task again: a retried local activity
	}
	st.later = true
	from, err := uncommittedFrom(ctx, tx, open, events)
	if err != nil || from == 0 {
		return st, err
	}
	if st.Removed, err = rewind(ctx, tx, caseID, from); err != nil {
		return st, err
	}
	st.RewoundFrom = from
	st.refold, err = foldBefore(ctx, tx, open, caseID, from)
	return st, err
}

func keepFence(ctx context.Context, tx *sqlx.Tx, caseID string, f cases.Fence) error {
	_, err := tx.ExecContext(ctx, `UPDATE cases SET sync_fence_length = $2, sync_fence_time = $3 WHERE id = $1`,
		caseID, f.HistoryLength, f.TaskTime)
	return wrap("keep sync fence of "+caseID, err)
}

// uncommittedFrom compares a batch from a later workflow task with the
// events stored from its first sequence number on. The later task's state
// holds every event its case's history holds, so a stored event it recorded
// differently, or one past its last, was written from a task that never
// completed. It returns the first such sequence number, or 0.
func uncommittedFrom(ctx context.Context, tx *sqlx.Tx, open *opener, batch []cases.Event) (int64, error) {
	first, last := batch[0], batch[len(batch)-1]
	stored, err := readEvents(ctx, tx, open, first.CaseID, first.Seq, math.MaxInt64)
	if err != nil {
		return 0, err
	}
	bySeq := make(map[int64]cases.Event, len(batch))
	for _, e := range batch {
		bySeq[e.Seq] = e
	}
	for _, st := range stored {
		e, ok := bySeq[st.Seq]
		if st.Seq > last.Seq || (ok && !sameEvent(st, e)) {
			return st.Seq, nil
		}
	}
	return 0, nil
}

// sameEvent compares a stored event with a recorded one: PostgreSQL keeps
// microseconds and rewrites JSON (key order, spacing).
func sameEvent(stored, e cases.Event) bool {
	if stored.Type != e.Type || stored.Actor != e.Actor || stored.Role != e.Role {
		return false
	}
	if d := stored.At.Sub(e.At); d < -1000 || d > 1000 {
		return false
	}
	var a, b any
	if json.Unmarshal(stored.Data, &a) != nil || json.Unmarshal(e.Data, &b) != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}

// rewind deletes the case's events from seq `from` on and the rows they
// folded into (the new fold writes every row again), and sets the case
// row's version back so that the new fold may overwrite it.
func rewind(ctx context.Context, tx *sqlx.Tx, caseID string, from int64) (int64, error) {
	var removed int64
	if err := tx.GetContext(ctx, &removed, `SELECT redress_rewind_uncommitted($1, $2)`, caseID, from); err != nil {
		return 0, wrap("rewind events of "+caseID, err)
	}
	// No foreign key points at these rows: deleting them is safe.
	for _, q := range []string{
		`DELETE FROM tasks WHERE case_id = $1`,
		`DELETE FROM incidents WHERE case_id = $1`,
		`DELETE FROM case_deadlines WHERE case_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, caseID); err != nil {
			return 0, wrap("rewind rows of "+caseID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET version = LEAST(version, $2) WHERE id = $1`, caseID, from-1); err != nil {
		return 0, wrap("rewind case "+caseID, err)
	}
	return removed, nil
}

// foldBefore folds the case's stored events before seq `from` from scratch.
func foldBefore(ctx context.Context, tx *sqlx.Tx, open *opener, caseID string, from int64) (cases.State, error) {
	events, err := readEvents(ctx, tx, open, caseID, math.MinInt64, from)
	if err != nil {
		return cases.State{}, err
	}
	var st cases.State
	for _, e := range events {
		if err := st.Apply(e); err != nil {
			st.Seq = e.Seq // as appendEvents does: on the record, not folded
		}
	}
	return st, nil
}

// readEvents reads a case's stored events with from <= seq < to, in order,
// opened.
func readEvents(ctx context.Context, tx *sqlx.Tx, open *opener, caseID string, from, to int64) ([]cases.Event, error) {
	var events []cases.Event
	if err := tx.SelectContext(ctx, &events, `
SELECT case_id, seq, type, actor, actor_role, at, data
FROM case_events WHERE case_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`, caseID, from, to); err != nil {
		return nil, wrap("read events of "+caseID, err)
	}
	return events, open.openEvents(ctx, events)
}
