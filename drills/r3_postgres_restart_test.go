package drills

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redress-hq/redress/internal/testenv"
)

// TestR3PostgresRestart restarts PostgreSQL — crash-stop, a few seconds
// down, start — while cases run. No audit event may be lost (each case's
// trail numbered 1..N, N the workflow's own count) and no case may be stuck.
// It runs its own PostgreSQL server: the shared one serves other packages.
func TestR3PostgresRestart(t *testing.T) {
	parallel(t)
	sc := drillScale
	ctx := context.Background()
	pg, err := testenv.StartPrivatePostgres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.Stop)
	dsn, err := pg.CreateDatabase(ctx, "redress")
	if err != nil {
		t.Fatal(err)
	}
	d := startDrill(t, stackOptions{dsn: dsn})

	began := time.Now()
	posted, err := d.postReviews(sc.r3Cases, 4)
	if err != nil {
		t.Fatal(err)
	}
	ids := caseIDs(posted)
	ag := newAgent(d)
	stopAgent := ag.start()
	defer stopAgent()

	// Restart once the cases are under way, so workflows are writing events,
	// tasks and deadlines when the database goes away.
	before, err := d.eventCount()
	if err != nil {
		t.Fatal(err)
	}
	if err := testenv.Eventually(d.ctx, time.Minute, func() (bool, error) {
		n, err := d.eventCount()
		return n >= before+int64(3*len(ids)), err
	}); err != nil {
		t.Fatalf("cases never got under way: %v", err)
	}
	atRestart, _ := d.eventCount()
	const downtime = 3 * time.Second
	if err := pg.Restart(d.ctx, downtime); err != nil {
		t.Fatal(err)
	}
	t.Logf("R3 [%s]: %d cases; restarted PostgreSQL (immediate stop, %s down) with %d audit events written",
		sc.name, len(ids), downtime, atRestart)

	settleErr := d.settle(d.ctx, ids, sc.settle, false)
	stopAgent()
	f, err := d.inspect(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	events, gaps, err := d.auditGaps(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	summary := fmt.Sprintf("%d cases; PostgreSQL stopped immediately for %s with %d audit events written; after %s: %s; %d audit events, %d cases with missing events",
		len(ids), downtime, atRestart, time.Since(began).Round(time.Second), f, events, len(gaps))
	t.Log("R3 found: " + summary)
	recordResult("R3", "dev server: restart PostgreSQL mid-run", summary)
	t.Logf("R3 agent: %d tasks completed, %d buyer replies, %d refused, %d failed", len(ag.completed), len(ag.replied), ag.refused, ag.failed)
	for _, g := range gaps {
		t.Errorf("audit trail: %s", g)
	}
	if settleErr != nil {
		t.Errorf("R3: %v", settleErr)
	}
	d.judge(f, false, false)
}

// eventCount is the number of audit events in the index.
func (d *drill) eventCount() (int64, error) {
	var n int64
	err := d.Store.DB().GetContext(d.ctx, &n, `SELECT count(*) FROM case_events`)
	return n, err
}
