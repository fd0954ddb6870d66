package drills

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
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
	summary := fmt.Sprintf("%d cases; after %s: %s; incidents %v", len(ids), time.Since(began).Round(time.Second), f, incidents)
	t.Log("R2 found: " + summary)
	recordResult("R2", "dev server: 30 % faults on every marketplace call", summary)
	t.Logf("R2 agent: %d tasks completed, %d buyer replies, %d refused, %d failed", len(ag.completed), len(ag.replied), ag.refused, ag.failed)
	if settleErr != nil {
		t.Errorf("R2: %v", settleErr)
	}
	d.judge(f, false, true)
}

// incidentSummary counts incidents by call, error class, status and
// message (the first 80 characters), so a drill's log says why calls failed.
func (d *drill) incidentSummary() (map[string]int, error) {
	all, err := d.incidents("")
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, in := range all {
		out[in.Call+"/"+string(in.ErrorClass)+"/"+string(in.Status)+": "+first80(in.Message)]++
	}
	return out, nil
}

// openIncidentsOtherThan lists open incidents whose class is not one of the
// expected ones, as "case call class: message".
func (d *drill) openIncidentsOtherThan(expected ...cases.ErrorClass) ([]string, error) {
	open, err := d.incidents(string(cases.IncidentOpen))
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(open, func(a, b cases.Incident) int { return strings.Compare(a.CaseID, b.CaseID) })
	var out []string
	for _, in := range open {
		if !slices.Contains(expected, in.ErrorClass) {
			out = append(out, fmt.Sprintf("%s %s %s: %s", in.CaseID, in.Call, in.ErrorClass, first80(in.Message)))
		}
	}
	return out, nil
}

// incidents reads every incident with the status ("" = any) through the
// store, which opens their sealed messages (docs/privacy.md).
func (d *drill) incidents(status string) ([]cases.Incident, error) {
	var all []cases.Incident
	f := store.IncidentFilter{Status: status, Limit: 500}
	for {
		page, err := d.Store.ListIncidents(d.ctx, f)
		if err != nil {
			return nil, fmt.Errorf("incidents: %w", err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		f.Cursor = page.NextCursor
	}
}

func first80(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80])
	}
	return s
}
