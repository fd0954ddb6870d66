package main

import (
	"context"
	"fmt"
	"time"
)

// p2CaseTimeout bounds one case; a happy case takes a few seconds.
const p2CaseTimeout = 3 * time.Minute

func (e *environment) runP2(ctx context.Context) (Phase, error) {
	ph := Phase{Title: phaseTitles["P2"]}
	if err := e.ensure(ctx); err != nil {
		return ph, err
	}
	if err := e.ensureShape(ctx); err != nil {
		return ph, err
	}
	conc := e.cfg.Concurrency
	e.log.Info("P2 baseline: shape workflows", "in_flight", conc, "duration", e.cfg.P2Duration, "shape", fmt.Sprintf("%+v", e.shape))
	run := time.Now().UnixNano()
	var bare loadResult
	bareUse, _ := e.measure(func() error {
		bare = closedLoop(ctx, conc, e.cfg.P2Duration, func(ctx context.Context, i int) error {
			return runShape(ctx, e.stack.Temporal, fmt.Sprintf("bench-p2-shape-%d-%d-%d", run, i, time.Now().UnixNano()), e.shape)
		})
		return nil
	})
	e.log.Info("P2 baseline done", "completed", bare.OK, "failed", bare.Failed, "per_s", f2(bare.rate()), "p50_ms", bare.Latency.P50)
	if bare.OK == 0 {
		return ph, fmt.Errorf("no baseline workflow completed: %v", bare.FirstErr)
	}

	e.log.Info("P2 redress: happy cases through the API", "in_flight", conc, "duration", e.cfg.P2Duration)
	api := newAPIClient(e.stack.URL, adminToken, conc*2)
	var redress loadResult
	redressUse, _ := e.measure(func() error {
		redress = closedLoop(ctx, conc, e.cfg.P2Duration, func(ctx context.Context, _ int) error {
			_, err := runHappyCase(ctx, api, e.stack.Simulator, e.stack.Shops, p2CaseTimeout)
			return err
		})
		return nil
	})
	e.log.Info("P2 redress done", "completed", redress.OK, "failed", redress.Failed, "per_s", f2(redress.rate()), "p50_ms", redress.Latency.P50)
	if redress.OK == 0 {
		return ph, fmt.Errorf("no case completed: %v", redress.FirstErr)
	}

	base := e.shape.describe()
	ph.Figures = []Figure{
		figure("complete cases", "per s", redress.rate(), bare.rate(), base),
		figure("p50 time from review to outcome", "ms", redress.Latency.P50, bare.Latency.P50, base),
		figure("p99 time from review to outcome", "ms", redress.Latency.P99, bare.Latency.P99, base),
	}
	ph.Tables = []Table{{
		Title:  "Run detail",
		Header: []string{"", "Redress case", "bare workflow"},
		Rows: [][]string{
			{"completed", fmt.Sprint(redress.OK), fmt.Sprint(bare.OK)},
			{"API requests per case (agent, buyer, review)", f1(float64(api.calls.Load()) / float64(max(redress.OK+redress.Failed, 1))), "—"},
			{"failed", fmt.Sprint(redress.Failed), fmt.Sprint(bare.Failed)},
			{"wall time", redress.Elapsed.Round(time.Millisecond).String(), bare.Elapsed.Round(time.Millisecond).String()},
			{e.temporal.WritesName(), mib(redressUse.Writes), mib(bareUse.Writes)},
			{"Temporal persistence errors logged", fmt.Sprint(redressUse.StoreErrors), fmt.Sprint(bareUse.StoreErrors)},
			{"CPU % (of one core)", cpuText(redressUse.CPU), cpuText(bareUse.CPU)},
		},
	}}
	ph.CPU = redressUse.CPU
	ph.Notes = []string{
		fmt.Sprintf("%d cases in flight at any time for %s (cases still running then are finished and counted). Each Redress case: the review is created in the simulator and POSTed; the scripted agent polls its tasks and events every %s through the API, answers as the buyer once the first message is out, verifies, picks the first remedy offered; the remedy runs on the simulator's eBay API; follow-up and review check wait %s each.",
			conc, e.cfg.P2Duration, agentPoll, e.cfg.P2Delay),
		"The baseline gets its updates as soon as it starts and has no polling delay; the agent's polling adds up to one poll interval per step to Redress's latency.",
	}
	if redress.FirstErr != nil {
		ph.Notes = append(ph.Notes, "First case error: "+redress.FirstErr.Error())
	}
	if bare.FirstErr != nil {
		ph.Notes = append(ph.Notes, "First baseline error: "+bare.FirstErr.Error())
	}
	ph.LimitedBy = e.limits(redressUse.CPU, redressUse.StoreErrors)
	return ph, nil
}
