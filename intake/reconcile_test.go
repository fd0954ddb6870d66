package intake_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// Three replicas reconcile at once: each pass is done by one of them, the
// shops end with one schedule each, and a shop dropped from the list loses
// its schedule.
func TestScheduleReconcilerOneOwner(t *testing.T) {
	ctx := context.Background()
	srv, err := testenv.StartTemporal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	tc := srv.Client()
	dsn := storetest.NewDSN(t)

	var mu sync.Mutex
	shops := []intake.Shop{{Marketplace: cases.MercadoLibre, ShopID: "1001"}, {Marketplace: cases.EBay, ShopID: "s1"}}
	source := func(context.Context) ([]intake.Shop, error) {
		mu.Lock()
		defer mu.Unlock()
		return append([]intake.Shop(nil), shops...), nil
	}
	var replicas []intake.ScheduleReconciler
	for range 3 {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		replicas = append(replicas, intake.ScheduleReconciler{Temporal: tc, Lock: s, Shops: source, Every: time.Hour, Prune: true})
	}
	pass := func() int {
		var wg sync.WaitGroup
		var ran int
		for _, r := range replicas {
			wg.Go(func() {
				did, err := r.Reconcile(ctx)
				if err != nil {
					t.Error(err)
				}
				if did {
					mu.Lock()
					ran++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return ran
	}
	if ran := pass(); ran < 1 {
		t.Fatalf("no replica reconciled")
	}
	pass() // again: nothing changes
	if got := pollSchedules(t, tc, 2); len(got) != 2 {
		t.Fatalf("schedules %v, want one per shop", got)
	}
	mu.Lock()
	shops = shops[:1]
	mu.Unlock()
	pass()
	if got := pollSchedules(t, tc, 1); len(got) != 1 || got[0] != intake.PollWorkflowID(cases.MercadoLibre, "1001") {
		t.Fatalf("after the eBay shop left: schedules %v", got)
	}
}

// pollSchedules lists poll schedules, waiting for visibility to show want of them.
func pollSchedules(t *testing.T, c client.Client, want int) []string {
	t.Helper()
	var ids []string
	err := testenv.Eventually(context.Background(), 20*time.Second, func() (bool, error) {
		ids = nil
		it, err := c.ScheduleClient().List(context.Background(), client.ScheduleListOptions{})
		if err != nil {
			return false, err
		}
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				return false, err
			}
			ids = append(ids, e.ID)
		}
		return len(ids) == want, nil
	})
	if err != nil {
		t.Logf("schedules: %v (%v)", ids, err)
	}
	sort.Strings(ids)
	return ids
}
