package main

import (
	"context"
	"fmt"
	"slices"
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
	if err := e.ensureShape(ctx); err != nil {
		return ph, err
	}
	// The bare engine: the irreducible playbook (P3's shape, with no person
	// to wait for), started on a queue a worker polls, so its workflows run
	// while more start — as Redress's cases do — and the machine is shared
	// the same way. Each side drains after its run (playbooks finish, cases
	// reach first contact), so neither runs on the other's leftovers. The
	// sides take turns over rounds, first one then the other (ABBA): a
	// server's history and a machine's mood then weigh on both alike.
	playbook := e.shape
	playbook.Updates = 0
	api := newAPIClient(e.stack.URL, adminToken, e.cfg.Concurrency)
	var bare, redress p1Side
	var pairs [][2]float64 // per round: Redress's rate, the baseline's
	for round := range e.cfg.P1Rounds {
		sides := []*p1Side{&bare, &redress}
		if round%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, side := range sides {
			var err error
			if side == &bare {
				err = e.p1Bare(ctx, side, playbook, round)
			} else {
				err = e.p1Redress(ctx, side, api, bare.lastRate(), round)
			}
			if err != nil {
				return ph, err
			}
		}
		pairs = append(pairs, [2]float64{redress.lastRate(), bare.lastRate()})
	}
	if bare.ok == 0 {
		return ph, fmt.Errorf("bare StartWorkflow never succeeded: %v", bare.firstErr)
	}
	if redress.ok == 0 {
		return ph, fmt.Errorf("no review was accepted: %v", redress.firstErr)
	}

	bareLat, redLat := summarize(bare.samples), summarize(redress.samples)
	base := "StartWorkflow of " + playbook.describe() + ", on a queue its worker polls, same server, same number of concurrent clients"
	ph.Figures = []Figure{
		figure("reviews accepted into durable cases", "per s", redress.meanRate(), bare.meanRate(), base),
		figure("p50 latency of one intake", "ms", redLat.P50, bareLat.P50, base),
		figure("p99 latency of one intake", "ms", redLat.P99, bareLat.P99, base),
	}
	if redress.drainErr == nil {
		ph.Figures = append(ph.Figures, figure("accepted cases taken through alert and first contact", "per s", rate(redress.ok, redress.throughContact), 0, ""))
	}
	rounds := Table{Title: "Rounds (each side's steady rate; who went first alternates)",
		Header: []string{"round", "first", "Redress per s", "baseline per s", "ratio"}}
	lo, hi := 0.0, 0.0
	for i, pr := range pairs {
		first := "baseline"
		if i%2 == 1 {
			first = "Redress"
		}
		ratio := pr[0] / pr[1]
		if i == 0 || ratio < lo {
			lo = ratio
		}
		if i == 0 || ratio > hi {
			hi = ratio
		}
		rounds.Rows = append(rounds.Rows, []string{fmt.Sprint(i + 1), first, f1(pr[0]), f1(pr[1]), fmt.Sprintf("%.2f×", ratio)})
	}
	ph.Tables = []Table{rounds, {
		Title:  "Run detail (all rounds)",
		Header: []string{"", "Redress POST /v1/reviews", "bare StartWorkflow"},
		Rows: [][]string{
			{"succeeded", fmt.Sprint(redress.ok), fmt.Sprint(bare.ok)},
			{"failed", fmt.Sprint(redress.failed), fmt.Sprint(bare.failed)},
			{"wall time", redress.elapsed.Round(time.Millisecond).String(), bare.elapsed.Round(time.Millisecond).String()},
			{e.temporal.WritesName(), mib(redress.writes), mib(bare.writes)},
			{"Temporal persistence errors logged", fmt.Sprint(redress.storeErrors), fmt.Sprint(bare.storeErrors)},
			{"CPU % (of one core), mean of rounds", cpuText(redress.meanCPU()), cpuText(bare.meanCPU())},
		},
	}}
	ph.CPU = redress.meanCPU()
	ph.Notes = []string{
		fmt.Sprintf("%d concurrent clients, closed loop, %d rounds of %s per side; the figure is the mean of each side's steady rates (per-round ratios from %.2f× to %.2f×). A review counts when the API answered 201 (the case workflow was started, so the case is durable).",
			e.cfg.Concurrency, e.cfg.P1Rounds, e.cfg.Duration, lo, hi),
		"POST /v1/reviews validates the review and starts the case workflow with its id-reuse policy through the payload codec (its organisation in a header), and answers with the case its review opens — the case reads its shop's policy itself, in its first workflow task — while the same worker runs the cases started a moment before; the baseline starts its playbook workflows straight through the Temporal client, and the same worker runs them.",
		"The reviews Redress receives are put in the marketplace simulator before each of its rounds (enough for 1.5× the baseline's last rate), so making the load is not inside the measured calls, as it is not on the baseline's side.",
	}
	if redress.drainErr != nil {
		ph.Notes = append(ph.Notes, fmt.Sprintf("Not every accepted case reached first contact within the drain timeout: %v.", redress.drainErr))
	} else {
		ph.Notes = append(ph.Notes, fmt.Sprintf("All %d accepted cases were alerted, classified and contacted: %.1f cases/s sustained through first contact (from each round's start to its last case contacted).",
			redress.ok, rate(redress.ok, redress.throughContact)))
	}
	if redress.firstErr != nil {
		ph.Notes = append(ph.Notes, "First intake error: "+redress.firstErr.Error())
	}
	ph.LimitedBy = e.limits(redress.meanCPU(), redress.storeErrors)
	return ph, nil
}

// p1Bare runs one round of the baseline and drains it.
func (e *environment) p1Bare(ctx context.Context, side *p1Side, playbook shape, round int) error {
	run := time.Now().UnixNano()
	e.log.Info("P1 baseline: StartWorkflow of the playbook, polled", "round", round+1, "clients", e.cfg.Concurrency, "duration", e.cfg.Duration)
	var started caseIDs
	var res loadResult
	use, _ := e.measure(func() error {
		res = closedLoop(ctx, e.cfg.Concurrency, e.cfg.Duration, func(ctx context.Context, i int) error {
			id := fmt.Sprintf("bench-p1-bare-%d-%d-%d", run, i, time.Now().UnixNano())
			_, err := e.stack.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: baselineQueue}, ShapeWorkflow, playbook, recordedPlaybook.Review)
			if err == nil {
				started.add(id)
			}
			return err
		})
		return nil
	})
	side.add(res, use)
	e.log.Info("P1 baseline round done", "round", round+1, "started", res.OK, "failed", res.Failed, "per_s", f1(res.rate()), "p50_ms", res.Latency.P50, "p99_ms", res.Latency.P99)
	drain := time.Now()
	if err := drainWorkflows(ctx, e.stack.Temporal, started.list(), e.cfg.Concurrency); err != nil {
		return fmt.Errorf("baseline drain: %w", err)
	}
	e.log.Info("P1 baseline drained", "workflows", len(started.list()), "took", time.Since(drain).Round(time.Millisecond))
	return nil
}

// p1Redress runs one round of intake over the API and waits until every
// accepted case was alerted and contacted.
func (e *environment) p1Redress(ctx context.Context, side *p1Side, api *apiClient, bareRate float64, round int) error {
	want := int(1.5*bareRate*e.cfg.Duration.Seconds()) + 500
	pool, err := newReviewPool(e.stack.Simulator, e.stack.Shops, want)
	if err != nil {
		return err
	}
	e.log.Info("P1 redress: POST /v1/reviews", "round", round+1, "clients", e.cfg.Concurrency, "duration", e.cfg.Duration, "reviews_ready", want)
	var accepted caseIDs
	var res loadResult
	use, _ := e.measure(func() error {
		res = closedLoop(ctx, e.cfg.Concurrency, e.cfg.Duration, func(ctx context.Context, _ int) error {
			body, caseID, err := pool.next()
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
	side.add(res, use)
	e.log.Info("P1 redress round done", "round", round+1, "accepted", res.OK, "failed", res.Failed, "per_s", f1(res.rate()), "p50_ms", res.Latency.P50, "p99_ms", res.Latency.P99)

	// Accepted is durable, not done: measure how long the worker needs to
	// take every accepted case through alert and first contact.
	drain := time.Now()
	ids := accepted.list()
	err = waitFor(ctx, 10*time.Minute, 2*time.Second, func() (bool, error) {
		n, err := contactedCases(ctx, e, ids)
		e.log.Info("P1 draining: cases alerted and contacted", "done", n, "of", len(ids))
		return n >= len(ids), err
	})
	side.throughContact += time.Since(drain) + res.Elapsed
	if err != nil && side.drainErr == nil {
		side.drainErr = err
	}
	return nil
}

// p1Side adds up one side's rounds.
type p1Side struct {
	rates               []float64
	ok, failed          int64
	elapsed             time.Duration
	samples             []time.Duration
	writes, storeErrors int64
	cpu                 [][]CPUUse
	firstErr            error
	throughContact      time.Duration // Redress: intake plus drain to first contact
	drainErr            error
}

func (s *p1Side) add(r loadResult, u usage) {
	s.rates = append(s.rates, r.rate())
	s.ok, s.failed, s.elapsed = s.ok+r.OK, s.failed+r.Failed, s.elapsed+r.Elapsed
	s.samples = append(s.samples, r.Samples...)
	s.writes, s.storeErrors = s.writes+u.Writes, s.storeErrors+u.StoreErrors
	s.cpu = append(s.cpu, u.CPU)
	if s.firstErr == nil {
		s.firstErr = r.FirstErr
	}
}

func (s *p1Side) lastRate() float64 {
	if len(s.rates) == 0 {
		return 0
	}
	return s.rates[len(s.rates)-1]
}

func (s *p1Side) meanRate() float64 {
	var t float64
	for _, r := range s.rates {
		t += r
	}
	return t / float64(max(len(s.rates), 1))
}

// meanCPU averages each process group's share over the rounds.
func (s *p1Side) meanCPU() []CPUUse {
	if len(s.cpu) == 0 {
		return nil
	}
	out := slices.Clone(s.cpu[0])
	for i := range out {
		var t float64
		for _, round := range s.cpu {
			for _, u := range round {
				if u.Name == out[i].Name {
					t += u.Percent
				}
			}
		}
		out[i].Percent = t / float64(len(s.cpu))
	}
	return out
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
