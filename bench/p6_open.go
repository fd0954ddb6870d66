package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/simulator"
)

// memSample is one look at memory and storage while cases are open.
type memSample struct {
	At       time.Duration `json:"at_ns"` // since the phase began
	Step     string        `json:"step"`
	BareOpen int64         `json:"bare_open"`
	// RedressOpen cases were opened (POST /v1/reviews answered 201);
	// Waiting of them reached their wait for the buyer.
	RedressOpen int64 `json:"redress_open"`
	Waiting     int64 `json:"redress_waiting"`
	// ServerRSS is the Temporal server's: the dev server, or the sum of the
	// cluster's four processes.
	ServerRSS int64 `json:"server_rss_bytes"`
	GoHeap    int64 `json:"go_heap_bytes"` // live heap of this process after a GC (worker, API, simulator)
	GoSys     int64 `json:"go_sys_bytes"`  // memory the Go runtime holds from the OS
	// What Temporal persists to: the dev server's SQLite file and WAL, or
	// the cluster's two PostgreSQL databases.
	DBFile       int64 `json:"sqlite_bytes,omitempty"`
	TemporalDB   int64 `json:"temporal_pg_bytes,omitempty"`
	VisibilityDB int64 `json:"visibility_pg_bytes,omitempty"`
	// RedressDB is Redress's own PostgreSQL database.
	RedressDB int64 `json:"redress_pg_bytes"`
}

// persisted is everything Temporal stored.
func (s memSample) persisted() int64 { return s.DBFile + s.TemporalDB + s.VisibilityDB }

func (e *environment) sampleMemory(ctx context.Context, start time.Time, step string, bare, opened, waiting int64) (memSample, error) {
	var rss int64
	for _, pid := range e.temporal.PIDs() {
		r, err := rssBytes(pid)
		if err != nil {
			return memSample{}, err
		}
		rss += r
	}
	st, err := e.temporal.Storage(ctx)
	if err != nil {
		return memSample{}, fmt.Errorf("temporal storage: %w", err)
	}
	var redressDB int64
	if err := e.stack.Store.DB().GetContext(ctx, &redressDB, `SELECT pg_database_size(current_database())`); err != nil {
		return memSample{}, fmt.Errorf("redress database size: %w", err)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s := memSample{At: time.Since(start).Round(time.Second), Step: step, BareOpen: bare, RedressOpen: opened, Waiting: waiting,
		ServerRSS: rss, GoHeap: int64(m.HeapAlloc), GoSys: int64(m.Sys),
		DBFile: st.SQLite, TemporalDB: st.Temporal, VisibilityDB: st.Visibility, RedressDB: redressDB}
	e.log.Info("P6 memory", "step", step, "bare_open", bare, "opened", opened, "waiting", waiting,
		"server_rss_mib", f1(mibf(s.ServerRSS)), "go_heap_mib", f1(mibf(s.GoHeap)),
		"temporal_store_mib", f1(mibf(s.persisted())), "redress_db_mib", f1(mibf(s.RedressDB)))
	return s, nil
}

// waitingCases counts the cases indexed with their first message sent (or
// already closed): a case there waits on the buyer and its timers.
func (e *environment) waitingCases(ctx context.Context) (int64, error) {
	var n int64
	err := e.stack.Store.DB().GetContext(ctx, &n,
		`SELECT count(*) FROM cases WHERE first_contact_at IS NOT NULL OR status = 'closed'`)
	if err != nil {
		return 0, fmt.Errorf("count waiting cases: %w", err)
	}
	return n, nil
}

func (e *environment) runP6(ctx context.Context) (Phase, error) {
	n, nBare := e.cfg.P6Cases, e.cfg.P6Bare
	ph := Phase{Title: fmt.Sprintf("%s (%d cases)", phaseTitles["P6"], n)}
	if err := e.ensure(ctx); err != nil {
		return ph, err
	}
	start := time.Now()
	conc := e.cfg.Concurrency
	// Cases of earlier phases in this run are not P6's.
	waitingBefore, err := e.waitingCases(ctx)
	if err != nil {
		return ph, err
	}
	var samples []memSample
	sample := func(step string, bare, opened, waiting int64) error {
		s, err := e.sampleMemory(ctx, start, step, bare, opened, waiting)
		if err == nil {
			samples = append(samples, s)
		}
		return err
	}
	// While cases open (an hour at 100,000), a sample that fails — the
	// shared PostgreSQL restarting under us — is skipped, not fatal.
	trySample := func(step string, bare, opened, waiting int64) {
		if err := sample(step, bare, opened, waiting); err != nil {
			e.log.Warn("P6 sample skipped", "step", step, "err", err)
		}
	}
	if err := sample("before", 0, 0, 0); err != nil {
		return ph, err
	}

	// The bare engine: nBare workflows each waiting on one day-long timer.
	run := time.Now().UnixNano()
	bare := startCount(ctx, nBare, conc, func(ctx context.Context, i int) error {
		_, err := e.stack.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: fmt.Sprintf("bench-p6-bare-%d-%d", run, i), TaskQueue: baselineQueue,
		}, SleepWorkflow, 24*time.Hour)
		return err
	}, func(done int) { e.log.Info("P6 bare workflows started", "n", done, "of", nBare) })
	if bare.err != nil {
		return ph, fmt.Errorf("bare workflows: %w", bare.err)
	}
	time.Sleep(e.cfg.P6Sample) // let their first workflow tasks run
	if err := sample("bare open", int64(nBare), 0, 0); err != nil {
		return ph, err
	}

	// Redress: cases through the API, each ends up waiting for the buyer on
	// its no-reply and deadline timers. At most -p6-window are opened but
	// not yet waiting, so opening keeps pace with the worker.
	waiting := func() (int64, error) {
		c, err := e.waitingCases(ctx)
		return c - waitingBefore, err
	}
	openStart := time.Now()
	op, err := openWindowed(ctx, e, n, conc, waiting, func(st openState) {
		trySample("opening", int64(nBare), st.Opened, st.Waiting)
	})
	openTook := time.Since(openStart)
	if err != nil {
		return ph, fmt.Errorf("open cases: %w", err)
	}
	opened := op.Opened
	if opened == 0 {
		return ph, fmt.Errorf("no case opened: %v", op.FirstErr)
	}
	if err := waitFor(ctx, 30*time.Minute, e.cfg.P6Sample, func() (bool, error) {
		c, err := waiting()
		if err != nil {
			e.log.Warn("P6 waiting count failed; retrying", "err", err)
			return false, nil
		}
		trySample("cases reaching their wait", int64(nBare), opened, c)
		return c >= opened, nil
	}); err != nil {
		return ph, fmt.Errorf("cases did not all reach their wait: %w", err)
	}
	allWaiting := time.Since(openStart)
	holdFrom := len(samples)
	if err := sample("all waiting", int64(nBare), opened, opened); err != nil {
		return ph, err
	}
	holdUse, err := e.measure(func() error {
		for deadline := time.Now().Add(e.cfg.P6Hold); time.Now().Before(deadline); {
			time.Sleep(e.cfg.P6Sample)
			if err := sample("holding", int64(nBare), opened, opened); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ph, err
	}
	sl := samples[len(samples)-1]
	// The cache's share of the heap: what a purge of the sticky cache frees.
	cacheShare := sl.GoHeap - heapAfterPurge()
	simPerReview, err := simulatorBytesPerReview()
	if err != nil {
		return ph, err
	}

	s0, sb, sh := samples[0], samples[1], samples[holdFrom]
	// RSS moves with the servers' garbage collectors; the median of the
	// hold samples is steadier than any one of them.
	hold := samples[holdFrom:]
	holdRSS := median(hold, func(s memSample) int64 { return s.ServerRSS })
	holdHeap := median(hold, func(s memSample) int64 { return s.GoHeap })
	holdDB := median(hold, func(s memSample) int64 { return s.persisted() })
	holdRedressDB := median(hold, func(s memSample) int64 { return s.RedressDB })
	bareRSS, bareHeap, bareDB := sb.ServerRSS-s0.ServerRSS, sb.GoHeap-s0.GoHeap, sb.persisted()-s0.persisted()
	on := int(opened)
	base := fmt.Sprintf("%d bare workflows each waiting on one timer, same server and worker", nBare)
	perCaseDB := float64(holdDB-sb.persisted()) / float64(on)
	perCaseRedressDB := float64(holdRedressDB-sb.RedressDB) / float64(on)
	ph.Figures = []Figure{
		figure("open cases held", "cases", float64(on), 0, ""),
		sameN(growth("Temporal server RSS growth for the open cases", holdRSS-sb.ServerRSS, bareRSS, base), on == nBare),
		figure("Temporal server RSS with every case open", "MiB", mibf(holdRSS), 0, ""),
		sameN(growth("worker-process live heap growth for the open cases", holdHeap-sb.GoHeap, bareHeap, base), on == nBare),
		figure("Temporal persistence growth per open case", "KiB", perCaseDB/1024, float64(bareDB)/float64(nBare)/1024, base),
		figure("Redress database growth per open case", "KiB", perCaseRedressDB/1024, 0, ""),
		figure("Temporal server RSS change while holding", "%", pctChange(sh.ServerRSS, sl.ServerRSS), 0, ""),
		figure("worker-process live heap change while holding", "%", pctChange(sh.GoHeap, sl.GoHeap), 0, ""),
	}
	if e.cfg.Temporal == serverCluster {
		ph.Title = fmt.Sprintf("%s (%d cases, PostgreSQL-backed cluster)", phaseTitles["P6"], on)
	}
	ph.Notes = []string{
		fmt.Sprintf("%d bare workflows were opened first, then cases through POST /v1/reviews with %d clients, at most %d of them opened but not yet waiting at any time; %d cases opened in %s (%.1f per s; %d requests failed), all %d were waiting for the buyer (first message sent) %s after the first was opened; then memory was watched for %s.",
			nBare, conc, e.cfg.P6Window, on, openTook.Round(time.Second), rate(opened, openTook), op.Failed, on, allWaiting.Round(time.Second), e.cfg.P6Hold),
		serverMemoryText(e.temporal.Name(), hold, samples, on, holdRSS-sb.ServerRSS),
		heapText(samples, hold, sb.GoHeap, e.cfg.StickyCache, simPerReview),
		fmt.Sprintf("Purging the worker's sticky cache after the hold freed %.1f MiB of the process's %.1f MiB heap: that is what the cache (at most %d workflows) held; the rest is the in-process API, simulator and clients.",
			mibf(cacheShare), mibf(sl.GoHeap), e.cfg.StickyCache),
		fmt.Sprintf("Storage: %s grew %.1f KiB per open case (the bare workflow: %.1f KiB) — %.1f GiB for 100,000; Redress's own database grew %.1f KiB per case — %.1f GiB for 100,000.",
			e.temporal.StorageName(), perCaseDB/1024, float64(bareDB)/float64(nBare)/1024, perCaseDB*100000/(1<<30), perCaseRedressDB/1024, perCaseRedressDB*100000/(1<<30)),
		"Worker memory is this whole process's Go heap (worker, API, simulator — the simulator keeps every order in memory) after a forced GC; server memory is VmRSS from /proc/<pid>/status (summed over the cluster's four processes); PostgreSQL sizes are pg_database_size.",
	}
	if op.Stopped {
		ph.Title += fmt.Sprintf(" — partial: %d of %d opened", on, n)
		ph.Notes = append([]string{fmt.Sprintf("**Partial run**: opening stopped after -p6-open-for %s with %d of the %d cases asked for opened; every figure is for the %d opened.", e.cfg.P6OpenFor, on, n, on)}, ph.Notes...)
	}
	if op.FirstErr != nil {
		ph.Notes = append(ph.Notes, "First intake error: "+op.FirstErr.Error())
	}
	ph.Tables = []Table{memTable(samples, e.temporal.StorageName())}
	ph.Samples = samples
	if on < 1000 {
		ph.Notes = append(ph.Notes, fmt.Sprintf("N = %d is small: the per-case figures are dominated by allocator and GC noise; use -p6-cases 2000 or more.", on))
	}
	ph.Notes = append(ph.Notes, flatness("Temporal server RSS", sh.ServerRSS, sl.ServerRSS, e.cfg.P6Hold),
		flatness("worker-process heap", sh.GoHeap, sl.GoHeap, e.cfg.P6Hold),
		"Cleanup: P6's workflows stay open until the run ends; then the dev server's SQLite file is deleted, or the cluster is stopped and its two databases dropped, so none of their timers fires anywhere.")
	ph.CPU = holdUse.CPU
	ph.LimitedBy = fmt.Sprintf("Not CPU while cases wait: the Temporal server used %s and this process %s of one core. What grows with open cases is storage (%s: %.1f KiB per case; Redress's database: %.1f KiB) and the worker's cache, bounded by -sticky-cache %d; opening them is bounded by the worker's pace (%.1f cases per s through first contact here).",
		cpuOf(holdUse.CPU, 0), cpuOf(holdUse.CPU, 1), e.temporal.StorageName(), perCaseDB/1024, perCaseRedressDB/1024, e.cfg.StickyCache, rate(opened, allWaiting))
	return ph, nil
}

// heapAfterPurge empties the worker's sticky cache (process-wide) and
// returns the live heap after a GC.
func heapAfterPurge() int64 {
	worker.PurgeStickyWorkflowCache()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// sameN drops a growth figure's ratio when the baseline held a different
// number of workflows than cases were opened: totals do not compare then.
func sameN(f Figure, same bool) Figure {
	if !same {
		f.Ratio = 0
	}
	return f
}

// openState is how far opening got.
type openState struct {
	Opened, Failed, Waiting int64
	// Stopped: -p6-open-for ran out before every case was opened.
	Stopped  bool
	FirstErr error
}

// maxCountOutage is how long the waiting count may fail (the shared
// PostgreSQL restarting) before P6 gives up.
const maxCountOutage = 3 * time.Minute

// waitingPoll is how often opening recounts the cases that reached their
// wait. The count scans every case (5.7 ms at 4,500 here, growing with
// each), and the window (-p6-window 200) is ~15 s of opening: a count
// every 3 s keeps pace at a third of the once-a-second cost.
const waitingPoll = 3 * time.Second

// maxOpenFailures: past this share of failed intakes P6 stops; a few
// failures in 100,000 (a request timing out) do not spoil the figures.
const maxOpenFailures = 0.01

// openWindowed opens up to n cases from conc clients, never more than
// -p6-window ahead of the cases that reached their wait, until n are
// opened or -p6-open-for runs out; every -p6-progress it logs and calls
// progress.
func openWindowed(ctx context.Context, e *environment, n, conc int, waiting func() (int64, error), progress func(openState)) (openState, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var opened, failed, waitingNow, next atomic.Int64
	var firstErr atomic.Value
	var deadline time.Time
	if e.cfg.P6OpenFor > 0 {
		deadline = time.Now().Add(e.cfg.P6OpenFor)
	}
	expired := func() bool { return !deadline.IsZero() && time.Now().After(deadline) }
	pollErr := make(chan error, 1)
	go func() { // the waiting count, every few seconds: a count over 100,000 rows is not free
		t := time.NewTicker(waitingPoll)
		defer t.Stop()
		var failingSince time.Time
		for {
			// A failed count keeps the last one (opening pauses at the
			// window) unless it keeps failing.
			if c, err := waiting(); err == nil {
				waitingNow.Store(c)
				failingSince = time.Time{}
			} else if failingSince.IsZero() {
				failingSince = time.Now()
				e.log.Warn("P6 waiting count failed; retrying", "err", err)
			} else if time.Since(failingSince) > maxCountOutage {
				pollErr <- err
				cancel()
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	api := newAPIClient(e.stack.URL, adminToken, conc)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				for opened.Load()-waitingNow.Load() >= int64(e.cfg.P6Window) && ctx.Err() == nil && !expired() {
					time.Sleep(50 * time.Millisecond)
				}
				if ctx.Err() != nil || expired() {
					return
				}
				body, _, err := newSimReview(e.stack.Simulator, e.stack.Shops)
				if err == nil {
					err = postReview(ctx, api, body)
				}
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					if f := failed.Add(1); float64(f) > maxOpenFailures*float64(n)+10 {
						cancel()
					}
					time.Sleep(time.Second) // an outage costs few attempts
					continue
				}
				opened.Add(1)
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	state := func() openState {
		st := openState{Opened: opened.Load(), Failed: failed.Load(), Waiting: waitingNow.Load(), Stopped: expired() && opened.Load()+failed.Load() < int64(n)}
		if v, ok := firstErr.Load().(error); ok {
			st.FirstErr = v
		}
		return st
	}
	tick := time.NewTicker(e.cfg.P6Progress)
	defer tick.Stop()
	began := time.Now()
	for {
		select {
		case <-done:
			st := state()
			select {
			case err := <-pollErr:
				return st, err
			default:
			}
			if float64(st.Failed) > maxOpenFailures*float64(n)+10 {
				return st, fmt.Errorf("%d intakes failed, first: %w", st.Failed, st.FirstErr)
			}
			if err := ctx.Err(); err != nil && !st.Stopped {
				return st, err
			}
			return st, nil
		case <-tick.C:
			st := state()
			e.log.Info("P6 cases opening", "opened", st.Opened, "of", n, "waiting", st.Waiting, "failed", st.Failed,
				"per_s", f1(rate(st.Opened, time.Since(began))), "load", loadAverage())
			progress(st)
		}
	}
}

// simulatorBytesPerReview measures what the simulator keeps per review
// and order (the worker-process heap holds the bench's simulator): a
// throwaway simulator takes reviews like P6's and the live heap is
// compared before and after.
func simulatorBytesPerReview() (float64, error) {
	const k = 2000
	shops := benchShops()
	sim := simulator.New(simulator.Options{Logger: quietLogger()})
	sim.Seed(shops...)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for range k {
		if _, _, err := newSimReview(sim, shops); err != nil {
			return 0, err
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(sim)
	return float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / k, nil
}

// heapText says how the worker process's heap followed the cases: its
// growth per case until the sticky cache could be full, and after, beside
// what the in-process simulator keeps per case.
func heapText(all, hold []memSample, from int64, cache int, simPerReview float64) string {
	end := median(hold, func(s memSample) int64 { return s.GoHeap })
	last := hold[0]
	for _, s := range all {
		if s.Waiting >= int64(cache) && s.Waiting < last.Waiting {
			before := float64(s.GoHeap-from) / float64(s.Waiting)
			after := float64(end-s.GoHeap) / float64(last.Waiting-s.Waiting)
			verdict := "kept growing at more than half its pace"
			if after < before/2 {
				verdict = "slowed once the cache was full"
			}
			return fmt.Sprintf("Worker-process heap %s: %.1f KiB per case up to %d waiting cases (the sticky cache holds %d workflows), %.1f KiB per case from there to all %d (%.0f MiB → %.0f MiB). The simulator alone keeps %.1f KiB per review and order (measured apart); the rest beyond the cache is the in-process API, SDK client and simulator's messages.",
				verdict, before/1024, s.Waiting, cache, after/1024, last.Waiting, mibf(s.GoHeap), mibf(end), simPerReview/1024)
		}
	}
	return fmt.Sprintf("Worker-process heap: %.0f MiB with %d cases waiting, fewer than the sticky cache holds (%d), so every one may be cached. The simulator alone keeps %.1f KiB per review and order (measured apart).",
		mibf(end), last.Waiting, cache, simPerReview/1024)
}

type countResult struct{ err error }

// startCount runs op n times from conc goroutines, reporting progress.
func startCount(ctx context.Context, n, conc int, op func(ctx context.Context, i int) error, progress func(done int)) countResult {
	jobs := make(chan int)
	errs := make(chan error, conc)
	done := make(chan struct{}, n)
	for range conc {
		go func() {
			var first error
			for i := range jobs {
				if err := op(ctx, i); err != nil && first == nil {
					first = err
				}
				done <- struct{}{}
			}
			errs <- first
		}()
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	count := 0
	for count < n && ctx.Err() == nil {
		select {
		case <-done:
			count++
		case <-tick.C:
			progress(count)
		}
	}
	progress(count)
	var res countResult
	for range conc {
		if err := <-errs; err != nil && res.err == nil {
			res.err = err
		}
	}
	return res
}

// flatTolerance is how much memory may move while nothing happens and
// still be called flat (GC timing alone moves it a little).
const flatTolerance = 5.0

func flatness(what string, from, to int64, hold time.Duration) string {
	change := pctChange(from, to)
	verdict := "stayed flat"
	if change > flatTolerance || change < -flatTolerance {
		verdict = "did not stay flat"
	}
	return fmt.Sprintf("While every case waited, %s %s over %s: %.1f MiB → %.1f MiB (%+.1f%%, tolerance ±%.0f%%).",
		what, verdict, hold, mibf(from), mibf(to), change, flatTolerance)
}

// memRows caps the Markdown table; the JSON keeps every sample.
const memRows = 20

func memTable(samples []memSample, storageName string) Table {
	t := Table{Title: "Memory and storage over time", Header: []string{"t", "step", "bare open", "cases opened", "cases waiting", "server RSS MiB", "worker heap MiB", "Temporal storage MiB", "Redress DB MiB"}}
	if len(samples) > memRows {
		t.Title += fmt.Sprintf(" (%d of %d samples; Temporal storage is %s)", memRows, len(samples), storageName)
	}
	for _, s := range thin(samples, memRows) {
		t.Rows = append(t.Rows, []string{s.At.String(), s.Step, fmt.Sprint(s.BareOpen), fmt.Sprint(s.RedressOpen), fmt.Sprint(s.Waiting),
			f1(mibf(s.ServerRSS)), f1(mibf(s.GoHeap)), f1(mibf(s.persisted())), f1(mibf(s.RedressDB))})
	}
	return t
}

func mibf(b int64) float64 { return float64(b) / (1 << 20) }

func pctChange(from, to int64) float64 {
	if from == 0 {
		return 0
	}
	return float64(to-from) / float64(from) * 100
}

// thin keeps n evenly spaced elements of s, always the first and the last.
func thin[T any](s []T, n int) []T {
	if len(s) <= n || n < 2 {
		return s
	}
	out := make([]T, 0, n)
	for i := range n {
		out = append(out, s[i*(len(s)-1)/(n-1)])
	}
	return out
}

func median(samples []memSample, v func(memSample) int64) int64 {
	vals := make([]int64, len(samples))
	for i, s := range samples {
		vals[i] = v(s)
	}
	slices.Sort(vals)
	return vals[len(vals)/2]
}

// cpuOf formats the i-th group's CPU percentage.
func cpuOf(use []CPUUse, i int) string {
	if i >= len(use) {
		return "?"
	}
	return fmt.Sprintf("%.0f%%", use[i].Percent)
}

// growth is a memory increase in MiB next to the baseline's; a ratio only
// makes sense when both grew.
func growth(name string, value, baseline int64, baseName string) Figure {
	f := figure(name, "MiB", mibf(value), mibf(baseline), baseName)
	if value <= 0 || baseline <= 0 {
		f.Ratio = 0
	}
	return f
}

// serverMemoryText says how the server's RSS followed the cases: it
// levelled off when, from a quarter of the cases on, it stayed within 10% of
// where it ended; only then is a linear extrapolation wrong.
func serverMemoryText(server string, hold, all []memSample, n int, moved int64) string {
	end := median(hold, func(s memSample) int64 { return s.ServerRSS })
	for _, s := range all {
		if s.Waiting >= int64(n/4) && s.Waiting > 0 {
			if d := pctChange(s.ServerRSS, end); d < 10 && d > -10 {
				return fmt.Sprintf("The RSS of the %s levelled off: %.0f MiB with %d of the %d cases waiting, %.0f MiB with all of them (%+.0f%%; %.1f KiB per case over the whole run). Its memory is bounded caches; a waiting workflow's state is in its store, so a linear extrapolation of RSS would be wrong.",
					server, mibf(s.ServerRSS), s.Waiting, n, mibf(end), d, float64(moved)/float64(n)/1024)
			}
			break
		}
	}
	return fmt.Sprintf("The RSS of the %s grew %.1f MiB for %d open cases (%.1f KiB each): 100,000 would add about %.1f GiB if it kept growing so.", server, mibf(moved), n, float64(moved)/float64(n)/1024, float64(moved)/float64(n)*100000/(1<<30))
}
