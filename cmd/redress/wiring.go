package main

import (
	"net/http"
	"time"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/wiring"
)

// deps are what wiring.Wire builds the workers and the API on: this
// process's store, Temporal client and logger, the given connectors, and
// the seller alerts (logged, and POSTed to ALERT_WEBHOOK_URL when set).
func (a *app) deps(markets marketplace.Registry) wiring.Deps {
	return wiring.Deps{
		Store: a.store, Temporal: a.client, Payloads: a.payloads, Markets: markets, Logger: a.log,
		Notifier: activities.WebhookNotifier{URL: a.cfg.AlertWebhookURL, Client: &http.Client{Timeout: 10 * time.Second}, Logger: a.log},
	}
}
