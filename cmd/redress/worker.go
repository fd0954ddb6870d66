package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/privacy"
	"github.com/redress-hq/redress/wiring"
	rworker "github.com/redress-hq/redress/worker"
	"github.com/redress-hq/redress/workflows"
)

// scheduleReconcileEvery is how often the replicas reconcile poll schedules.
const scheduleReconcileEvery = 5 * time.Minute

// retentionEvery is how often closed cases' personal data is checked for shredding.
const retentionEvery = 6 * time.Hour

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
	// Workflows kept in memory between tasks, for the whole process.
	worker.SetStickyWorkflowCacheSize(a.cfg.Cluster.StickyCacheSize)
	wired := wiring.Wire(a.deps(markets), wiring.Options{
		WorkerTuning: rworker.Tuning{
			WorkflowPollers: a.cfg.Cluster.WorkflowPollers, ActivityPollers: a.cfg.Cluster.ActivityPollers,
			MaxActivities: a.cfg.Cluster.MaxActivities, MaxWorkflowTasks: a.cfg.Cluster.MaxWorkflowTasks,
		},
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
	// Shops live in PostgreSQL (issue 12); POLL_SHOPS' shops are registered
	// in the default organisation and marked for polling, so a single-seller
	// deployment keeps polling what it did.
	if err := a.store.EnsureShops(ctx, toShopRefs(shops), true); err != nil {
		return err
	}
	// Every replica runs the reconciler; the one holding its PostgreSQL
	// advisory lock does each pass, the others skip it. The shop table lists
	// every shop, so schedules of disabled or removed shops are pruned.
	rec := intake.ScheduleReconciler{Temporal: a.client, Lock: a.store, Every: a.cfg.PollInterval, Logger: a.log,
		Shops: shopsToPoll(a.store), Prune: true}
	if _, err := rec.Reconcile(ctx); err != nil {
		return err
	}
	go rec.Run(ctx, scheduleReconcileEvery)
	a.log.Info("poll schedules reconciled from the shop table", "every", a.cfg.PollInterval)
	if err := privacy.EnsureRetentionSchedule(ctx, a.client, a.cfg.RetentionDays, retentionEvery); err != nil {
		return err
	}
	a.log.Info("privacy retention scheduled", "days", a.cfg.RetentionDays, "every", retentionEvery)
	if a.cfg.Cluster.OpsAddr != "" {
		a.serveWorkerOps(ctx, a.cfg.Cluster.OpsAddr)
	}
	a.log.Info("worker started", "task_queue", workflows.TaskQueue)
	<-ctx.Done()
	a.log.Info("worker stopping: finishing in-flight activities")
	return nil
}
