package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/wiring"
	"github.com/redress-hq/redress/workflows"
)

func workerCmd() *cobra.Command {
	return appCommand("worker", "Run the Temporal worker (case workflows and activities)", true, (*app).runWorker)
}

// runWorker polls the case task queue until ctx ends; Stop then waits for
// in-flight activity attempts (worker.Options' WorkerStopTimeout).
func (a *app) runWorker(ctx context.Context) error {
	markets, err := a.markets()
	if err != nil {
		return err
	}
	shops, err := a.cfg.Shops()
	if err != nil {
		return err
	}
	wired := wiring.Wire(a.deps(markets), wiring.Options{
		Settings:        a.cfg.CaseDefaults(),
		CaseWorker:      true,
		CaseMetrics:     caseMetrics(),
		OrderCareWorker: true,
		OrderCareAlerts: true,
	})
	w := wired.CaseWorker
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	// Order care (issue 15) runs on its own task queue, so it can be
	// stopped and restarted apart from the cases.
	if err := wired.OrderCareWorker.Start(); err != nil {
		return err
	}
	defer wired.OrderCareWorker.Stop()
	a.log.Info("order care worker started", "task_queue", ordercare.TaskQueue)
	if len(shops) > 0 {
		if err := intake.EnsureSchedules(ctx, a.client, toIntakeShops(shops), a.cfg.PollInterval); err != nil {
			return err
		}
		a.log.Info("poll schedules ready", "shops", len(shops), "every", a.cfg.PollInterval)
	}
	a.log.Info("worker started", "task_queue", workflows.TaskQueue)
	<-ctx.Done()
	a.log.Info("worker stopping: finishing in-flight activities")
	return nil
}
