package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
)

// p5Rate is how many reviews a second P5 sends: a busy shop's pace, well
// under intake capacity, so the latency is the pipeline's and not a queue's.
const p5Rate = 10

func (e *environment) runP5(ctx context.Context) (Phase, error) {
	ph := Phase{Title: phaseTitles["P5"]}
	if err := e.ensure(ctx); err != nil {
		return ph, err
	}
	n := e.cfg.P5Cases
	run := time.Now().UnixNano()

	e.log.Info("P5 baseline: workflow start → alert activity", "n", n, "per_s", p5Rate)
	bareLat, bareSent, _, err := e.paced(ctx, n, func(ctx context.Context, i int) (string, error) {
		id := fmt.Sprintf("bench-p5-bare-%d-%d", run, i)
		_, err := e.stack.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: baselineQueue},
			AlertWorkflow, e.alerts.URL, id)
		return id, err
	})
	if err != nil {
		return ph, fmt.Errorf("baseline: %w", err)
	}
	b := bareLat.summary()
	e.log.Info("P5 baseline done", "n", b.N, "p50_ms", b.P50, "p99_ms", b.P99)

	e.log.Info("P5 redress: POST /v1/reviews → seller alert", "n", n, "per_s", p5Rate)
	api := newAPIClient(e.stack.URL, adminToken, 8)
	lat, sent, cpu, err := e.paced(ctx, n, func(ctx context.Context, _ int) (string, error) {
		body, caseID, err := newSimReview(e.stack.Simulator, e.stack.Shops)
		if err != nil {
			return "", err
		}
		return caseID, postReview(ctx, api, body)
	})
	if err != nil {
		return ph, fmt.Errorf("redress: %w", err)
	}
	r := lat.summary()
	e.log.Info("P5 redress done", "n", r.N, "p50_ms", r.P50, "p99_ms", r.P99)

	base := "bare workflow whose first step is an activity posting the same alert to the same receiver"
	ph.Figures = []Figure{
		figure("p50 review received → seller alert", "ms", r.P50, b.P50, base),
		figure("p99 review received → seller alert", "ms", r.P99, b.P99, base),
	}
	ph.Tables = []Table{{
		Title:  "Distribution",
		Header: []string{"", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"},
		Rows: [][]string{
			{"Redress", fmt.Sprint(r.N), f1(r.P50), f1(r.P90), f1(r.P99), f1(r.Max)},
			{"bare workflow", fmt.Sprint(b.N), f1(b.P50), f1(b.P90), f1(b.P99), f1(b.Max)},
		},
	}}
	// Let the cases finish their first steps so the next phase starts calm.
	ids := make([]string, 0, len(sent))
	for id := range sent {
		ids = append(ids, id)
	}
	if err := waitFor(ctx, 10*time.Minute, 2*time.Second, func() (bool, error) {
		n, err := contactedCases(ctx, e, ids)
		e.log.Info("P5 settling: cases contacted", "done", n, "of", len(ids))
		return n >= len(ids), err
	}); err != nil {
		return ph, fmt.Errorf("P5 cases did not settle: %w", err)
	}
	segs, before, err := e.alertBreakdown(ctx, sent, cases.WorkflowIDFor, "AlertSeller", p5Traced)
	if err != nil {
		return ph, err
	}
	bareSegs, _, err := e.alertBreakdown(ctx, bareSent, func(id string) string { return id }, "PostAlertActivity", p5Traced)
	if err != nil {
		return ph, err
	}
	ph.Tables = append(ph.Tables, breakdownTable(segs, bareSegs, min(p5Traced, n)))
	ph.CPU = cpu
	ph.Notes = []string{
		fmt.Sprintf("%d reviews at %d per second. The clock starts just before the client sends POST /v1/reviews (the API stamps CaseInput.ReceivedAt a moment later) and stops when the alert receiver, standing in for ALERT_WEBHOOK_URL, gets the case's new_case alert.", n, p5Rate),
		"Between the two, Redress starts the workflow, validates and classifies the review, records and indexes the case in PostgreSQL, then runs the alert activity; the baseline runs only the alert activity.",
	}
	ph.LimitedBy = fmt.Sprintf("%s (median %s of the %s p50). Before the alert the case runs %s. %s",
		biggestSegment(segs), maxSegment(segs).Round(time.Millisecond), time.Duration(r.P50*float64(time.Millisecond)).Round(time.Millisecond),
		activityList(before), limitText(cpu, e.cfg.cores(), e.persistence()))
	return ph, nil
}

// p5Traced alerts per side have their history read for the breakdown.
const p5Traced = 50

// biggestSegment names the segment with the largest median.
func biggestSegment(segs []time.Duration) string {
	i := 0
	for j, d := range segs {
		if d > segs[i] {
			i = j
		}
	}
	return "Mostly \"" + alertSegments[i] + "\""
}

func maxSegment(segs []time.Duration) time.Duration { return slices.Max(segs) }

func breakdownTable(r, b []time.Duration, n int) Table {
	names := alertSegments
	t := Table{Title: fmt.Sprintf("Where the time goes (median of %d traced alerts, from workflow history)", n), Header: []string{"segment", "Redress ms", "bare ms"}}
	for i, name := range names {
		t.Rows = append(t.Rows, []string{name, f1(ms(r[i])), f1(ms(b[i]))})
	}
	return t
}

// activityList names activities in order, collapsing repeats ("SyncCase ×2").
func activityList(names []string) string {
	if len(names) == 0 {
		return "no activity"
	}
	var out []string
	for i := 0; i < len(names); {
		j := i
		for j < len(names) && names[j] == names[i] {
			j++
		}
		if j-i > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", names[i], j-i))
		} else {
			out = append(out, names[i])
		}
		i = j
	}
	return strings.Join(out, ", ")
}

// paced calls start n times at p5Rate per second and waits for every
// started id's alert; it returns the start → alert latencies.
func (e *environment) paced(ctx context.Context, n int, start func(ctx context.Context, i int) (string, error)) (*latencies, map[string]time.Time, []CPUUse, error) {
	var (
		mu    sync.Mutex
		sent  = map[string]time.Time{}
		ids   []string
		wg    sync.WaitGroup
		first error
	)
	var lat latencies
	use, err := e.measure(func() error {
		tick := time.NewTicker(time.Second / p5Rate)
		defer tick.Stop()
		for i := range n {
			<-tick.C
			wg.Add(1)
			go func() {
				defer wg.Done()
				t := time.Now()
				id, err := start(ctx, i)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					if first == nil {
						first = err
					}
					return
				}
				sent[id] = t
				ids = append(ids, id)
			}()
		}
		wg.Wait()
		if first != nil {
			return first
		}
		return waitFor(ctx, 2*time.Minute, 100*time.Millisecond, func() (bool, error) {
			return e.alerts.count(ids) == len(ids), nil
		})
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for _, id := range ids {
		at, _ := e.alerts.arrivedAt(id)
		lat.add(at.Sub(sent[id]))
	}
	return &lat, sent, use.CPU, nil
}
