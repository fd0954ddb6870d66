package store

import (
	"context"
	"slices"
	"time"

	"github.com/redress-hq/redress/cases"
)

func (s *Store) reportIssues(ctx context.Context, f ReportFilter) ([]IssueShare, int, error) {
	q := f.scope()
	shares := []IssueShare{}
	err := s.db.SelectContext(ctx, &shares, `
SELECT COALESCE(NULLIF(c.issue, ''), '`+string(IssueUnclassified)+`') AS issue,
       count(*) AS count
FROM cases c
`+q.clause()+`
GROUP BY 1
ORDER BY count DESC, issue`, q.args...)
	if err != nil {
		return nil, 0, wrap("report: issues", err)
	}
	total := 0
	for _, sh := range shares {
		total += sh.Count
	}
	for i := range shares {
		shares[i].Share = ratio(shares[i].Count, total)
	}
	return shares, total, nil
}

func (s *Store) reportSLA(ctx context.Context, f ReportFilter) ([]SLACompliance, error) {
	q := f.scope()
	sla := []SLACompliance{}
	// A deadline met late (late_by_seconds > 0) was breached first.
	err := s.db.SelectContext(ctx, &sla, `
SELECT d.kind,
       count(*) FILTER (WHERE d.status = 'met' AND d.breached_at IS NULL AND d.late_by_seconds = 0) AS met,
       count(*) FILTER (WHERE d.status = 'breached' OR d.breached_at IS NOT NULL
                           OR (d.status = 'met' AND d.late_by_seconds > 0))                   AS breached,
       count(*) FILTER (WHERE d.status = 'pending' AND d.breached_at IS NULL)                 AS pending
FROM case_deadlines d
JOIN cases c ON c.id = d.case_id
`+q.clause()+`
GROUP BY d.kind
HAVING count(*) FILTER (WHERE d.status <> 'cancelled' OR d.breached_at IS NOT NULL) > 0
ORDER BY d.kind`, q.args...)
	if err != nil {
		return nil, wrap("report: sla", err)
	}
	for i := range sla {
		sla[i].Rate = ratio(sla[i].Met, sla[i].Met+sla[i].Breached)
	}
	return sla, nil
}

func (s *Store) reportMedians(ctx context.Context, f ReportFilter) (firstContact, resolution float64, err error) {
	q := f.scope()
	var m struct {
		FirstContact float64 `db:"first_contact"`
		Resolution   float64 `db:"resolution"`
	}
	err = s.db.GetContext(ctx, &m, `
SELECT COALESCE(percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM c.first_contact_at - c.opened_at)::float8
       ) FILTER (WHERE c.first_contact_at IS NOT NULL), 0) AS first_contact,
       COALESCE(percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM c.resolved_at - c.opened_at)::float8
       ) FILTER (WHERE c.resolved_at IS NOT NULL), 0) AS resolution
FROM cases c
`+q.clause(), q.args...)
	if err != nil {
		return 0, 0, wrap("report: medians", err)
	}
	return m.FirstContact, m.Resolution, nil
}

func (s *Store) reportRemedies(ctx context.Context, f ReportFilter) ([]RemedyOutcome, error) {
	q := f.scope()
	q.where("c.remedy <> ''")
	remedies := []RemedyOutcome{}
	err := s.db.SelectContext(ctx, &remedies, `
SELECT c.issue, c.remedy,
       count(*)                                                                    AS cases,
       count(*) FILTER (WHERE c.status = 'closed')                                 AS closed,
       count(*) FILTER (WHERE c.status = 'closed' AND c.outcome IN ('`+string(cases.OutcomeRevised)+`', '`+string(cases.OutcomeRemoved)+`')) AS improved
FROM cases c
`+q.clause()+`
GROUP BY c.issue, c.remedy
ORDER BY c.issue, c.remedy`, q.args...)
	if err != nil {
		return nil, wrap("report: remedies", err)
	}
	for i := range remedies {
		r := &remedies[i]
		r.Rate = ratio(r.Improved, r.Closed)
		r.Target = remedyTargets[r.Issue]
		r.BelowTarget = r.Closed > 0 && r.Target > 0 && r.Rate < r.Target
	}
	return remedies, nil
}

// courierCount is one courier's bad reviews or shipments in one month.
type courierCount struct {
	Courier string    `db:"courier"`
	Month   time.Time `db:"month"`
	N       int       `db:"n"`
}

// reportCouriers covers the three complete calendar months before the month
// of To. Bad reviews are cases with a courier, in the report's marketplace
// and shop scope, regardless of From. Shipments are summed over the shops in
// scope: the shop when ShopID is set, else every shop (volumes carry no
// marketplace). Two earlier months are read as well, so that the first
// months shown can also complete a three-month streak.
func (s *Store) reportCouriers(ctx context.Context, f ReportFilter) ([]CourierMonth, error) {
	const shown = 3
	end := monthStart(f.To)
	months := make([]time.Time, shown+courierStreakMonths-1)
	for i := range months {
		months[i] = end.AddDate(0, i-len(months), 0)
	}
	start := months[0]

	q := &query{}
	q.where("c.courier <> ''")
	q.where("c.opened_at >= " + q.arg(start))
	q.where("c.opened_at < " + q.arg(end))
	q.whereEq("c.marketplace", f.Marketplace)
	q.whereEq("c.shop_id", f.ShopID)
	var bad []courierCount
	err := s.db.SelectContext(ctx, &bad, `
SELECT c.courier,
       date_trunc('month', c.opened_at AT TIME ZONE 'UTC')::date AS month,
       count(*) AS n
FROM cases c
`+q.clause()+`
GROUP BY 1, 2`, q.args...)
	if err != nil {
		return nil, wrap("report: courier bad reviews", err)
	}

	v := &query{}
	v.where("month >= " + v.arg(start.Format(time.DateOnly)))
	v.where("month < " + v.arg(end.Format(time.DateOnly)))
	v.whereEq("shop_id", f.ShopID)
	var shipped []courierCount
	err = s.db.SelectContext(ctx, &shipped, `
SELECT courier, month, sum(shipments) AS n
FROM courier_volumes
`+v.clause()+`
GROUP BY 1, 2`, v.args...)
	if err != nil {
		return nil, wrap("report: courier volumes", err)
	}
	return courierMonths(months, shown, bad, shipped), nil
}

// courierMonths lays the counts out per courier and month, flags each
// month, and returns the last `shown` months of every courier that had bad
// reviews or shipments in them, by courier then month.
func courierMonths(months []time.Time, shown int, bad, shipped []courierCount) []CourierMonth {
	type key struct {
		courier string
		month   time.Time
	}
	badBy, shippedBy := map[key]int{}, map[key]int{}
	known := map[key]bool{}
	couriers := map[string]bool{}
	first := months[len(months)-shown]
	for _, c := range bad {
		badBy[key{c.Courier, monthStart(c.Month)}] += c.N
		if !monthStart(c.Month).Before(first) {
			couriers[c.Courier] = true
		}
	}
	for _, c := range shipped {
		k := key{c.Courier, monthStart(c.Month)}
		shippedBy[k] += c.N
		known[k] = true
		if !k.month.Before(first) {
			couriers[c.Courier] = true
		}
	}

	names := make([]string, 0, len(couriers))
	for name := range couriers {
		names = append(names, name)
	}
	slices.Sort(names)

	out := []CourierMonth{}
	for _, name := range names {
		streak := 0
		for i, m := range months {
			k := key{name, m}
			cm := CourierMonth{Courier: name, Month: m, BadReviews: badBy[k], Shipments: shippedBy[k]}
			cm.RateKnown = known[k] && cm.Shipments > 0
			if cm.RateKnown {
				cm.Rate = ratio(cm.BadReviews, cm.Shipments)
			}
			cm.AboveThreshold = cm.RateKnown && cm.Rate > CourierRateThreshold
			if cm.AboveThreshold {
				streak++
			} else {
				streak = 0
			}
			cm.SwitchSuggested = streak >= courierStreakMonths
			if i >= len(months)-shown {
				out = append(out, cm)
			}
		}
	}
	return out
}
