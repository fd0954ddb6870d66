package drills

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
	"github.com/redress-hq/redress/wiring"
)

// R7: ten workers hammer one Mercado Libre shop. Each has its own
// PostgreSQL pool and connectors, as separate processes would; the
// simulator enforces the shop's quota and expires access tokens again and
// again, so every worker hits 401 at the same moment and races to spend the
// single-use refresh token. The shared quota (store.ReserveQuota) and the
// refresh lock (wiring.DBTokens) must hold: the simulator answers no 429
// and no invalid_grant, and grants at most one refresh per expiry; no call
// fails for good.
func TestR7OneShopManyWorkers(t *testing.T) {
	parallel(t)
	ctx := context.Background()
	workers, calls := 10, drillScale.r7CallsPerWorker
	shop := simulator.Shop{Platform: cases.MercadoLibre, ID: "7001", Token: "TG-r7"}
	sim := simulator.New(simulator.Options{})
	sim.Seed(shop)
	// The platform's quota; the workers are told 90 % of it, the margin a
	// deployment leaves for network jitter between reservation and arrival.
	platformQuota := simulator.Quota{PerSecond: 20, Burst: 5}
	clientRate := marketplace.Rate{N: 18, Per: time.Second, Burst: 4}
	sim.SetShopQuota(cases.MercadoLibre, platformQuota)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)

	dsn := storetest.NewDSN(t)
	var conns []marketplace.Connector
	for range workers {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		reg, err := connectors.NewRegistry(simulator.ConnectorConfig(srv.URL, nil, shop),
			&http.Client{Timeout: 10 * time.Second}, wiring.DBTokens{Store: s},
			connectors.WithRates(cases.MercadoLibre, map[string]marketplace.Rate{marketplace.DefaultBucket: clientRate}),
			connectors.WithSharedQuota(s))
		if err != nil {
			t.Fatal(err)
		}
		c, err := reg.Get(cases.MercadoLibre)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}

	// Expire every access token every 2 s while the workers call (a real
	// one lives 6 h); longer than a call queues for the shop's quota, so
	// most renewed tokens are used before they expire again.
	expiries := 0
	stop := make(chan struct{})
	expirer := sync.WaitGroup{}
	expirer.Go(func() {
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sim.ExpireAccessTokens(cases.MercadoLibre)
				expiries++
			}
		}
	})
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failed  []string
		retried int
	)
	start := time.Now()
	for i, c := range conns {
		wg.Go(func() {
			for j := range calls {
				// As an activity would: retry what is retryable (a token
				// expired again while the call queued for the quota), give
				// up on the rest (auth_revoked: the shop was lost).
				for attempt := 1; ; attempt++ {
					_, _, err := c.ListNegativeReviews(ctx, shop.ID, "")
					if err == nil {
						break
					}
					mu.Lock()
					if marketplace.Permanent(err) || attempt == 8 {
						failed = append(failed, fmt.Sprintf("worker %d call %d attempt %d: %v", i, j, attempt, err))
						mu.Unlock()
						break
					}
					retried++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	expirer.Wait()
	took := time.Since(start)
	tr := sim.Traffic(cases.MercadoLibre)
	summary := fmt.Sprintf("%d workers x %d calls on one shop in %s (platform quota %.0f/s burst %d): simulator saw %d calls, %d over quota (429), %d refreshes for %d token expiries (+1 first token), %d invalid_grant; %d calls retried, %d failed",
		workers, calls, took.Round(100*time.Millisecond), platformQuota.PerSecond, platformQuota.Burst,
		tr.Calls, tr.OverQuota, tr.Refreshes, expiries, tr.InvalidGrants, retried, len(failed))
	t.Log("R7 " + summary)
	recordResult("R7", "ten workers hammer one shop", summary)
	switch {
	case len(failed) > 0:
		t.Errorf("calls failed (first of %d): %s", len(failed), failed[0])
	case tr.OverQuota > 0:
		t.Errorf("the shop's quota was exceeded %d times", tr.OverQuota)
	case tr.InvalidGrants > 0:
		t.Errorf("%d refreshes spent a refresh token another worker had spent", tr.InvalidGrants)
	case tr.Refreshes > expiries+1: // +1: the workers start with a refresh token only
		t.Errorf("%d refreshes for %d expiries: a rotation was refreshed twice", tr.Refreshes, expiries)
	case tr.Refreshes == 0:
		t.Errorf("no refresh happened: the drill did not exercise the refresh lock")
	}
}
