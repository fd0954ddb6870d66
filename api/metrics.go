package api

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests        *prometheus.CounterVec
	latency         *prometheus.HistogramVec
	casesOpened     *prometheus.CounterVec
	webhooks        *prometheus.CounterVec
	incidentActions *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	return &metrics{
		requests: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"})),
		latency: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "redress_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"})),
		casesOpened: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_api_cases_opened_total", Help: "Case workflows started by the API, by marketplace.",
		}, []string{"marketplace"})),
		webhooks: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_webhooks_received_total", Help: "Webhook events received, by marketplace, kind and whether the delivery was new.",
		}, []string{"marketplace", "kind", "delivery"})),
		incidentActions: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_incident_actions_total", Help: "Incident retries and skips requested, by action and result.",
		}, []string{"action", "result"})),
	}
}

// register adds c to reg, reusing an identical collector already there (two
// servers sharing one registry, as in tests or a restart within a process).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}
