package store

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

// ReportFilter scopes the weekly report to cases opened in [From, To),
// optionally of one marketplace and shop.
type ReportFilter struct {
	From        time.Time `json:"from"`
	To          time.Time `json:"to"`
	Marketplace string    `json:"marketplace,omitempty"`
	ShopID      string    `json:"shop_id,omitempty"`
}

// Report is the playbook's weekly learning loop: what went wrong, how fast
// Redress reacted, which remedies work, and which couriers cause trouble.
type Report struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Total int       `json:"total"` // cases opened in range
	// ByIssue shares the cases by issue; cases not yet classified count as
	// IssueUnclassified. Largest share first.
	ByIssue []IssueShare    `json:"by_issue"`
	SLA     []SLACompliance `json:"sla"`
	// Medians over the cases in range that reached the point; 0 when none did.
	MedianFirstContactSeconds float64         `json:"median_first_contact_seconds"`
	MedianResolutionSeconds   float64         `json:"median_resolution_seconds"`
	Remedies                  []RemedyOutcome `json:"remedies"`
	Couriers                  []CourierMonth  `json:"couriers"`
	// OrderCare is what happened before the reviews (report_ordercare.go).
	OrderCare OrderCareReport `json:"order_care"`
}

// IssueUnclassified groups cases whose issue is not decided yet.
const IssueUnclassified cases.Issue = "unclassified"

// IssueShare is how many cases in range were about one issue.
type IssueShare struct {
	Issue cases.Issue `json:"issue"`
	Count int         `json:"count"`
	Share float64     `json:"share"` // Count / Total
}

// SLACompliance counts one deadline kind of the cases in range. A deadline
// breached at any point counts as breached, even if later met or cancelled;
// cancelled deadlines that were never breached are not counted.
type SLACompliance struct {
	Kind     cases.DeadlineKind `json:"kind"`
	Met      int                `json:"met"`
	Breached int                `json:"breached"`
	Pending  int                `json:"pending"`
	Rate     float64            `json:"rate"` // Met / (Met + Breached); 0 when none is decided
}

// RemedyOutcome is how one remedy did on one issue. It is computed per
// (issue, remedy) because the playbook sets its success targets per issue
// group (see remedyTargets).
type RemedyOutcome struct {
	Issue    cases.Issue      `json:"issue"`
	Remedy   cases.RemedyType `json:"remedy"`
	Cases    int              `json:"cases"`
	Closed   int              `json:"closed"`
	Improved int              `json:"improved"` // closed with the review revised or removed
	Rate     float64          `json:"rate"`     // Improved / Closed; 0 when none closed
	Target   float64          `json:"target"`   // 0 when the playbook sets none
	// BelowTarget flags a remedy that misses its target on closed cases.
	BelowTarget bool `json:"below_target"`
}

// CourierMonth is one courier's bad reviews against its shipments in one
// calendar month (UTC).
type CourierMonth struct {
	Courier    string    `json:"courier"`
	Month      time.Time `json:"month"` // first day of the month, UTC
	BadReviews int       `json:"bad_reviews"`
	Shipments  int       `json:"shipments"`
	// Rate is BadReviews / Shipments when ops uploaded shipments for the
	// month (RateKnown); otherwise 0.
	Rate           float64 `json:"rate"`
	RateKnown      bool    `json:"rate_known"`
	AboveThreshold bool    `json:"above_threshold"` // Rate > CourierRateThreshold
	// SwitchSuggested: above the threshold for three consecutive months
	// ending with this one.
	SwitchSuggested bool `json:"switch_suggested"`
}

// Report builds the weekly report, one query per part.
func (s *Store) Report(ctx context.Context, f ReportFilter) (Report, error) {
	switch {
	case f.From.IsZero() || f.To.IsZero() || !f.From.Before(f.To):
		return Report{}, invalid("report needs From before To")
	case f.Marketplace != "" && !cases.Marketplace(f.Marketplace).Valid():
		return Report{}, invalid("unknown marketplace %q", f.Marketplace)
	}
	r := Report{From: f.From, To: f.To}
	var err error
	if r.ByIssue, r.Total, err = s.reportIssues(ctx, f); err != nil {
		return Report{}, err
	}
	if r.SLA, err = s.reportSLA(ctx, f); err != nil {
		return Report{}, err
	}
	if r.MedianFirstContactSeconds, r.MedianResolutionSeconds, err = s.reportMedians(ctx, f); err != nil {
		return Report{}, err
	}
	if r.Remedies, err = s.reportRemedies(ctx, f); err != nil {
		return Report{}, err
	}
	if r.Couriers, err = s.reportCouriers(ctx, f); err != nil {
		return Report{}, err
	}
	if r.OrderCare, err = s.reportOrderCare(ctx, f); err != nil {
		return Report{}, err
	}
	return r, nil
}

// scope selects the cases (aliased c) the report covers.
func (f ReportFilter) scope() *query {
	q := &query{}
	q.where("c.opened_at >= " + q.arg(f.From))
	q.where("c.opened_at < " + q.arg(f.To))
	q.whereEq("c.marketplace", f.Marketplace)
	q.whereEq("c.shop_id", f.ShopID)
	return q
}

// ratio is num/den, 0 when den is 0.
func ratio(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}
