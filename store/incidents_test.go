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

func incidentID(in cases.Incident) string { return in.ID }

func TestListIncidentsPaginatesNewestFirst(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c := newCase("r-1", day0)
	var incidents []cases.Incident
	for i := range 13 {
		// Pairs share a creation time, to exercise keyset ties.
		incidents = append(incidents, newIncident(c, fmt.Sprintf("step-%02d", i), day0.Add(time.Duration(i/2)*time.Minute)))
	}
	mustSync(t, s, cases.SyncBatch{Case: c, Incidents: incidents})

	got := collectPages(t, incidentID, func(cursor string) (store.Page[cases.Incident], error) {
		return s.ListIncidents(ctx, store.IncidentFilter{Cursor: cursor, Limit: 4})
	})
	var want []string
	for i := len(incidents) - 1; i >= 0; i-- {
		want = append(want, incidents[i].ID)
	}
	assert.Equal(t, want, got)

	_, err := s.ListIncidents(ctx, store.IncidentFilter{Cursor: "e30"})
	assert.ErrorIs(t, err, store.ErrInvalid)
}

func TestListIncidentsFilters(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c1 := newCase("r-1", day0)
	c2 := newCase("r-2", day0)
	c2.Marketplace, c2.ShopID = cases.Taobao, "shop-tb"
	c2.ID = cases.CaseIDFor(c2.Marketplace, c2.ShopID, c2.ReviewID)
	c2.WorkflowID = cases.WorkflowIDFor(c2.ID)

	message := newIncident(c1, "contact", day0)
	refund := newIncident(c1, "refund", day0.Add(time.Hour))
	refund.Call, refund.ErrorClass = "issue_refund", cases.ErrAmbiguous
	resolved := newIncident(c1, "reply", day0.Add(2*time.Hour))
	resolved.Status, resolved.ResolvedBy, resolved.ResolvedAt = cases.IncidentResolved, "ana", at(3*time.Hour)
	taobao := newIncident(c2, "contact", day0.Add(3*time.Hour))
	mustSync(t, s, cases.SyncBatch{Case: c1, Incidents: []cases.Incident{message, refund, resolved}})
	mustSync(t, s, cases.SyncBatch{Case: c2, Incidents: []cases.Incident{taobao}})

	tests := []struct {
		name   string
		filter store.IncidentFilter
		want   []cases.Incident // newest first
	}{
		{"open by default", store.IncidentFilter{}, []cases.Incident{taobao, refund, message}},
		{"all", store.IncidentFilter{Status: "all"}, []cases.Incident{taobao, resolved, refund, message}},
		{"resolved", store.IncidentFilter{Status: "resolved"}, []cases.Incident{resolved}},
		{"marketplace", store.IncidentFilter{Marketplace: "taobao"}, []cases.Incident{taobao}},
		{"shop", store.IncidentFilter{ShopID: "shop-1"}, []cases.Incident{refund, message}},
		{"call", store.IncidentFilter{Call: "issue_refund"}, []cases.Incident{refund}},
		{"error class", store.IncidentFilter{ErrorClass: "ambiguous_write"}, []cases.Incident{refund}},
		{"case", store.IncidentFilter{CaseID: c2.ID}, []cases.Incident{taobao}},
		{"created window", store.IncidentFilter{Status: "all", CreatedAfter: at(time.Hour), CreatedBefore: at(3 * time.Hour)},
			[]cases.Incident{resolved, refund}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.ListIncidents(ctx, tt.filter)
			require.NoError(t, err)
			var got, want []string
			for _, x := range p.Items {
				got = append(got, x.ID)
			}
			for _, x := range tt.want {
				want = append(want, x.ID)
			}
			assert.Equal(t, want, got)
		})
	}

	got, err := s.GetIncident(ctx, resolved.ID)
	require.NoError(t, err)
	assert.Equal(t, "ana", got.ResolvedBy)
	require.NotNil(t, got.ResolvedAt)
	_, err = s.GetIncident(ctx, "missing")
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = s.ListIncidents(ctx, store.IncidentFilter{Status: "closed"})
	assert.ErrorIs(t, err, store.ErrInvalid)
}
