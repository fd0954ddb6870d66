package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// loadResult is what a closed-loop load run did.
type loadResult struct {
	OK      int64
	Failed  int64
	Elapsed time.Duration
	Latency summary
	// Steady is the completions per second in the steady window: after the
	// first quarter of the run (every client busy) up to its end.
	Steady float64
	// FirstErr is the first failure, to show why.
	FirstErr error
	// Samples are every successful call's latency, to pool rounds.
	Samples []time.Duration
}

func (r loadResult) rate() float64 { return r.Steady }

// closedLoop runs op from `clients` goroutines back to back for d; every
// client starts its next call when the previous one returns. Calls in
// flight at the end still finish (and count in OK and Latency), but the
// rate counts only completions inside the steady window.
func closedLoop(ctx context.Context, clients int, d time.Duration, op func(ctx context.Context, client int) error) loadResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		ok, failed atomic.Int64
		lat        latencies
		endsMu     sync.Mutex
		ends       []time.Duration
		errOnce    sync.Once
		firstErr   error
		wg         sync.WaitGroup
	)
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t := time.Now()
				// A call in flight when time is up still finishes: it counts.
				err := op(context.WithoutCancel(ctx), i)
				if err != nil {
					failed.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				ok.Add(1)
				lat.add(time.Since(t))
				endsMu.Lock()
				ends = append(ends, time.Since(start))
				endsMu.Unlock()
			}
		}()
	}
	wg.Wait()
	warm := d / 4
	var steady int64
	for _, e := range ends {
		if e >= warm && e <= d {
			steady++
		}
	}
	res := loadResult{OK: ok.Load(), Failed: failed.Load(), Elapsed: time.Since(start), Latency: lat.summary(),
		Steady: rate(steady, d-warm), FirstErr: firstErr, Samples: lat.samples()}
	if steady == 0 {
		// Calls slower than the window: fall back to all calls over all time.
		res.Steady = rate(res.OK, res.Elapsed)
	}
	return res
}
