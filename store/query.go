package store

import (
	"strconv"
	"strings"
	"time"
)

// query collects WHERE conditions and their positional arguments, so list
// methods can add optional filters without string-counting placeholders.
type query struct {
	conds []string
	args  []any
}

// arg binds v and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// where adds a condition; build it with q.arg for every value.
func (q *query) where(cond string) { q.conds = append(q.conds, cond) }

// whereEq adds "column = value" when value is not empty.
func (q *query) whereEq(column, value string) {
	if value != "" {
		q.where(column + " = " + q.arg(value))
	}
}

// clause renders "WHERE a AND b", or nothing without conditions.
func (q *query) clause() string {
	if len(q.conds) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(q.conds, "\n  AND ")
}

// afterDesc restricts rows to those after the cursor in
// "ORDER BY column DESC, id DESC" for a NOT NULL column.
func (q *query) afterDesc(column string, c *cursorKey) error {
	if c == nil {
		return nil
	}
	if c.At == nil {
		return invalid("malformed cursor")
	}
	q.where("(" + column + ", id) < (" + q.arg(*c.At) + ", " + q.arg(c.ID) + ")")
	return nil
}

// afterAscNullsLast restricts rows to those after the cursor in
// "ORDER BY column ASC NULLS LAST, id ASC" for a nullable column.
func (q *query) afterAscNullsLast(column string, c *cursorKey) {
	if c == nil {
		return
	}
	if c.At == nil {
		q.where("(" + column + " IS NULL AND id > " + q.arg(c.ID) + ")")
		return
	}
	at, id := q.arg(*c.At), q.arg(c.ID)
	q.where("(" + column + " > " + at + " OR (" + column + " = " + at + " AND id > " + id + ") OR " + column + " IS NULL)")
}

// limit renders the LIMIT clause, fetching one extra row to detect a next page.
func (q *query) limit(n int) string { return "LIMIT " + q.arg(n+1) }

// timePtr copies t so cursors never alias a row's field.
func timePtr(t time.Time) *time.Time { return &t }
