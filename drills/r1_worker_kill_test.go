package drills

import (
	"fmt"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
)

// TestR1WorkerKilled runs cases while the worker process is killed with
// SIGKILL every few seconds and started again. Afterwards every case must be
// closed or waiting on a person, none lost, and the simulator's ledger must
// show no side effect twice.
func TestR1WorkerKilled(t *testing.T) {
	parallel(t)
	sc := drillScale
	d := startDrill(t, stackOptions{processWorker: true})
	w := newWorkerProcess(t, d)
	if err := w.start(); err != nil {
		t.Fatal(err)
	}

	began := time.Now()
	posted, err := d.postReviews(sc.r1Cases, 4)
	if err != nil {
		t.Fatal(err)
	}
	ids := caseIDs(posted)
	t.Logf("R1 [%s]: posted %d reviews in %s", sc.name, len(ids), time.Since(began).Round(time.Millisecond))

	ag := newAgent(d)
	stopAgent := ag.start()
	defer stopAgent()

	// Kill on a ticker while the cases run; each kill lands wherever the
	// worker happens to be: mid workflow task, mid activity, mid refund.
	kills := 0
	tick := time.NewTicker(sc.r1KillEvery)
	for kills < sc.r1Kills {
		<-tick.C
		if !w.alive() {
			t.Fatalf("worker exited by itself after start %d", w.starts)
		}
		w.kill()
		kills++
		if err := w.start(); err != nil {
			t.Fatal(err)
		}
	}
	tick.Stop()
	t.Logf("R1: killed the worker %d times (every %s) and restarted it; %d starts in all", kills, sc.r1KillEvery, w.starts)

	settleErr := d.settle(d.ctx, ids, sc.settle, true) // an incident ends the wait; judge decides
	stopAgent()
	f, err := d.inspect(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	events, gaps, err := d.auditGaps(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	replaced, dropped := w.uncommittedBatches()
	summary := fmt.Sprintf("%d cases; %d worker kills (every %s); after %s: %s; %d audit events, %d cases with gaps or an index unlike the workflow; index batches of workflow tasks that never completed: %d replaced by the retried task, %d dropped",
		len(ids), kills, sc.r1KillEvery, time.Since(began).Round(time.Second), f, events, len(gaps), replaced, dropped)
	t.Log("R1 found: " + summary)
	recordResult("R1", "dev server: kill -9 the worker every few seconds", summary)
	t.Logf("R1 agent: %d tasks completed, %d buyer replies, %d refused, %d failed while the worker was down",
		len(ag.completed), len(ag.replied), ag.refused, ag.failed)
	if incidents, err := d.incidentSummary(); err == nil && len(incidents) > 0 {
		t.Logf("R1 incidents (no marketplace faults were injected): %v", incidents)
	}
	for _, g := range gaps {
		t.Errorf("audit trail: %s", g)
	}
	if settleErr != nil {
		t.Logf("R1: %v", settleErr)
	}
	// "Complete or waiting on a person": the agent stopped, so open tasks
	// count. No marketplace fault was injected, so the only incident a kill
	// may cause is an ambiguous write the platform cannot read back (an
	// Amazon message whose attempt died with the worker): a person checks
	// it. Any other incident means a restart broke a call that should have
	// survived it.
	unexpected, err := d.openIncidentsOtherThan(cases.ErrAmbiguous)
	if err != nil {
		t.Fatal(err)
	}
	for _, inc := range unexpected {
		t.Errorf("incident a worker restart should not cause: %s", inc)
	}
	d.judge(f, true, true)
	if f.count(verdictClosed) == 0 {
		t.Errorf("no case reached its outcome: the drill proved nothing")
	}
}
