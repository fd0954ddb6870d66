package main

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"

	"github.com/redress-hq/redress/activities"
)

// registry is the process's one Prometheus registry: the API's HTTP metrics,
// the worker's case metrics and the Temporal SDK's metrics all land here and
// are served together on /metrics.
var registry = func() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}()

// temporalMetrics bridges the SDK's metrics (through tally, the SDK's
// supported reporter) into the process registry.
func temporalMetrics() client.MetricsHandler {
	reporter := tallyprom.NewReporter(tallyprom.Options{Registerer: registry})
	scope, _ := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, time.Second)
	return sdktally.NewMetricsHandler(scope)
}

// caseMetrics are the worker's case counters, registered once per process.
var caseMetrics = sync.OnceValue(func() *activities.Metrics { return activities.NewMetrics(registry) })
