package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// seedCases writes n cases opened an hour apart. Every third shares its
// opening time with the previous one, to exercise keyset ties; every
// fourth has no next deadline, to exercise nulls-last ordering.
func seedCases(t *testing.T, s *store.Store, n int) []cases.Case {
	t.Helper()
	var out []cases.Case
	opened := day0
	for i := range n {
		if i%3 != 2 {
			opened = opened.Add(time.Hour)
		}
		c := newCase(fmt.Sprintf("r-%03d", i), opened)
		if i%4 != 3 {
			c.NextDeadlineAt = at(time.Duration(n-i) * time.Hour % (5 * time.Hour)) // repeats on purpose
		}
		mustSync(t, s, cases.SyncBatch{Case: c})
		out = append(out, c)
	}
	return out
}

func caseID(c cases.Case) string { return c.ID }

func TestListCasesPaginatesWithoutGapsOrRepeats(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	seeded := seedCases(t, s, 23)
	var want []string
	for _, c := range seeded {
		want = append(want, c.ID)
	}

	for _, sort := range []string{store.SortCreatedAt, store.SortNextDeadline} {
		t.Run(sort, func(t *testing.T) {
			got := collectPages(t, caseID, func(cursor string) (store.Page[cases.Case], error) {
				return s.ListCases(ctx, store.CaseFilter{Sort: sort, Cursor: cursor, Limit: 4})
			})
			assert.ElementsMatch(t, want, got)

			// The whole list in one page gives the reference order.
			all, err := s.ListCases(ctx, store.CaseFilter{Sort: sort, Limit: 500})
			require.NoError(t, err)
			assert.Empty(t, all.NextCursor)
			var ordered []string
			for _, c := range all.Items {
				ordered = append(ordered, c.ID)
			}
			assert.Equal(t, ordered, got, "pages concatenate to the full ordering")
			assertCaseOrder(t, sort, all.Items)
		})
	}
}

func assertCaseOrder(t *testing.T, sort string, cs []cases.Case) {
	t.Helper()
	for i := 1; i < len(cs); i++ {
		a, b := cs[i-1], cs[i]
		switch sort {
		case store.SortCreatedAt:
			assert.True(t, a.OpenedAt.After(b.OpenedAt) || a.OpenedAt.Equal(b.OpenedAt) && a.ID > b.ID,
				"newest first at %d", i)
		case store.SortNextDeadline:
			switch {
			case a.NextDeadlineAt == nil:
				assert.Nil(t, b.NextDeadlineAt, "nulls last at %d", i)
				assert.Less(t, a.ID, b.ID)
			case b.NextDeadlineAt != nil:
				assert.True(t, a.NextDeadlineAt.Before(*b.NextDeadlineAt) ||
					a.NextDeadlineAt.Equal(*b.NextDeadlineAt) && a.ID < b.ID, "soonest first at %d", i)
			}
		}
	}
}

func TestListCasesDefaultLimitAndCap(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	seedCases(t, s, 52)
	p, err := s.ListCases(ctx, store.CaseFilter{})
	require.NoError(t, err)
	assert.Len(t, p.Items, 50)
	assert.NotEmpty(t, p.NextCursor)

	p, err = s.ListCases(ctx, store.CaseFilter{Limit: 10_000})
	require.NoError(t, err)
	assert.Len(t, p.Items, 52)
	assert.Empty(t, p.NextCursor)

	_, err = s.ListCases(ctx, store.CaseFilter{Limit: -1})
	assert.ErrorIs(t, err, store.ErrInvalid)
}

func TestListCasesFilters(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()

	base := newCase("base", day0)
	closed := newCase("closed", day0.Add(time.Hour))
	closed.Status, closed.Stage, closed.Outcome = cases.StatusClosed, cases.StageClosed, cases.OutcomeRevised
	ebay := newCase("ebay", day0.Add(2*time.Hour))
	ebay.Marketplace, ebay.ShopID = cases.EBay, "shop-9"
	ebay.ID = cases.CaseIDFor(ebay.Marketplace, ebay.ShopID, ebay.ReviewID)
	ebay.WorkflowID = cases.WorkflowIDFor(ebay.ID)
	quality := newCase("quality", day0.Add(3*time.Hour))
	quality.Issue, quality.Rating, quality.Stage = cases.IssueQuality, 1, cases.StageVerification
	quality.Responsibility = cases.RespSupplier
	assigned := newCase("assigned", day0.Add(4*time.Hour))
	assigned.Assignee, assigned.Breached = "ana", true
	for _, c := range []cases.Case{base, closed, ebay, quality, assigned} {
		mustSync(t, s, cases.SyncBatch{Case: c})
	}

	yes, no := true, false
	tests := []struct {
		name   string
		filter store.CaseFilter
		want   []cases.Case // newest first
	}{
		{"all", store.CaseFilter{}, []cases.Case{assigned, quality, ebay, closed, base}},
		{"status", store.CaseFilter{Status: "closed"}, []cases.Case{closed}},
		{"stage", store.CaseFilter{Stage: "verification"}, []cases.Case{quality}},
		{"marketplace", store.CaseFilter{Marketplace: "ebay"}, []cases.Case{ebay}},
		{"shop", store.CaseFilter{ShopID: "shop-9"}, []cases.Case{ebay}},
		{"issue", store.CaseFilter{Issue: "quality"}, []cases.Case{quality}},
		{"responsibility", store.CaseFilter{Responsibility: "supplier"}, []cases.Case{quality}},
		{"assignee", store.CaseFilter{Assignee: "ana"}, []cases.Case{assigned}},
		{"rating", store.CaseFilter{Rating: 1}, []cases.Case{quality}},
		{"breached", store.CaseFilter{Breached: &yes}, []cases.Case{assigned}},
		{"not breached", store.CaseFilter{Breached: &no}, []cases.Case{quality, ebay, closed, base}},
		{"created range", store.CaseFilter{CreatedFrom: at(time.Hour), CreatedTo: at(3 * time.Hour)},
			[]cases.Case{ebay, closed}},
		{"combined", store.CaseFilter{Status: "open", Marketplace: "mercadolibre", Issue: "logistics_delay"},
			[]cases.Case{assigned, base}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.ListCases(ctx, tt.filter)
			require.NoError(t, err)
			var got, want []string
			for _, c := range p.Items {
				got = append(got, c.ReviewID)
			}
			for _, c := range tt.want {
				want = append(want, c.ReviewID)
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestListCasesRejectsBadInput(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	seedCases(t, s, 3)
	p, err := s.ListCases(ctx, store.CaseFilter{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, p.NextCursor)

	for name, f := range map[string]store.CaseFilter{
		"not base64":     {Cursor: "%%%"},
		"not json":       {Cursor: "bm90IGpzb24"},
		"no id":          {Cursor: "e30"}, // {}
		"other sort":     {Cursor: p.NextCursor, Sort: store.SortNextDeadline},
		"unknown sort":   {Sort: "rating"},
		"unknown status": {Status: "pending"},
		"unknown stage":  {Stage: "limbo"},
		"unknown market": {Marketplace: "etsy"},
		"unknown issue":  {Issue: "weather"},
		"bad rating":     {Rating: 9},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.ListCases(ctx, f)
			assert.ErrorIs(t, err, store.ErrInvalid)
		})
	}
}

func TestGetCaseAndExists(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c := newCase("r-1", day0)
	mustSync(t, s, cases.SyncBatch{Case: c})

	ok, err := s.CaseExists(ctx, c.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.CaseExists(ctx, "cs_missing")
	require.NoError(t, err)
	assert.False(t, ok)

	_, err = s.GetCase(ctx, "cs_missing")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func TestFindCaseByOrderPrefersOpenThenNewest(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()

	oldOpen := newCase("r-1", day0)
	newerClosed := newCase("r-2", day0.Add(time.Hour))
	newerClosed.Status = cases.StatusClosed
	newestOpen := newCase("r-3", day0.Add(2*time.Hour))
	for _, c := range []*cases.Case{&oldOpen, &newerClosed, &newestOpen} {
		c.OrderID = "order-7"
	}
	mustSync(t, s, cases.SyncBatch{Case: oldOpen})
	mustSync(t, s, cases.SyncBatch{Case: newerClosed})

	got, err := s.FindCaseByOrder(ctx, cases.MercadoLibre, "shop-1", "order-7")
	require.NoError(t, err)
	assert.Equal(t, oldOpen.ID, got.ID, "an open case beats a newer closed one")

	mustSync(t, s, cases.SyncBatch{Case: newestOpen})
	got, err = s.FindCaseByOrder(ctx, cases.MercadoLibre, "shop-1", "order-7")
	require.NoError(t, err)
	assert.Equal(t, newestOpen.ID, got.ID)

	_, err = s.FindCaseByOrder(ctx, cases.EBay, "shop-1", "order-7")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func TestListEventsPagesBySeq(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c := newCase("r-1", day0)
	var events []cases.Event
	for seq := int64(1); seq <= 7; seq++ {
		events = append(events, newEvent(c.ID, seq, day0))
	}
	slices.Reverse(events) // the store orders them
	mustSync(t, s, cases.SyncBatch{Case: c, Events: events})

	page, err := s.ListEvents(ctx, c.ID, 3, 2)
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, []int64{4, 5}, []int64{page[0].Seq, page[1].Seq})

	page, err = s.ListEvents(ctx, "cs_missing", 0, 10)
	require.NoError(t, err)
	assert.Empty(t, page)
	assert.NotNil(t, page, "an empty list, not null, for JSON")
}
