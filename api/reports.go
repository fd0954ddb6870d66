package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/store"
)

// weeklyReport covers [from, to); by default the 7 days up to now.
func (s *Server) weeklyReport(c echo.Context) error {
	q := newQuery(c)
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -7)
	if t := q.time("to"); t != nil {
		to = *t
	}
	if t := q.time("from"); t != nil {
		from = *t
	}
	f := store.ReportFilter{From: from, To: to, Marketplace: q.marketplace("marketplace"), ShopID: q.str("shop_id")}
	format := q.str("format", "json", "csv")
	if q.err() == nil && !from.Before(to) {
		q.fail("from", "out_of_range", "must be before to")
	}
	if err := q.err(); err != nil {
		return err
	}
	report, err := s.store.Report(c.Request().Context(), f)
	if err != nil {
		return fmt.Errorf("weekly report: %w", err)
	}
	if wantsCSV(c, format) {
		return reportCSV(c, report)
	}
	return c.JSON(http.StatusOK, report)
}

// reportCSV writes the report as one table: section, key, then the measures.
// One file keeps a spreadsheet import to a single step.
func reportCSV(c echo.Context, r store.Report) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="redress-report-%s.csv"`, r.From.Format(time.DateOnly)))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	rows := [][]string{{"section", "key", "measure", "value"}}
	add := func(section, key, measure, value string) { rows = append(rows, []string{section, key, measure, value}) }
	itoa, ftoa := strconv.Itoa, func(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
	btoa := strconv.FormatBool

	add("summary", "", "from", r.From.UTC().Format(time.RFC3339))
	add("summary", "", "to", r.To.UTC().Format(time.RFC3339))
	add("summary", "", "total_cases", itoa(r.Total))
	add("summary", "", "median_first_contact_seconds", ftoa(r.MedianFirstContactSeconds))
	add("summary", "", "median_resolution_seconds", ftoa(r.MedianResolutionSeconds))
	for _, i := range r.ByIssue {
		add("issue", string(i.Issue), "count", itoa(i.Count))
		add("issue", string(i.Issue), "share", ftoa(i.Share))
	}
	for _, d := range r.SLA {
		add("sla", string(d.Kind), "met", itoa(d.Met))
		add("sla", string(d.Kind), "breached", itoa(d.Breached))
		add("sla", string(d.Kind), "pending", itoa(d.Pending))
		add("sla", string(d.Kind), "rate", ftoa(d.Rate))
	}
	for _, m := range r.Remedies {
		key := string(m.Issue) + "/" + string(m.Remedy)
		add("remedy", key, "cases", itoa(m.Cases))
		add("remedy", key, "closed", itoa(m.Closed))
		add("remedy", key, "improved", itoa(m.Improved))
		add("remedy", key, "rate", ftoa(m.Rate))
		add("remedy", key, "target", ftoa(m.Target))
		add("remedy", key, "below_target", btoa(m.BelowTarget))
	}
	for _, cm := range r.Couriers {
		key := cm.Courier + "/" + cm.Month.Format("2006-01")
		add("courier", key, "bad_reviews", itoa(cm.BadReviews))
		add("courier", key, "shipments", itoa(cm.Shipments))
		add("courier", key, "rate", ftoa(cm.Rate))
		add("courier", key, "rate_known", btoa(cm.RateKnown))
		add("courier", key, "above_threshold", btoa(cm.AboveThreshold))
		add("courier", key, "switch_suggested", btoa(cm.SwitchSuggested))
	}
	addOrderCareRows(add, r.OrderCare) // report_ordercare.go
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write report csv: %w", err)
	}
	return nil
}

type courierVolumeRequest struct {
	ShopID    string `json:"shop_id" validate:"required,max=128"`
	Shipments *int   `json:"shipments" validate:"required,min=0"`
}

type courierVolume struct {
	Courier   string `json:"courier"`
	Month     string `json:"month"`
	ShopID    string `json:"shop_id"`
	Shipments int    `json:"shipments"`
}

// setCourierVolume records a month's shipments, the denominator of a courier's bad-review rate.
func (s *Server) setCourierVolume(c echo.Context) error {
	courier := c.Param("courier")
	month, err := time.Parse("2006-01", c.Param("month"))
	if err != nil {
		return invalidQuery(FieldError{Field: "month", Code: "invalid_month", Message: "must be a month such as 2026-03"})
	}
	if courier == "" || len(courier) > 128 {
		return invalidQuery(FieldError{Field: "courier", Code: "too_long", Message: "must have 1 to 128 characters"})
	}
	var req courierVolumeRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	if err := s.store.SetCourierVolume(c.Request().Context(), req.ShopID, courier, month, *req.Shipments); err != nil {
		return fmt.Errorf("set courier volume: %w", err)
	}
	return c.JSON(http.StatusOK, courierVolume{Courier: courier, Month: month.Format("2006-01"), ShopID: req.ShopID, Shipments: *req.Shipments})
}
