package main

import (
	"net/http"
	"time"

	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/ordercare"
	rworker "github.com/redress-hq/redress/worker"
)

// startOrderCareWorker runs order care (issue 15) on its own task queue, so
// it can be stopped and restarted apart from the cases.
func (a *app) startOrderCareWorker(markets marketplace.Registry) (stop func(), err error) {
	w := worker.New(a.client, ordercare.TaskQueue, rworker.Options())
	ordercare.Register(w, &ordercare.Activities{
		Store: a.store, Markets: markets, Logger: a.log, Temporal: a.client,
		Notifier: activities.WebhookNotifier{URL: a.cfg.AlertWebhookURL, Client: &http.Client{Timeout: 10 * time.Second}, Logger: a.log},
	})
	if err := w.Start(); err != nil {
		return nil, err
	}
	a.log.Info("order care worker started", "task_queue", ordercare.TaskQueue)
	return w.Stop, nil
}
