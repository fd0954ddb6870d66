package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// appendEvents is SyncCase for a batch of events alone (what workflows send
// since issue 11): in one transaction it appends the events to case_events
// (once per (case, seq)), folds every event the case's snapshot has not seen
// with cases.State.Apply, and writes the case row, and the tasks, deadlines
// and incidents the fold changed, from the result. The rows are never a
// second copy kept by hand: they are what the events fold to.
func (s *Store) appendEvents(ctx context.Context, events []cases.Event, fence *cases.Fence) (Appended, error) {
	var out Appended
	caseID := events[0].CaseID
	if caseID == "" {
		return out, invalid("sync batch without case id")
	}
	b, err := normalizeBatch(cases.SyncBatch{Case: cases.Case{ID: caseID}, Events: events})
	if err != nil {
		return out, err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return out, wrap("append events: begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	// One writer per case at a time: batches of a case fold in order.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('case:' || $1, 0))`, caseID); err != nil {
		return out, wrap("append events of "+caseID+": lock", err)
	}
	open := s.opener(tx)
	prev, stored, err := loadFold(ctx, tx, open, caseID)
	if err != nil {
		return out, err
	}
	// The rows to diff the new fold against: after a rewind, none (every
	// row of the case is written again).
	base := prev
	var fenced fenceStep
	if fence != nil {
		// Compared and kept at PostgreSQL's precision (it would round).
		f := *fence
		f.TaskTime = f.TaskTime.Truncate(time.Microsecond)
		fence = &f
		if fenced, err = applyFence(ctx, tx, open, *fence, stored, b.Events); err != nil || fenced.Dropped {
			return fenced.Appended, err
		}
		if out = fenced.Appended; out.RewoundFrom > 0 {
			prev, base = fenced.refold, cases.State{}
		}
	}
	// Events the snapshot has not folded: stored ones (a batch that landed
	// without its fold, e.g. before the fold existed) and this batch's.
	unfolded, err := readEvents(ctx, tx, open, caseID, prev.Seq+1, math.MaxInt64)
	if err != nil {
		return out, err
	}
	fresh := map[int64]cases.Event{}
	for _, e := range append(unfolded, b.Events...) {
		if _, seen := fresh[e.Seq]; !seen && e.Seq > prev.Seq {
			fresh[e.Seq] = e
		}
	}
	seqs := slices.Sorted(maps.Keys(fresh))
	next := cloneState(prev)
	for _, seq := range seqs {
		e := fresh[seq]
		if err := next.Apply(e); err != nil {
			// On the record, but not folded: a case indexed before the fold
			// may lack what an event refers to. Its version still moves on.
			next.Seq = e.Seq
		}
	}
	if next.Case.ID == "" {
		next.Case.ID, next.Case.WorkflowID = caseID, cases.WorkflowIDFor(caseID)
	}
	// Personal data is written sealed with the buyer's key (privacy_seal.go).
	seal, err := s.sealerFor(ctx, tx, next.Case)
	if err != nil {
		return out, err
	}
	sealedEvents, err := seal.sealEvents(b.Events)
	if err != nil {
		return out, err
	}
	// The case row first (events reference it), then the events, then the
	// rows that depend on both.
	changed := next.Seq != prev.Seq || out.RewoundFrom > 0
	if changed {
		if err := writeCase(ctx, tx, seal, next); err != nil {
			return out, wrap("append events of "+caseID, err)
		}
	}
	if err := execEach(ctx, tx, insertEventSQL, sealedEvents); err != nil {
		return out, wrap("append events of "+caseID, err)
	}
	if changed {
		if err := writeFold(ctx, tx, seal, base, next); err != nil {
			return out, wrap("append events of "+caseID, err)
		}
	}
	if fenced.later {
		if err := keepFence(ctx, tx, caseID, *fence); err != nil {
			return out, err
		}
	}
	return out, wrap("append events of "+caseID+": commit", tx.Commit())
}

// loadFold returns the case's snapshot — the stored fold, or, for a case
// indexed before the fold or whose buyer was erased, its rows as of their
// version, or nothing yet — and the latest workflow task whose batch the
// case took (the zero fence before its first), read in the same query.
func loadFold(ctx context.Context, tx *sqlx.Tx, open *opener, caseID string) (cases.State, cases.Fence, error) {
	var row struct {
		Fold   []byte       `db:"fold"`
		Length int64        `db:"sync_fence_length"`
		Time   sql.NullTime `db:"sync_fence_time"`
	}
	err := tx.GetContext(ctx, &row, `SELECT fold, sync_fence_length, sync_fence_time FROM cases WHERE id = $1`, caseID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cases.State{}, cases.Fence{}, nil
	case err != nil:
		return cases.State{}, cases.Fence{}, wrap("read fold of "+caseID, err)
	}
	fence := cases.Fence{HistoryLength: row.Length, TaskTime: row.Time.Time}
	st, err := foldOrRows(ctx, tx, open, caseID, row.Fold)
	return st, fence, err
}

// foldOrRows decodes a case's stored fold, or reads its rows when it has
// none that opens.
func foldOrRows(ctx context.Context, tx *sqlx.Tx, open *opener, caseID string, raw []byte) (cases.State, error) {
	var st cases.State
	if raw != nil {
		plain, ok, err := open.openFold(ctx, raw, caseID)
		if err != nil {
			return st, err
		}
		if ok {
			if err := json.Unmarshal(plain, &st); err != nil {
				return st, wrap("decode fold of "+caseID, err)
			}
			return st, nil
		}
	}
	if err := tx.GetContext(ctx, &st.Case, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, caseID); err != nil {
		return st, wrap("read case "+caseID, err)
	}
	if err := open.openCase(ctx, &st.Case); err != nil {
		return st, err
	}
	st.Seq = st.Case.Version
	if err := tx.SelectContext(ctx, &st.Tasks, `SELECT `+taskColumns+` FROM tasks WHERE case_id = $1 ORDER BY created_at, id`, caseID); err != nil {
		return st, wrap("read tasks of "+caseID, err)
	}
	for i := range st.Tasks {
		st.Tasks[i] = readTask(st.Tasks[i])
	}
	if err := open.openTasks(ctx, st.Tasks); err != nil {
		return st, err
	}
	if err := tx.SelectContext(ctx, &st.Incidents, `SELECT `+incidentColumns+` FROM incidents WHERE case_id = $1 ORDER BY created_at, id`, caseID); err != nil {
		return st, wrap("read incidents of "+caseID, err)
	}
	if err := open.openIncidents(ctx, st.Incidents); err != nil {
		return st, err
	}
	var rows []deadlineRow
	if err := tx.SelectContext(ctx, &rows, `
SELECT case_id, case_version, kind, started_at, due_at, remind_at, status,
       reminded, met_at, breached_at, late_by_seconds
FROM case_deadlines WHERE case_id = $1 ORDER BY started_at, kind`, caseID); err != nil {
		return st, wrap("read deadlines of "+caseID, err)
	}
	for _, r := range rows {
		st.Deadlines = append(st.Deadlines, r.deadline())
	}
	return st, nil
}

// writeCase writes the case row as the events fold, with the fold, their
// personal data sealed by seal.
func writeCase(ctx context.Context, tx *sqlx.Tx, seal *sealer, next cases.State) error {
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	_, err = tx.NamedExecContext(ctx, upsertCaseFoldSQL, foldRow{Case: seal.sealCase(next.Case), Fold: seal.sealFold(raw, next.Case.ID)})
	return err
}

// writeFold writes the tasks, incidents and deadlines that changed between
// two folds of a case.
func writeFold(ctx context.Context, tx *sqlx.Tx, seal *sealer, prev, next cases.State) error {
	b := cases.SyncBatch{Case: next.Case}
	for _, t := range next.Tasks {
		if t.Version > prev.Seq {
			b.Tasks = append(b.Tasks, t)
		}
	}
	for _, in := range next.Incidents {
		if in.Version > prev.Seq {
			b.Incidents = append(b.Incidents, in)
		}
	}
	for _, d := range next.Deadlines {
		if old := prev.Deadline(d.Kind); old == nil || !reflect.DeepEqual(*old, d) {
			b.Deadlines = append(b.Deadlines, d)
		}
	}
	b, err := normalizeBatch(b)
	if err != nil {
		return err
	}
	if b.Tasks, err = seal.sealTasks(b.Tasks); err != nil {
		return err
	}
	if b.Incidents, err = seal.sealIncidents(b.Incidents); err != nil {
		return err
	}
	if err := execEach(ctx, tx, upsertTaskSQL, b.Tasks); err != nil {
		return err
	}
	if err := execEach(ctx, tx, upsertIncidentSQL, b.Incidents); err != nil {
		return err
	}
	deadlines := make([]deadlineRow, len(b.Deadlines))
	for i, d := range b.Deadlines {
		deadlines[i] = newDeadlineRow(b.Case.ID, next.Seq, d)
	}
	return execEach(ctx, tx, upsertDeadlineSQL, deadlines)
}

// foldRow is the case row with its fold.
type foldRow struct {
	cases.Case
	Fold json.RawMessage `db:"fold"`
}

// cloneState copies a state deeply enough that applying events to the copy
// leaves the original as it was (for the diff in writeFold).
func cloneState(s cases.State) cases.State {
	raw, _ := json.Marshal(s)
	var out cases.State
	_ = json.Unmarshal(raw, &out)
	return out
}

// CaseEvents returns every event of a case in order (ErrNotFound when the
// case has none).
func (s *Store) CaseEvents(ctx context.Context, caseID string) ([]cases.Event, error) {
	var events []cases.Event
	if err := s.db.SelectContext(ctx, &events, `
SELECT case_id, seq, type, actor, actor_role, at, data
FROM case_events WHERE case_id = $1 ORDER BY seq`, caseID); err != nil {
		return nil, wrap("events of "+caseID, err)
	}
	if len(events) == 0 {
		return nil, wrap("events of "+caseID, sql.ErrNoRows)
	}
	return events, s.opener(nil).openEvents(ctx, events)
}

// CaseAsOf is the case as it stood at t: its events up to t, folded. The
// case's time to breach is counted from t. ErrNotFound when the case had no
// event by then.
func (s *Store) CaseAsOf(ctx context.Context, caseID string, t time.Time) (cases.State, error) {
	events, err := s.CaseEvents(ctx, caseID)
	if err != nil {
		return cases.State{}, err
	}
	if events[0].At.After(t) {
		return cases.State{}, wrap("case "+caseID+" as of "+t.Format(time.RFC3339), sql.ErrNoRows)
	}
	st, err := cases.FoldUntil(events, t)
	if err != nil {
		return st, invalid("fold case %s: %v", caseID, err)
	}
	st.SetTimeToBreach(t)
	return st, nil
}

// EventsOfCasesOpened returns the events of every case opened in [from, to),
// each case's in order with its marketplace and issue (for the what-if SLA
// replay).
func (s *Store) EventsOfCasesOpened(ctx context.Context, from, to time.Time) ([]cases.CaseHistory, error) {
	if !from.Before(to) {
		return nil, invalid("from must be before to")
	}
	var rows []struct {
		cases.Event
		Marketplace cases.Marketplace `db:"marketplace"`
		Issue       cases.Issue       `db:"issue"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
SELECT e.case_id, e.seq, e.type, e.actor, e.actor_role, e.at, e.data, c.marketplace, c.issue
FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE c.opened_at >= $1 AND c.opened_at < $2
ORDER BY e.case_id, e.seq`, from, to); err != nil {
		return nil, wrap("events of cases opened between", err)
	}
	open := s.opener(nil)
	for i := range rows {
		d, err := open.openObject(ctx, rows[i].Data, rows[i].CaseID)
		if err != nil {
			return nil, err
		}
		rows[i].Data = d
	}
	var out []cases.CaseHistory
	for i, r := range rows {
		if i == 0 || r.CaseID != rows[i-1].CaseID {
			out = append(out, cases.CaseHistory{Marketplace: r.Marketplace, Issue: r.Issue})
		}
		out[len(out)-1].Events = append(out[len(out)-1].Events, r.Event)
	}
	return out, nil
}
