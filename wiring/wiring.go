// Package wiring assembles Redress: given its dependencies, Wire registers
// the case worker (CaseWorkflow, its activities, intake) and the order-care
// worker and builds the API handler. Every entry point — cmd/redress,
// internal/testenv, the drills and the bench — wires through it; what differs
// between them is spelled out in Options.
//
// It sits above api, workflows, activities, intake, ordercare and worker;
// nothing below imports it.
package wiring

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/privacy"
	"github.com/redress-hq/redress/store"
	rworker "github.com/redress-hq/redress/worker"
	"github.com/redress-hq/redress/workflows"
)

// Deps are what the workers and the API run on.
type Deps struct {
	Store    *store.Store
	Temporal client.Client
	// Payloads is the data converter Temporal was dialled with
	// (payloadcrypt.ClientOptions), for what reads histories directly.
	Payloads converter.DataConverter
	Markets  marketplace.Registry
	Logger   *slog.Logger
	// Notifier tells people about cases (the case activities' alerts).
	Notifier activities.Notifier
}

// Options choose the parts to build and how each entry point differs.
type Options struct {
	// Settings every case starts with: intake's case settings and the API's
	// case defaults (API.CaseDefaults is set from them).
	Settings workflows.CaseSettings

	// CaseWorker builds the worker on workflows.TaskQueue: CaseWorkflow,
	// its activities and the intake workflows.
	CaseWorker bool
	// CaseMetrics, when set, counts cases opened and closed, breaches and incidents.
	CaseMetrics *activities.Metrics
	// RefundPollInterval is how often IssueRefund checks an asynchronous
	// refund (zero: the activities' default, 5 s).
	RefundPollInterval time.Duration

	// WorkerTuning sets both workers' pollers and concurrency (config.Cluster);
	// zero: rworker.Options' defaults.
	WorkerTuning rworker.Tuning

	// OrderCareWorker builds the order-care worker on ordercare.TaskQueue.
	OrderCareWorker bool
	// OrderCareAlerts gives order care Deps.Notifier for its pre-emptive
	// task alerts; without it order care sends none.
	OrderCareAlerts bool

	// API builds the API server with this configuration (CaseDefaults is
	// replaced by Settings); nil: no API.
	API *api.Config
	// Metrics receives the API's collectors and Gatherer serves /metrics;
	// nil: the API's private registry.
	Metrics  prometheus.Registerer
	Gatherer prometheus.Gatherer
}

// Wired holds the parts Options asked for; workers are registered but not
// started, so each entry point starts and stops them in its own order.
type Wired struct {
	CaseWorker      worker.Worker // nil unless Options.CaseWorker
	OrderCareWorker worker.Worker // nil unless Options.OrderCareWorker
	API             *api.Server   // nil unless Options.API
}

// Wire registers the workers and builds the API that o asks for on d.
func Wire(d Deps, o Options) Wired {
	var out Wired
	if o.CaseWorker {
		w := worker.New(d.Temporal, workflows.TaskQueue, o.WorkerTuning.Apply(rworker.Options()))
		rworker.Register(w, &activities.Activities{
			Store: d.Store, Markets: d.Markets, Notifier: d.Notifier, Logger: d.Logger,
			Metrics: o.CaseMetrics, RefundPollInterval: o.RefundPollInterval,
		})
		// Retention of buyers' personal data (docs/privacy.md).
		privacy.Register(w, &privacy.Activities{Store: d.Store})
		intake.Register(w, &intake.Activities{
			Cursors: d.Store, Cases: d.Store, Markets: d.Markets, Temporal: d.Temporal, Payloads: d.Payloads,
			Settings: o.Settings, Logger: d.Logger,
		})
		out.CaseWorker = w
	}
	if o.OrderCareWorker {
		w := worker.New(d.Temporal, ordercare.TaskQueue, o.WorkerTuning.Apply(rworker.Options()))
		acts := &ordercare.Activities{Store: d.Store, Markets: d.Markets, Logger: d.Logger, Temporal: d.Temporal}
		if o.OrderCareAlerts {
			acts.Notifier = d.Notifier
		}
		ordercare.Register(w, acts)
		out.OrderCareWorker = w
	}
	if o.API != nil {
		cfg := *o.API
		cfg.CaseDefaults = o.Settings
		out.API = api.New(api.Deps{
			Store: d.Store, Temporal: d.Temporal, Payloads: d.Payloads, Markets: d.Markets, Logger: d.Logger,
			Ingestor: intake.Ingestor{Temporal: d.Temporal},
			Metrics:  o.Metrics, Gatherer: o.Gatherer,
			Config: cfg,
		})
	}
	return out
}
