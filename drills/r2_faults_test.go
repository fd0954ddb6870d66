package drills

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// faults30 fails 30 % of every platform's calls: server errors, throttling,
// connections dropped before the call applies, and ambiguous writes that
// apply and then lose their answer (the case that tempts a double refund).
var faults30 = simulator.FaultSpec{
	ServerErrorRate:   0.10,
	RateLimitRate:     0.07,
	RetryAfterSeconds: 1,
	DropRate:          0.06,
	AmbiguousRate:     0.07,
}

// TestR2MarketplaceFaults runs cases against marketplaces that fail 30 % of
// the time: no refund or reply may land twice, and every case must complete
// or hold an open incident for a person.
func TestR2MarketplaceFaults(t *testing.T) {
	parallel(t)
	sc := drillScale
	d := startDrill(t, stackOptions{simulatorSeed: 2})
	for _, m := range cases.Marketplaces {
		d.Simulator.SetFaults(m, "", faults30)
	}

	began := time.Now()
	posted, err := d.postReviews(sc.r2Cases, 4)
	if err != nil {
		t.Fatal(err)
	}
	ids := caseIDs(posted)
	t.Logf("R2 [%s]: posted %d reviews with 30%% faults on every platform call (%+v)", sc.name, len(ids), faults30)

	ag := newAgent(d)
	stopAgent := ag.start()
	settleErr := d.settle(d.ctx, ids, sc.settle, true)
	stopAgent()

	f, err := d.inspect(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	incidents, err := d.incidentSummary()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("R2 found after %s: %s", time.Since(began).Round(time.Second), f)
	t.Logf("R2 incidents: %v", incidents)
	t.Logf("R2 agent: %d tasks completed, %d buyer replies, %d refused, %d failed", len(ag.completed), len(ag.replied), ag.refused, ag.failed)
	if settleErr != nil {
		t.Errorf("R2: %v", settleErr)
	}
	d.judge(f, false, true)
}

// incidentSummary counts incidents by call, error class, status and
// message (the first 80 characters), so a drill's log says why calls failed.
func (d *drill) incidentSummary() (map[string]int, error) {
	var rows []struct {
		Call    string `db:"call"`
		Class   string `db:"error_class"`
		Status  string `db:"status"`
		Message string `db:"message"`
		N       int    `db:"n"`
	}
	if err := d.Store.DB().SelectContext(d.ctx, &rows, `
SELECT call, error_class, status, left(message, 80) AS message, count(*) AS n
FROM incidents GROUP BY 1, 2, 3, 4`); err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Call+"/"+r.Class+"/"+r.Status+": "+r.Message] = r.N
	}
	return out, nil
}

// openIncidentsOtherThan lists open incidents whose class is not one of the
// expected ones, as "case call class: message".
func (d *drill) openIncidentsOtherThan(expected ...cases.ErrorClass) ([]string, error) {
	var rows []struct {
		CaseID  string `db:"case_id"`
		Call    string `db:"call"`
		Class   string `db:"error_class"`
		Message string `db:"message"`
	}
	if err := d.Store.DB().SelectContext(d.ctx, &rows, `
SELECT case_id, call, error_class, left(message, 80) AS message
FROM incidents WHERE status = 'open' ORDER BY case_id`); err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	var out []string
	for _, r := range rows {
		if !slices.Contains(expected, cases.ErrorClass(r.Class)) {
			out = append(out, fmt.Sprintf("%s %s %s: %s", r.CaseID, r.Call, r.Class, r.Message))
		}
	}
	return out, nil
}
