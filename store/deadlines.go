package store

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

// deadlineRow is a cases.Deadline as stored: with its case and the version of
// the case snapshot that wrote it.
type deadlineRow struct {
	CaseID        string               `db:"case_id"`
	CaseVersion   int64                `db:"case_version"`
	Kind          cases.DeadlineKind   `db:"kind"`
	StartedAt     time.Time            `db:"started_at"`
	DueAt         time.Time            `db:"due_at"`
	RemindAt      time.Time            `db:"remind_at"`
	Status        cases.DeadlineStatus `db:"status"`
	Reminded      bool                 `db:"reminded"`
	MetAt         *time.Time           `db:"met_at"`
	BreachedAt    *time.Time           `db:"breached_at"`
	LateBySeconds int64                `db:"late_by_seconds"`
}

func newDeadlineRow(caseID string, caseVersion int64, d cases.Deadline) deadlineRow {
	return deadlineRow{
		CaseID: caseID, CaseVersion: caseVersion, Kind: d.Kind,
		StartedAt: d.StartedAt, DueAt: d.DueAt, RemindAt: d.RemindAt,
		Status: d.Status, Reminded: d.Reminded, MetAt: d.MetAt, BreachedAt: d.BreachedAt,
		LateBySeconds: d.LateBySeconds,
	}
}

func (r deadlineRow) deadline() cases.Deadline {
	return cases.Deadline{
		Kind: r.Kind, StartedAt: r.StartedAt, DueAt: r.DueAt, RemindAt: r.RemindAt,
		Status: r.Status, Reminded: r.Reminded, MetAt: r.MetAt, BreachedAt: r.BreachedAt,
		LateBySeconds: r.LateBySeconds,
	}
}

// ListDeadlines returns a case's deadlines, soonest due first. A case
// without deadlines (or an unknown case) yields an empty slice.
func (s *Store) ListDeadlines(ctx context.Context, caseID string) ([]cases.Deadline, error) {
	var rows []deadlineRow
	err := s.db.SelectContext(ctx, &rows, `
SELECT case_id, case_version, kind, started_at, due_at, remind_at, status,
       reminded, met_at, breached_at, late_by_seconds
FROM case_deadlines
WHERE case_id = $1
ORDER BY due_at, kind`, caseID)
	if err != nil {
		return nil, wrap("list deadlines of "+caseID, err)
	}
	out := make([]cases.Deadline, len(rows))
	for i, r := range rows {
		out[i] = r.deadline()
	}
	return out, nil
}
