package api

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// csvPageSize is how many events one read of a CSV export fetches.
const csvPageSize = 500

// listEvents returns a case's audit timeline after after_seq; with
// Accept: text/csv or format=csv the whole remaining timeline as CSV.
func (s *Server) listEvents(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	if !validCaseID(id) {
		return notFound("case")
	}
	q := newQuery(c)
	afterSeq := q.int64Min("after_seq", 0)
	limit := q.limit()
	format := q.str("format", "json", "csv")
	if err := q.err(); err != nil {
		return err
	}
	if wantsCSV(c, format) {
		return s.eventsCSV(c, id, afterSeq)
	}
	events, err := s.store.ListEvents(ctx, id, afterSeq, limit)
	if err != nil {
		return fmt.Errorf("list events of %s: %w", id, err)
	}
	if len(events) == 0 && afterSeq == 0 {
		if err := s.requireCase(c, id); err != nil {
			return err
		}
	}
	page := store.Page[cases.Event]{Items: events}
	if len(events) == limit {
		page.NextCursor = strconv.FormatInt(events[len(events)-1].Seq, 10)
	}
	return c.JSON(http.StatusOK, page)
}

// requireCase is 404 unless the case is indexed.
func (s *Server) requireCase(c echo.Context, id string) error {
	if _, err := s.store.GetCase(c.Request().Context(), id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return notFound("case")
		}
		return fmt.Errorf("read case %s: %w", id, err)
	}
	return nil
}

func wantsCSV(c echo.Context, format string) bool {
	if format != "" {
		return format == "csv"
	}
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
}

func (s *Server) eventsCSV(c echo.Context, id string, afterSeq int64) error {
	ctx := c.Request().Context()
	first, err := s.store.ListEvents(ctx, id, afterSeq, csvPageSize)
	if err != nil {
		return fmt.Errorf("list events of %s: %w", id, err)
	}
	if len(first) == 0 && afterSeq == 0 {
		if err := s.requireCase(c, id); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-events.csv"`, id))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.Write([]string{"case_id", "seq", "at", "type", "actor", "actor_role", "data"}); err != nil {
		return err
	}
	// The header is out: from here a failure can only cut the export short.
	for events := first; len(events) > 0; {
		for _, e := range events {
			if err := w.Write([]string{e.CaseID, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano),
				string(e.Type), e.Actor, string(e.Role), string(e.Data)}); err != nil {
				return err
			}
		}
		if len(events) < csvPageSize {
			break
		}
		if events, err = s.store.ListEvents(ctx, id, events[len(events)-1].Seq, csvPageSize); err != nil {
			s.log.ErrorContext(ctx, "events export cut short", "case_id", id, "error", err)
			break
		}
	}
	w.Flush()
	return w.Error()
}
