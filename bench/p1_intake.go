package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lib/pq"

	"go.temporal.io/sdk/client"
)

func (e *environment) runP1(ctx context.Context) (Phase, error) {
	ph := Phase{Title: phaseTitles["P1"]}
	if err := e.ensure(ctx); err != nil {
		return ph, err
	}
	conc := e.cfg.Concurrency
	run := time.Now().UnixNano()

	// The bare engine first: the irreducible playbook (P3's shape, with no
	// person to wait for), started on a queue a worker polls, so its
	// workflows run while more start — as Redress's cases do — and the
	// machine is shared the same way. Then it drains: every started playbook
	// finishes before Redress is measured, so neither side runs on the
	// other's leftovers (Redress's cases drain after their run below).
	if err := e.ensureShape(ctx); err != nil {
		return ph, err
	}
	playbook := e.shape
	playbook.Updates = 0
	e.log.Info("P1 baseline: StartWorkflow of the playbook, polled", "clients", conc, "duration", e.cfg.Duration)
	var bare loadResult
	var started caseIDs
	bareUse, _ := e.measure(func() error {
		bare = closedLoop(ctx, conc, e.cfg.Duration, func(ctx context.Context, i int) error {
			id := fmt.Sprintf("bench-p1-bare-%d-%d-%d", run, i, time.Now().UnixNano())
			_, err := e.stack.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: baselineQueue}, ShapeWorkflow, playbook, recordedPlaybook.Review)
			if err == nil {
				started.add(id)
			}
			return err
		})
		return nil
	})
	bareDrain := time.Now()
	if err := drainWorkflows(ctx, e.stack.Temporal, started.list(), conc); err != nil {
		return ph, fmt.Errorf("baseline drain: %w", err)
	}
	e.log.Info("P1 baseline drained", "workflows", len(started.list()), "took", time.Since(bareDrain).Round(time.Millisecond))
	e.log.Info("P1 baseline done", "started", bare.OK, "failed", bare.Failed, "per_s", f1(bare.rate()), "p50_ms", bare.Latency.P50, "p99_ms", bare.Latency.P99)
	if bare.OK == 0 {
		return ph, fmt.Errorf("bare StartWorkflow never succeeded: %v", bare.FirstErr)
	}

	e.log.Info("P1 redress: POST /v1/reviews", "clients", conc, "duration", e.cfg.Duration)
	api := newAPIClient(e.stack.URL, adminToken, conc)
	var accepted caseIDs
	var redress loadResult
	redressUse, _ := e.measure(func() error {
		redress = closedLoop(ctx, conc, e.cfg.Duration, func(ctx context.Context, _ int) error {
			body, caseID, err := newSimReview(e.stack.Simulator, e.stack.Shops)
			if err != nil {
				return err
			}
			if err := postReview(ctx, api, body); err != nil {
				return err
			}
			accepted.add(caseID)
			return nil
		})
		return nil
	})
	e.log.Info("P1 redress done", "accepted", redress.OK, "failed", redress.Failed, "per_s", f1(redress.rate()), "p50_ms", redress.Latency.P50, "p99_ms", redress.Latency.P99)
	if redress.OK == 0 {
		return ph, fmt.Errorf("no review was accepted: %v", redress.FirstErr)
	}

	// Accepted is durable, not done: measure how long the worker needs to
	// take every accepted case through alert and first contact.
	drainStart := time.Now()
	ids := accepted.list()
	drainErr := waitFor(ctx, 10*time.Minute, 2*time.Second, func() (bool, error) {
		n, err := contactedCases(ctx, e, ids)
		e.log.Info("P1 draining: cases alerted and contacted", "done", n, "of", len(ids))
		return n >= len(ids), err
	})
	drained := time.Since(drainStart) + redress.Elapsed

	base := "StartWorkflow of " + playbook.describe() + ", on a queue its worker polls, same server, same number of concurrent clients"
	ph.Figures = []Figure{
		figure("reviews accepted into durable cases", "per s", redress.rate(), bare.rate(), base),
		figure("p50 latency of one intake", "ms", redress.Latency.P50, bare.Latency.P50, base),
		figure("p99 latency of one intake", "ms", redress.Latency.P99, bare.Latency.P99, base),
	}
	if drainErr == nil {
		ph.Figures = append(ph.Figures, figure("accepted cases taken through alert and first contact", "per s", rate(redress.OK, drained), 0, ""))
	}
	ph.Tables = []Table{{
		Title:  "Run detail",
		Header: []string{"", "Redress POST /v1/reviews", "bare StartWorkflow"},
		Rows: [][]string{
			{"succeeded", fmt.Sprint(redress.OK), fmt.Sprint(bare.OK)},
			{"failed", fmt.Sprint(redress.Failed), fmt.Sprint(bare.Failed)},
			{"wall time", redress.Elapsed.Round(time.Millisecond).String(), bare.Elapsed.Round(time.Millisecond).String()},
			{e.temporal.WritesName(), mib(redressUse.Writes), mib(bareUse.Writes)},
			{"Temporal persistence errors logged", fmt.Sprint(redressUse.StoreErrors), fmt.Sprint(bareUse.StoreErrors)},
			{"CPU % (of one core)", cpuText(redressUse.CPU), cpuText(bareUse.CPU)},
		},
	}}
	ph.CPU = redressUse.CPU
	ph.Notes = []string{
		fmt.Sprintf("%d concurrent clients for %s each, closed loop. A review counts when the API answered 201 (the case workflow was started, so the case is durable).", conc, e.cfg.Duration),
		"POST /v1/reviews validates the review, reads the shop's name and templates (one PostgreSQL transaction under row-level security), starts the case workflow with its id-reuse policy through the payload codec, and answers with the case its review opens, while the same worker runs the cases started a moment before; the baseline starts its playbook workflows straight through the Temporal client, and the same worker runs them.",
	}
	if drainErr != nil {
		ph.Notes = append(ph.Notes, fmt.Sprintf("Not every accepted case reached first contact within the drain timeout: %v.", drainErr))
	} else {
		ph.Notes = append(ph.Notes, fmt.Sprintf("All %d accepted cases were alerted, classified and contacted %s after intake began: %.1f cases/s sustained through first contact.",
			redress.OK, drained.Round(time.Second), rate(redress.OK, drained)))
	}
	if redress.FirstErr != nil {
		ph.Notes = append(ph.Notes, "First intake error: "+redress.FirstErr.Error())
	}
	ph.LimitedBy = e.limits(redressUse.CPU, redressUse.StoreErrors)
	return ph, nil
}

// contactedCases counts the cases among ids that are indexed with their
// first message sent (or already closed).
func contactedCases(ctx context.Context, e *environment, ids []string) (int, error) {
	var n int
	err := e.stack.Store.DB().GetContext(ctx, &n,
		`SELECT count(*) FROM cases WHERE id = ANY($1) AND (first_contact_at IS NOT NULL OR status = 'closed')`, pq.Array(ids))
	if err != nil {
		return 0, fmt.Errorf("count contacted cases: %w", err)
	}
	return n, nil
}

// caseIDs collects case ids from concurrent clients.
type caseIDs struct {
	mu  sync.Mutex
	ids []string
}

func (c *caseIDs) add(id string) {
	c.mu.Lock()
	c.ids = append(c.ids, id)
	c.mu.Unlock()
}

func (c *caseIDs) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
