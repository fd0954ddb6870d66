package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// day0 is a fixed Monday all fixtures are timed from.
var day0 = time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)

// newCase returns a complete open case for a review of shop-1 on Mercado
// Libre, opened at opened, at version 1.
func newCase(reviewID string, opened time.Time) cases.Case {
	id := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)
	return cases.Case{
		ID: id, WorkflowID: cases.WorkflowIDFor(id),
		Marketplace: cases.MercadoLibre, ShopID: "shop-1", ReviewID: reviewID,
		OrderID: "order-" + reviewID, ItemID: "item-1",
		BuyerID: "buyer-1", BuyerName: "Ana", Rating: 2, Severity: cases.SeverityBad,
		Text: "llegó tarde", Language: "es",
		Issue: cases.IssueLogisticsDelay, Stage: cases.StageContact, Status: cases.StatusOpen,
		OrderAmount: 5990, ShippingFee: 990, Currency: "BRL",
		ReviewCreatedAt: opened.Add(-time.Hour), OpenedAt: opened, UpdatedAt: opened,
		Version: 1,
	}
}

// newEvent returns event seq of a case.
func newEvent(caseID string, seq int64, at time.Time) cases.Event {
	return cases.Event{
		CaseID: caseID, Seq: seq, Type: cases.EventStageChanged,
		Actor: "redress", Role: cases.RoleSystem, At: at,
		Data: json.RawMessage(fmt.Sprintf(`{"seq": %d}`, seq)),
	}
}

// newTask returns an open contact task of a case, due at due.
func newTask(c cases.Case, n int, due *time.Time) cases.Task {
	return cases.Task{
		ID: fmt.Sprintf("%s-%s-%d", c.ID, cases.TaskContactBuyer, n), CaseID: c.ID, WorkflowID: c.WorkflowID,
		Kind: cases.TaskContactBuyer, Status: cases.TaskOpen, Role: cases.RoleAgent,
		Marketplace: c.Marketplace, ShopID: c.ShopID, DueAt: due,
		Input:     json.RawMessage(`{"draft": "Hola"}`),
		CreatedAt: c.OpenedAt, UpdatedAt: c.OpenedAt, Version: 1,
	}
}

// newIncident returns an open incident of a case's step.
func newIncident(c cases.Case, step string, created time.Time) cases.Incident {
	return cases.Incident{
		ID: c.ID + "-" + step, CaseID: c.ID, WorkflowID: c.WorkflowID,
		Marketplace: c.Marketplace, ShopID: c.ShopID,
		Call: "send_buyer_message", Step: step, ErrorClass: cases.ErrPermanent,
		Message: "400 bad request", Attempts: 3, Params: json.RawMessage(`{"text": "Hola"}`),
		Status: cases.IncidentOpen, CreatedAt: created, UpdatedAt: created, Version: 1,
	}
}

func at(d time.Duration) *time.Time {
	t := day0.Add(d)
	return &t
}

// mustSync writes a batch or fails the test.
func mustSync(t *testing.T, s *store.Store, b cases.SyncBatch) {
	t.Helper()
	require.NoError(t, s.SyncCase(context.Background(), b))
}

// collectPages follows next cursors until the last page and fails the test
// if any item comes twice.
func collectPages[T any](t *testing.T, id func(T) string, fetch func(cursor string) (store.Page[T], error)) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 1000, "pagination does not end")
		p, err := fetch(cursor)
		require.NoError(t, err)
		for _, it := range p.Items {
			k := id(it)
			require.False(t, seen[k], "item %s returned twice", k)
			seen[k] = true
			ids = append(ids, k)
		}
		if p.NextCursor == "" {
			return ids
		}
		cursor = p.NextCursor
	}
}
