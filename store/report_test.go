package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// The report week is Monday 2026-10-05 to Monday 2026-10-12.
var (
	weekFrom = time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	weekTo   = time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC)
)

func deadline(kind cases.DeadlineKind, status cases.DeadlineStatus) cases.Deadline {
	return cases.Deadline{Kind: kind, StartedAt: day0, DueAt: day0.Add(24 * time.Hour),
		RemindAt: day0.Add(20 * time.Hour), Status: status}
}

// seedWeek writes five shop-1 cases opened in the report week (A–E), one
// opened exactly at its end and one of shop-2, which the report must skip.
func seedWeek(t *testing.T, s *store.Store) {
	hours := func(h int) *time.Time { return at(time.Duration(h) * time.Hour) }

	a := newCase("A", day0)
	a.FirstContactAt, a.ResolvedAt = hours(1), hours(10)
	a.Remedy, a.Status, a.Outcome = cases.RemedyShippingCompensation, cases.StatusClosed, cases.OutcomeRevised
	mustSync(t, s, cases.SyncBatch{Case: a, Deadlines: []cases.Deadline{
		deadline(cases.DeadlineFirstContact, cases.DeadlineMet),
		deadline(cases.DeadlineResolution, cases.DeadlineMet),
	}})

	b := newCase("B", day0.Add(24*time.Hour))
	b.FirstContactAt, b.ResolvedAt = at(27*time.Hour), at(44*time.Hour) // +3 h, +20 h
	b.Remedy, b.Status, b.Outcome = cases.RemedyShippingCompensation, cases.StatusClosed, cases.OutcomeUnchanged
	lateContact := deadline(cases.DeadlineFirstContact, cases.DeadlineMet) // met after breaching
	lateContact.BreachedAt, lateContact.LateBySeconds = hours(25), 600
	mustSync(t, s, cases.SyncBatch{Case: b, Deadlines: []cases.Deadline{
		lateContact,
		deadline(cases.DeadlineResolution, cases.DeadlineBreached),
	}})

	c := newCase("C", day0.Add(48*time.Hour))
	c.Issue, c.FirstContactAt = cases.IssueQuality, at(50*time.Hour) // +2 h
	c.Remedy = cases.RemedyReship
	mustSync(t, s, cases.SyncBatch{Case: c, Deadlines: []cases.Deadline{
		deadline(cases.DeadlineFirstContact, cases.DeadlineMet),
	}})

	d := newCase("D", day0.Add(72*time.Hour))
	d.Issue, d.ResolvedAt = cases.IssueQuality, at(76*time.Hour) // +4 h
	d.Remedy, d.Status, d.Outcome = cases.RemedyReship, cases.StatusClosed, cases.OutcomeRemoved
	mustSync(t, s, cases.SyncBatch{Case: d, Deadlines: []cases.Deadline{
		deadline(cases.DeadlineFirstContact, cases.DeadlinePending),
	}})

	e := newCase("E", day0.Add(96*time.Hour))
	e.Issue, e.ResolvedAt = "", at(104*time.Hour) // +8 h, never classified
	mustSync(t, s, cases.SyncBatch{Case: e, Deadlines: []cases.Deadline{
		deadline(cases.DeadlineFirstContact, cases.DeadlineCancelled),
	}})

	atEnd := newCase("at-end", weekTo)
	mustSync(t, s, cases.SyncBatch{Case: atEnd, Deadlines: []cases.Deadline{
		deadline(cases.DeadlineFirstContact, cases.DeadlineBreached),
	}})
	other := newCase("other-shop", day0)
	other.ShopID = "shop-2"
	other.ID = cases.CaseIDFor(other.Marketplace, other.ShopID, other.ReviewID)
	other.WorkflowID = cases.WorkflowIDFor(other.ID)
	other.Remedy = cases.RemedyCoupon
	mustSync(t, s, cases.SyncBatch{Case: other, Deadlines: []cases.Deadline{
		deadline(cases.DeadlineFirstContact, cases.DeadlineBreached),
	}})
}

// seedCourier writes n cases of a courier opened in a month, and its
// shipments for that month when shipments >= 0.
func seedCourier(t *testing.T, s *store.Store, shop, courier string, month time.Month, n, shipments int) {
	t.Helper()
	opened := time.Date(2026, month, 10, 12, 0, 0, 0, time.UTC)
	for i := range n {
		c := newCase(fmt.Sprintf("%s-%s-%d-%d", shop, courier, month, i), opened)
		c.ShopID, c.Courier = shop, courier
		c.ID = cases.CaseIDFor(c.Marketplace, c.ShopID, c.ReviewID)
		c.WorkflowID = cases.WorkflowIDFor(c.ID)
		mustSync(t, s, cases.SyncBatch{Case: c})
	}
	if shipments >= 0 {
		require.NoError(t, s.SetCourierVolume(context.Background(), shop, courier, opened, shipments))
	}
}

func TestReport(t *testing.T) {
	s := storetest.New(t)
	seedWeek(t, s)
	// Correios of shop-1 ships 10 parcels a month. Its rate is above 20 %
	// in June, July and August (3 of 10) and exactly 20 % in September.
	seedCourier(t, s, "shop-1", "Correios", time.May, 0, 10)
	seedCourier(t, s, "shop-1", "Correios", time.June, 3, 10)
	seedCourier(t, s, "shop-1", "Correios", time.July, 3, 10)
	seedCourier(t, s, "shop-1", "Correios", time.August, 3, 10)
	seedCourier(t, s, "shop-1", "Correios", time.September, 2, 10)
	seedCourier(t, s, "shop-1", "Loggi", time.August, 2, -1)  // no shipments uploaded
	seedCourier(t, s, "shop-2", "Jadlog", time.August, 5, 10) // another shop

	r, err := s.Report(context.Background(), store.ReportFilter{From: weekFrom, To: weekTo, ShopID: "shop-1"})
	require.NoError(t, err)

	assert.Equal(t, 5, r.Total)
	assert.Equal(t, []store.IssueShare{
		{Issue: cases.IssueLogisticsDelay, Count: 2, Share: 0.4},
		{Issue: cases.IssueQuality, Count: 2, Share: 0.4},
		{Issue: store.IssueUnclassified, Count: 1, Share: 0.2},
	}, r.ByIssue)

	assert.Equal(t, []store.SLACompliance{
		// A and C met; B was breached before being met; D pending; E cancelled.
		{Kind: cases.DeadlineFirstContact, Met: 2, Breached: 1, Pending: 1, Rate: 2.0 / 3.0},
		{Kind: cases.DeadlineResolution, Met: 1, Breached: 1, Rate: 0.5},
	}, r.SLA)

	// First contact after 1 h, 3 h, 2 h: the median is 2 h. Resolution after
	// 10 h, 20 h, 4 h, 8 h: the median is between 8 h and 10 h, 9 h.
	assert.InDelta(t, 2*3600, r.MedianFirstContactSeconds, 0.001)
	assert.InDelta(t, 9*3600, r.MedianResolutionSeconds, 0.001)

	assert.Equal(t, []store.RemedyOutcome{
		{Issue: cases.IssueLogisticsDelay, Remedy: cases.RemedyShippingCompensation,
			Cases: 2, Closed: 2, Improved: 1, Rate: 0.5, Target: 0.75, BelowTarget: true},
		{Issue: cases.IssueQuality, Remedy: cases.RemedyReship,
			Cases: 2, Closed: 1, Improved: 1, Rate: 1, Target: 0.80},
	}, r.Remedies)

	month := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
	assert.Equal(t, []store.CourierMonth{
		{Courier: "Correios", Month: month(time.July), BadReviews: 3, Shipments: 10, Rate: 0.3,
			RateKnown: true, AboveThreshold: true},
		{Courier: "Correios", Month: month(time.August), BadReviews: 3, Shipments: 10, Rate: 0.3,
			RateKnown: true, AboveThreshold: true, SwitchSuggested: true},
		{Courier: "Correios", Month: month(time.September), BadReviews: 2, Shipments: 10, Rate: 0.2,
			RateKnown: true},
		{Courier: "Loggi", Month: month(time.July)},
		{Courier: "Loggi", Month: month(time.August), BadReviews: 2},
		{Courier: "Loggi", Month: month(time.September)},
	}, r.Couriers)
}

func TestReportWithoutShopCountsEveryShop(t *testing.T) {
	s := storetest.New(t)
	seedWeek(t, s)
	r, err := s.Report(context.Background(), store.ReportFilter{From: weekFrom, To: weekTo})
	require.NoError(t, err)
	assert.Equal(t, 6, r.Total, "A–E and the shop-2 case; the case opened at To is out")
	require.NotEmpty(t, r.SLA)
	assert.Equal(t, 2, r.SLA[0].Breached, "shop-2's breached first contact counts too")
}

func TestReportOnEmptyRange(t *testing.T) {
	s := storetest.New(t)
	r, err := s.Report(context.Background(), store.ReportFilter{From: weekFrom, To: weekTo})
	require.NoError(t, err)
	assert.Zero(t, r.Total)
	assert.Empty(t, r.ByIssue)
	assert.NotNil(t, r.ByIssue, "empty lists, not null, for JSON")
	assert.Zero(t, r.MedianFirstContactSeconds)
	assert.Empty(t, r.Couriers)
}

func TestReportRejectsBadRange(t *testing.T) {
	s := storetest.New(t)
	_, err := s.Report(context.Background(), store.ReportFilter{From: weekTo, To: weekFrom})
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.Report(context.Background(), store.ReportFilter{To: weekTo})
	assert.ErrorIs(t, err, store.ErrInvalid)
}
