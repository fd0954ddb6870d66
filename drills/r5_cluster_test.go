package drills

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
)

// TestR5Cluster runs cases on a Temporal cluster (four service processes
// on PostgreSQL) with two API processes behind a proxy and three worker
// processes, while workers are killed with SIGKILL every few seconds, one
// API is killed in the middle of a request, the history and then the
// matching service are killed and started again, and then PostgreSQL
// (Temporal's and Redress's, a server of the drill's own) is restarted.
// Afterwards every case must
// be closed or waiting on a person, none lost, and the simulator's ledger
// must show no side effect twice.
func TestR5Cluster(t *testing.T) {
	parallel(t)
	sc := drillScale
	cd := startClusterDrill(t, 2, 3)
	d := cd.drill
	began := time.Now()
	t0, v0, r0, sizeErr := cd.databaseSizes()

	ag := newAgent(d)
	stopAgent := ag.start()
	defer stopAgent()

	var (
		chaos   sync.WaitGroup
		mu      sync.Mutex
		actions []string
	)
	did := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		actions = append(actions, fmt.Sprintf("%s +%s", fmt.Sprintf(format, args...), time.Since(began).Round(time.Second)))
	}
	// One API dies mid-request and comes back a few seconds later.
	inFlight := cd.proxy.inFlightOnFirst()
	chaos.Go(func() {
		select {
		case <-inFlight:
		case <-time.After(time.Minute):
			t.Error("no request reached the first API")
			return
		}
		cd.apis[0].kill()
		did("killed api0 mid-request")
		time.Sleep(3 * time.Second)
		if err := cd.apis[0].start(); err != nil {
			t.Error(err)
		}
	})
	// Workers die one after another; the Temporal services in between.
	chaos.Go(func() {
		tick := time.NewTicker(sc.r5KillEvery)
		defer tick.Stop()
		for k := range sc.r5Kills {
			<-tick.C
			w := cd.workers[k%len(cd.workers)]
			if !w.alive() {
				t.Errorf("worker %d exited by itself", k%len(cd.workers))
			}
			w.kill()
			if err := w.start(); err != nil {
				t.Error(err)
				return
			}
			did("killed worker%d", k%len(cd.workers))
			switch k {
			case sc.r5Kills / 3:
				if err := cd.cluster.restart("history"); err != nil {
					t.Error(err)
				}
				did("killed and restarted Temporal history")
			case 2 * sc.r5Kills / 3:
				if err := cd.cluster.restart("matching"); err != nil {
					t.Error(err)
				}
				did("killed and restarted Temporal matching")
			}
		}
		// Last, the database every process stands on: Temporal's four
		// services, the workers and the APIs all lose their connections.
		const downtime = 3 * time.Second
		if err := cd.pg.Restart(d.ctx, downtime); err != nil {
			t.Error(err)
		}
		did("restarted PostgreSQL (%s down)", downtime)
	})

	posted, err := d.postReviews(sc.r5Cases, 4)
	if err != nil {
		t.Fatal(err)
	}
	ids := caseIDs(posted)
	t.Logf("R5 [%s]: posted %d reviews through the proxy in %s", sc.name, len(ids), time.Since(began).Round(time.Millisecond))
	chaos.Wait()
	t.Logf("R5 chaos: %v", actions)

	settleErr := d.settle(d.ctx, ids, sc.settle, true)
	stopAgent()
	f, err := d.inspect(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	events, gaps, err := d.auditGaps(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	sizes := "database sizes unknown"
	if tdb, vdb, rdb, err := cd.databaseSizes(); err == nil && sizeErr == nil {
		per := func(b int64) string { return fmt.Sprintf("%.1f KiB", float64(b)/1024/float64(len(ids))) }
		sizes = fmt.Sprintf("PostgreSQL growth per case: Temporal %s, visibility %s, Redress %s", per(tdb-t0), per(vdb-v0), per(rdb-r0))
	}
	summary := fmt.Sprintf("%d cases via 2 APIs + 3 workers on a 4-process Temporal cluster; %d worker kills (every %s), 1 API killed mid-request, history and matching restarted, PostgreSQL restarted; after %s: %s; %d audit events, %d cases with gaps; %s",
		len(ids), sc.r5Kills, sc.r5KillEvery, time.Since(began).Round(time.Second), f, events, len(gaps), sizes)
	t.Log("R5 found: " + summary)
	recordResult("R5", "cluster: kill -9 workers, an API mid-request, Temporal history and matching, PostgreSQL", summary)
	for _, g := range gaps {
		t.Errorf("audit trail: %s", g)
	}
	if settleErr != nil {
		t.Logf("R5: %v", settleErr)
	}
	unexpected, err := d.openIncidentsOtherThan(cases.ErrAmbiguous)
	if err != nil {
		t.Fatal(err)
	}
	for _, inc := range unexpected {
		t.Errorf("incident a restart should not cause: %s", inc)
	}
	d.judge(f, true, true)
	if f.count(verdictClosed) == 0 {
		t.Errorf("no case reached its outcome: the drill proved nothing")
	}
}
