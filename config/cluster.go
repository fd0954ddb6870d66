package config

import (
	"errors"
	"fmt"
)

// Cluster is how a process joins a Temporal cluster with other replicas:
// its worker's share of the work and how it reaches a self-hosted cluster
// over mTLS or Temporal Cloud (mTLS or an API key). docs/operations.md says
// how to size them.
type Cluster struct {
	// Pollers: goroutines long-polling each task queue. More replicas need
	// fewer each; a busy replica needs more.
	WorkflowPollers int `env:"WORKER_WORKFLOW_POLLERS" envDefault:"2"`
	ActivityPollers int `env:"WORKER_ACTIVITY_POLLERS" envDefault:"2"`
	// MaxActivities and MaxWorkflowTasks bound what one replica runs at once.
	MaxActivities    int `env:"WORKER_MAX_CONCURRENT_ACTIVITIES" envDefault:"20"`
	MaxWorkflowTasks int `env:"WORKER_MAX_CONCURRENT_WORKFLOW_TASKS" envDefault:"10"`
	// StickyCacheSize: workflows kept in memory between tasks (the SDK
	// default is 10,000); each costs its state, a few KB for a case.
	StickyCacheSize int `env:"WORKER_STICKY_CACHE_SIZE" envDefault:"2000"`
	// OpsAddr, when set, is where a worker serves /healthz, /readyz and
	// /metrics (Kubernetes probes, Prometheus); off by default, so several
	// workers can share a host.
	OpsAddr string `env:"WORKER_OPS_ADDR"`

	// TLS: a client certificate and key (mTLS: self-hosted or Temporal
	// Cloud), an optional CA for a private server certificate, and the
	// server name to check when it differs from TEMPORAL_ADDRESS's host.
	TLSCert       string `env:"TEMPORAL_TLS_CERT,file"`
	TLSKey        string `env:"TEMPORAL_TLS_KEY,file"`
	TLSCA         string `env:"TEMPORAL_TLS_CA,file"`
	TLSServerName string `env:"TEMPORAL_TLS_SERVER_NAME"`
	// TLS alone (no client certificate): e.g. with an API key.
	TLS bool `env:"TEMPORAL_TLS"`
	// APIKey authenticates to Temporal Cloud (implies TLS).
	APIKey string `env:"TEMPORAL_API_KEY"`
}

// UsesTLS reports whether the Temporal connection is TLS.
func (c Cluster) UsesTLS() bool {
	return c.TLS || c.APIKey != "" || c.TLSCert != "" || c.TLSCA != ""
}

func (c Cluster) validate() []error {
	var errs []error
	for name, n := range map[string]int{"WORKER_WORKFLOW_POLLERS": c.WorkflowPollers,
		"WORKER_ACTIVITY_POLLERS": c.ActivityPollers, "WORKER_MAX_CONCURRENT_ACTIVITIES": c.MaxActivities,
		"WORKER_MAX_CONCURRENT_WORKFLOW_TASKS": c.MaxWorkflowTasks} {
		if n < 1 {
			errs = append(errs, fmt.Errorf("%s must be at least 1, got %d", name, n))
		}
	}
	// The SDK needs two workflow-task pollers at least (sticky and normal queues).
	if c.WorkflowPollers == 1 {
		errs = append(errs, errors.New("WORKER_WORKFLOW_POLLERS must be at least 2: one polls the sticky queue"))
	}
	if c.MaxWorkflowTasks < c.WorkflowPollers {
		errs = append(errs, fmt.Errorf("WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (%d) must be at least WORKER_WORKFLOW_POLLERS (%d)", c.MaxWorkflowTasks, c.WorkflowPollers))
	}
	if c.MaxActivities < c.ActivityPollers {
		errs = append(errs, fmt.Errorf("WORKER_MAX_CONCURRENT_ACTIVITIES (%d) must be at least WORKER_ACTIVITY_POLLERS (%d)", c.MaxActivities, c.ActivityPollers))
	}
	if c.StickyCacheSize < 0 {
		errs = append(errs, fmt.Errorf("WORKER_STICKY_CACHE_SIZE must not be negative, got %d", c.StickyCacheSize))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS needs both)"))
	}
	return errs
}
