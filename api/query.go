package api

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// queryReader parses query parameters and collects every bad one, so a
// client learns all its mistakes from one 400.
type queryReader struct {
	c    echo.Context
	errs []FieldError
}

func newQuery(c echo.Context) *queryReader { return &queryReader{c: c} }

func (q *queryReader) fail(name, code, msg string) {
	q.errs = append(q.errs, FieldError{Field: name, Code: code, Message: msg})
}

// str returns the parameter; when allowed is given the value must be one of them.
func (q *queryReader) str(name string, allowed ...string) string {
	v := strings.TrimSpace(q.c.QueryParam(name))
	if v != "" && len(allowed) > 0 && !slices.Contains(allowed, v) {
		q.fail(name, "not_allowed", "must be one of: "+strings.Join(allowed, ", "))
		return ""
	}
	return v
}

func (q *queryReader) marketplace(name string) string {
	v := q.str(name)
	if v != "" && !cases.Marketplace(v).Valid() {
		q.fail(name, codeUnknownMarketplace, "must be one of: "+joinMarketplaces())
		return ""
	}
	return v
}

func (q *queryReader) intRange(name string, lo, hi, def int) int {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		q.fail(name, "out_of_range", "must be an integer from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		return def
	}
	return n
}

func (q *queryReader) int64Min(name string, lo int64) int64 {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return lo
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo {
		q.fail(name, "out_of_range", "must be an integer of at least "+strconv.FormatInt(lo, 10))
		return lo
	}
	return n
}

func (q *queryReader) boolean(name string) *bool {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		q.fail(name, "invalid_boolean", "must be true or false")
		return nil
	}
	return &b
}

func (q *queryReader) time(name string) *time.Time {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		// A plain date is the natural way to ask for a report range.
		if t, err = time.Parse(time.DateOnly, raw); err != nil {
			q.fail(name, "invalid_time", "must be an RFC 3339 time or a date (YYYY-MM-DD)")
			return nil
		}
	}
	return &t
}

func (q *queryReader) duration(name string) time.Duration {
	raw := q.c.QueryParam(name)
	if raw == "" {
		return 0
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		q.fail(name, "invalid_duration", "must be a positive duration such as 30m or 2h")
		return 0
	}
	return d
}

func (q *queryReader) limit() int { return q.intRange("limit", 1, maxPageSize, defaultPageSize) }

func (q *queryReader) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return invalidQuery(q.errs...)
}

// stringsOf lists enum values as the strings a query parameter may take.
func stringsOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
