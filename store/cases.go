package store

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

// caseColumns lists every column of cases.Case, in table order.
const caseColumns = `id, workflow_id, marketplace, shop_id, review_id, order_id, item_id,
    buyer_id, buyer_name, rating, severity, text, language, issue, stage, status,
    responsibility, remedy, outcome, assignee, courier, breached,
    next_deadline, next_deadline_at, order_amount, shipping_fee, currency, remedy_cost,
    review_created_at, opened_at, first_contact_at, resolved_at, closed_at,
    updated_at, version, review_digest`

// GetCase returns one case, or ErrNotFound.
func (s *Store) GetCase(ctx context.Context, id string) (cases.Case, error) {
	var c cases.Case
	err := s.db.GetContext(ctx, &c, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id)
	if err != nil {
		return cases.Case{}, wrap("get case "+id, err)
	}
	return c, s.opener(nil).openCase(ctx, &c)
}

// CaseExists reports whether a case row exists.
func (s *Store) CaseExists(ctx context.Context, id string) (bool, error) {
	var ok bool
	if err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)`, id); err != nil {
		return false, wrap("case exists "+id, err)
	}
	return ok, nil
}

// FindCaseByOrder returns the case of an order: an open one before closed
// ones, then the most recently opened. Webhooks carry buyer messages by
// order, not by review. ErrNotFound when the order has no case.
func (s *Store) FindCaseByOrder(ctx context.Context, m cases.Marketplace, shopID, orderID string) (cases.Case, error) {
	if orderID == "" {
		return cases.Case{}, invalid("order id is empty")
	}
	var c cases.Case
	err := s.db.GetContext(ctx, &c, `
SELECT `+caseColumns+`
FROM cases
WHERE marketplace = $1 AND shop_id = $2 AND order_id = $3
ORDER BY status = 'open' DESC, opened_at DESC, id DESC
LIMIT 1`, m, shopID, orderID)
	if err != nil {
		return cases.Case{}, wrap("find case by order "+orderID, err)
	}
	return c, s.opener(nil).openCase(ctx, &c)
}

// Sort orders of ListCases.
const (
	SortCreatedAt    = "created_at"    // newest opened first
	SortNextDeadline = "next_deadline" // soonest deadline first, cases without one last
)

// CaseFilter selects cases; empty fields match everything. "Created" is
// when the case was opened (opened_at): CreatedFrom inclusive, CreatedTo
// exclusive.
type CaseFilter struct {
	Status         string
	Stage          string
	Marketplace    string
	ShopID         string
	Issue          string
	Responsibility string
	Assignee       string
	Rating         int
	Breached       *bool
	CreatedFrom    *time.Time
	CreatedTo      *time.Time
	// AtRisk keeps open cases whose next deadline passes within this window
	// of Now (time.Now() when zero); 0 keeps every case.
	AtRisk time.Duration
	Now    time.Time
	Sort   string // SortCreatedAt (default) or SortNextDeadline
	Cursor string
	Limit  int
}

// ListCases returns one page of cases matching f. A malformed filter or
// cursor is ErrInvalid.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (Page[cases.Case], error) {
	if f.Sort == "" {
		f.Sort = SortCreatedAt
	}
	q, err := f.where()
	if err != nil {
		return Page[cases.Case]{}, err
	}
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return Page[cases.Case]{}, err
	}
	cursor, err := decodeCursor(f.Cursor, f.Sort)
	if err != nil {
		return Page[cases.Case]{}, err
	}

	var order string
	var key func(cases.Case) cursorKey
	switch f.Sort {
	case SortCreatedAt:
		if err := q.afterDesc("opened_at", cursor); err != nil {
			return Page[cases.Case]{}, err
		}
		order = "opened_at DESC, id DESC"
		key = func(c cases.Case) cursorKey {
			return cursorKey{Sort: SortCreatedAt, At: timePtr(c.OpenedAt), ID: c.ID}
		}
	case SortNextDeadline:
		q.afterAscNullsLast("next_deadline_at", cursor)
		order = "next_deadline_at ASC NULLS LAST, id ASC"
		key = func(c cases.Case) cursorKey {
			return cursorKey{Sort: SortNextDeadline, At: c.NextDeadlineAt, ID: c.ID}
		}
	}

	var rows []cases.Case
	stmt := `SELECT ` + caseColumns + `
FROM cases
` + q.clause() + `
ORDER BY ` + order + `
` + q.limit(limit)
	if err := s.db.SelectContext(ctx, &rows, stmt, q.args...); err != nil {
		return Page[cases.Case]{}, wrap("list cases", err)
	}
	if err := s.opener(nil).openCases(ctx, rows); err != nil {
		return Page[cases.Case]{}, err
	}
	return paginate(rows, limit, key), nil
}

// where validates the filter and turns it into conditions.
func (f CaseFilter) where() (*query, error) {
	switch {
	case f.Sort != SortCreatedAt && f.Sort != SortNextDeadline:
		return nil, invalid("unknown sort %q", f.Sort)
	case f.Status != "" && f.Status != string(cases.StatusOpen) && f.Status != string(cases.StatusClosed):
		return nil, invalid("unknown status %q", f.Status)
	case f.Stage != "" && !cases.Stage(f.Stage).Valid():
		return nil, invalid("unknown stage %q", f.Stage)
	case f.Marketplace != "" && !cases.Marketplace(f.Marketplace).Valid():
		return nil, invalid("unknown marketplace %q", f.Marketplace)
	case f.Issue != "" && !cases.Issue(f.Issue).Valid():
		return nil, invalid("unknown issue %q", f.Issue)
	case f.Responsibility != "" && !cases.Responsibility(f.Responsibility).Valid():
		return nil, invalid("unknown responsibility %q", f.Responsibility)
	case f.Rating < 0 || f.Rating > 5:
		return nil, invalid("rating %d is not between 1 and 5", f.Rating)
	case f.AtRisk < 0:
		return nil, invalid("at_risk %s is negative", f.AtRisk)
	}
	q := &query{}
	q.whereEq("status", f.Status)
	q.whereEq("stage", f.Stage)
	q.whereEq("marketplace", f.Marketplace)
	q.whereEq("shop_id", f.ShopID)
	q.whereEq("issue", f.Issue)
	q.whereEq("responsibility", f.Responsibility)
	q.whereEq("assignee", f.Assignee)
	if f.Rating != 0 {
		q.where("rating = " + q.arg(f.Rating))
	}
	if f.Breached != nil {
		q.where("breached = " + q.arg(*f.Breached))
	}
	if f.CreatedFrom != nil {
		q.where("opened_at >= " + q.arg(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		q.where("opened_at < " + q.arg(*f.CreatedTo))
	}
	if f.AtRisk > 0 {
		now := f.Now
		if now.IsZero() {
			now = time.Now()
		}
		q.where("status = 'open'")
		q.where("next_deadline_at < " + q.arg(now.Add(f.AtRisk)))
	}
	return q, nil
}
