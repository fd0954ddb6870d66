package main

import (
	"net/http"
	"time"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/alerts"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/wiring"
)

// deps are what wiring.Wire builds the workers and the API on: this
// process's store, Temporal client and logger, the given connectors, and
// the seller alerts (logged, POSTed to ALERT_WEBHOOK_URL when set, and
// delivered to each organisation's alert channels).
func (a *app) deps(markets marketplace.Registry) wiring.Deps {
	return wiring.Deps{
		Store: a.store, Temporal: a.client, Payloads: a.payloads, Markets: markets, Logger: a.log,
		Notifier: &alerts.Router{Store: a.store, SMTP: alerts.SMTPConfig(a.cfg.AlertSMTP), HTTP: a.alertClient(), Logger: a.log,
			Fallback: activities.WebhookNotifier{URL: a.cfg.AlertWebhookURL, Client: &http.Client{Timeout: 10 * time.Second}, Logger: a.log}},
	}
}

// alertClient posts to sellers' alert channels: public addresses only
// unless ALERT_ALLOW_PRIVATE_URLS.
func (a *app) alertClient() *http.Client {
	if a.cfg.AlertPrivateURLs {
		return &http.Client{Timeout: 10 * time.Second}
	}
	return alerts.PublicOnlyClient(10 * time.Second)
}
