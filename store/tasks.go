package store

import (
	"bytes"
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

const taskColumns = `id, case_id, workflow_id, kind, status, role, assignee, priority,
    marketplace, shop_id, due_at, input, result,
    created_at, updated_at, completed_at, completed_by, version`

// Task status filters beyond the real statuses.
const (
	TaskStatusInbox = ""    // open and claimed tasks
	TaskStatusAll   = "all" // any status
)

// TaskFilter selects tasks; empty fields match everything except Status,
// where "" means the inbox (open and claimed) and "all" means any status.
// DueBefore is exclusive. Overdue keeps tasks due before Now (time.Now()
// when zero). Tasks come sorted by due time, tasks without one last, then id.
type TaskFilter struct {
	Kind        string
	Status      string
	Assignee    string
	Role        string
	CaseID      string
	Marketplace string
	ShopID      string
	DueBefore   *time.Time
	Overdue     bool
	Now         time.Time
	Cursor      string
	Limit       int
}

const taskSort = "due_at"

// GetTask returns one task, or ErrNotFound.
func (s *Store) GetTask(ctx context.Context, id string) (cases.Task, error) {
	var t cases.Task
	if err := s.db.GetContext(ctx, &t, `SELECT `+taskColumns+` FROM tasks WHERE id = $1`, id); err != nil {
		return cases.Task{}, wrap("get task "+id, err)
	}
	ts := []cases.Task{readTask(t)}
	return ts[0], s.opener(nil).openTasks(ctx, ts)
}

// ListTasks returns one page of tasks matching f.
func (s *Store) ListTasks(ctx context.Context, f TaskFilter) (Page[cases.Task], error) {
	q, err := f.where()
	if err != nil {
		return Page[cases.Task]{}, err
	}
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return Page[cases.Task]{}, err
	}
	cursor, err := decodeCursor(f.Cursor, taskSort)
	if err != nil {
		return Page[cases.Task]{}, err
	}
	q.afterAscNullsLast("due_at", cursor)

	var rows []cases.Task
	stmt := `SELECT ` + taskColumns + `
FROM tasks
` + q.clause() + `
ORDER BY due_at ASC NULLS LAST, id ASC
` + q.limit(limit)
	if err := s.db.SelectContext(ctx, &rows, stmt, q.args...); err != nil {
		return Page[cases.Task]{}, wrap("list tasks", err)
	}
	for i := range rows {
		rows[i] = readTask(rows[i])
	}
	if err := s.opener(nil).openTasks(ctx, rows); err != nil {
		return Page[cases.Task]{}, err
	}
	return paginate(rows, limit, func(t cases.Task) cursorKey {
		return cursorKey{Sort: taskSort, At: t.DueAt, ID: t.ID}
	}), nil
}

func (f TaskFilter) where() (*query, error) {
	switch {
	case f.Kind != "" && !cases.TaskKind(f.Kind).Valid():
		return nil, invalid("unknown task kind %q", f.Kind)
	case f.Role != "" && !cases.Role(f.Role).Valid():
		return nil, invalid("unknown role %q", f.Role)
	case f.Marketplace != "" && !cases.Marketplace(f.Marketplace).Valid():
		return nil, invalid("unknown marketplace %q", f.Marketplace)
	}
	q := &query{}
	switch cases.TaskStatus(f.Status) {
	case TaskStatusInbox:
		q.where("status IN ('open', 'claimed')")
	case TaskStatusAll:
	case cases.TaskOpen, cases.TaskClaimed, cases.TaskCompleted, cases.TaskCancelled:
		q.whereEq("status", f.Status)
	default:
		return nil, invalid("unknown task status %q", f.Status)
	}
	q.whereEq("kind", f.Kind)
	q.whereEq("assignee", f.Assignee)
	q.whereEq("role", f.Role)
	q.whereEq("case_id", f.CaseID)
	q.whereEq("marketplace", f.Marketplace)
	q.whereEq("shop_id", f.ShopID)
	if f.DueBefore != nil {
		q.where("due_at < " + q.arg(*f.DueBefore))
	}
	if f.Overdue {
		now := f.Now
		if now.IsZero() {
			now = time.Now()
		}
		q.where("due_at < " + q.arg(now))
	}
	return q, nil
}

// readTask turns the stored 'null' result (nothing decided yet) back into
// no result, as the workflow wrote it.
func readTask(t cases.Task) cases.Task {
	if bytes.Equal(t.Result, jsonNull) {
		t.Result = nil
	}
	return t
}
