package console

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// courierFlagRate is the playbook's bad-review rate above which a courier is
// flagged (three months in a row suggest switching); the store decides the
// flags, the chart only draws the line.
const courierFlagRate = 0.20

type reportView struct {
	CSVQuery     string
	From, To     string // form values, dates
	Marketplace  string
	ShopID       string
	Marketplaces []cases.Marketplace
	Report       store.Report
	// Medians in whole seconds.
	MedianContact, MedianResolution int64
	Issues                          barChart
	SLA                             barChart
	Couriers                        barChart
	Remedies                        barChart
}

// reportQuery is the API's query for the form's dates (a week to today by default).
func reportQuery(c echo.Context) (url.Values, string, string) {
	to := c.QueryParam("to")
	from := c.QueryParam("from")
	if to == "" {
		to = time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	}
	if from == "" {
		if t, err := time.Parse(time.DateOnly, to); err == nil {
			from = t.AddDate(0, 0, -7).Format(time.DateOnly)
		}
	}
	q := url.Values{"from": {from}, "to": {to}}
	for _, k := range []string{"marketplace", "shop_id"} {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	return q, from, to
}

func (con *Console) reports(c echo.Context) error {
	q, from, to := reportQuery(c)
	rv := reportView{From: from, To: to, Marketplace: q.Get("marketplace"), ShopID: q.Get("shop_id"),
		Marketplaces: cases.Marketplaces}
	rv.CSVQuery = q.Encode()
	if err := con.api.get(c, "/v1/reports/weekly?"+q.Encode(), &rv.Report); err != nil {
		return err
	}
	rv.MedianContact, rv.MedianResolution = int64(rv.Report.MedianFirstContactSeconds), int64(rv.Report.MedianResolutionSeconds)
	v := con.newView(c, &rv)
	rv.Issues, rv.SLA, rv.Couriers, rv.Remedies = issueChart(v, rv.Report), slaChart(v, rv.Report), courierChart(v, rv.Report), remedyChart(v, rv.Report)
	return con.renderView(c, http.StatusOK, "reports", "layout", v)
}

func (con *Console) reportCSV(c echo.Context) error {
	q, _, _ := reportQuery(c)
	q.Set("format", "csv")
	return con.api.stream(c, call{method: http.MethodGet, path: "/v1/reports/weekly?" + q.Encode()})
}

func issueChart(v *view, r store.Report) barChart {
	rows := make([]barInput, 0, len(r.ByIssue))
	for _, s := range r.ByIssue {
		rows = append(rows, barInput{Label: v.Label("issue", s.Issue), Marker: -1,
			Segments: []segmentInput{{Fraction: s.Share, Class: "bar"}},
			Value:    fmt.Sprintf("%d · %.0f %%", s.Count, s.Share*100)})
	}
	return layoutBars(rows, 1)
}

// slaChart stacks met, breached and pending deadlines of each kind.
func slaChart(v *view, r store.Report) barChart {
	rows := make([]barInput, 0, len(r.SLA))
	for _, d := range r.SLA {
		total := float64(d.Met + d.Breached + d.Pending)
		if total == 0 {
			continue
		}
		rows = append(rows, barInput{Label: v.Label("deadline", d.Kind), Marker: -1, Flag: d.Breached > 0,
			Segments: []segmentInput{{float64(d.Met) / total, "ok"}, {float64(d.Breached) / total, "bad"}, {float64(d.Pending) / total, "pending"}},
			Value:    v.T("report.sla_value", d.Rate*100, d.Met, d.Breached, d.Pending)})
	}
	return layoutBars(rows, 1)
}

// courierChart draws each courier's monthly bad-review rate against the 20 % line.
func courierChart(v *view, r store.Report) barChart {
	rows := make([]barInput, 0, len(r.Couriers))
	scale := 2 * courierFlagRate
	for _, m := range r.Couriers {
		scale = max(scale, m.Rate*1.1)
	}
	for _, m := range r.Couriers {
		label := m.Courier + " · " + m.Month.Format("2006-01")
		value := v.T("report.courier_unknown", m.BadReviews)
		if m.RateKnown {
			value = fmt.Sprintf("%.1f %% (%d/%d)", m.Rate*100, m.BadReviews, m.Shipments)
		}
		if m.SwitchSuggested {
			value += " · " + v.T("report.switch")
		}
		rows = append(rows, barInput{Label: label, Marker: courierFlagRate, Flag: m.AboveThreshold || m.SwitchSuggested,
			Segments: []segmentInput{{m.Rate, map[bool]string{true: "bad", false: "bar"}[m.AboveThreshold]}}, Value: value})
	}
	return layoutBars(rows, scale)
}

// remedyChart draws each remedy's improvement rate against its target.
func remedyChart(v *view, r store.Report) barChart {
	rows := make([]barInput, 0, len(r.Remedies))
	for _, m := range r.Remedies {
		marker := -1.0
		if m.Target > 0 {
			marker = m.Target
		}
		rows = append(rows, barInput{Label: v.Label("issue", m.Issue) + " · " + v.Label("remedy", m.Remedy), Marker: marker,
			Flag:     m.BelowTarget,
			Segments: []segmentInput{{m.Rate, map[bool]string{true: "bad", false: "ok"}[m.BelowTarget]}},
			Value:    fmt.Sprintf("%.0f %% (%d/%d)", m.Rate*100, m.Improved, m.Closed)})
	}
	return layoutBars(rows, 1)
}
