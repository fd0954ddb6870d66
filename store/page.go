package store

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// Page is one page of a keyset-paginated list. NextCursor is empty on the
// last page; passing it back as the filter's Cursor returns the next page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

const (
	defaultLimit = 50
	maxLimit     = 500
)

// listLimit is the limit of an unpaginated list (the message centre, the
// pre-emptive tasks): 100 unless the caller asks for 1 to 500.
func listLimit(limit int) int {
	if limit <= 0 || limit > maxLimit {
		return 100
	}
	return limit
}

// pageLimit applies the default and the cap to a caller's limit.
func pageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, invalid("limit %d is negative", limit)
	case limit == 0:
		return defaultLimit, nil
	case limit > maxLimit:
		return maxLimit, nil
	}
	return limit, nil
}

// cursorKey is the sort key of the last row of a page plus its id, so the
// next page starts strictly after it even when sort keys repeat. Sort names
// the ordering the cursor belongs to; a cursor is refused under another one.
type cursorKey struct {
	Sort string     `json:"s"`
	At   *time.Time `json:"t,omitempty"` // nil: the row's sort column is NULL
	ID   string     `json:"id"`
}

func encodeCursor(k cursorKey) string {
	b, _ := json.Marshal(k) // cannot fail: strings and a time
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor for the given sort.
// The empty cursor means the first page and decodes to nil.
func decodeCursor(s, sort string) (*cursorKey, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, invalid("malformed cursor")
	}
	var k cursorKey
	if err := json.Unmarshal(b, &k); err != nil || k.ID == "" {
		return nil, invalid("malformed cursor")
	}
	if k.Sort != sort {
		return nil, invalid("cursor belongs to sort %q, not %q", k.Sort, sort)
	}
	return &k, nil
}

// paginate trims the extra row fetched to detect a next page and builds the
// cursor from the last row kept.
func paginate[T any](rows []T, limit int, key func(T) cursorKey) Page[T] {
	if rows == nil {
		rows = []T{}
	}
	if len(rows) <= limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	return Page[T]{Items: rows, NextCursor: encodeCursor(key(rows[limit-1]))}
}
