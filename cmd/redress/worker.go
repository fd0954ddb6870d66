package main

import (
	"context"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/intake"
	rworker "github.com/redress-hq/redress/worker"
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
	w := worker.New(a.client, workflows.TaskQueue, rworker.Options())
	rworker.Register(w, &activities.Activities{
		Store:    a.store,
		Markets:  markets,
		Notifier: activities.WebhookNotifier{URL: a.cfg.AlertWebhookURL, Client: &http.Client{Timeout: 10 * time.Second}, Logger: a.log},
		Logger:   a.log,
		Metrics:  caseMetrics(),
	})
	intake.Register(w, &intake.Activities{
		Cursors: a.store, Cases: a.store, Markets: markets, Temporal: a.client,
		Settings: a.cfg.CaseDefaults(), Logger: a.log,
	})
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	stopCare, err := a.startOrderCareWorker(markets)
	if err != nil {
		return err
	}
	defer stopCare()
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
