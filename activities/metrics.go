package activities

import (
	"encoding/json"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/redress-hq/redress/cases"
)

// Metrics count what cases do, from the audit events each sync commits.
// A batch is counted once it is written; a retry after a lost reply may
// count it again, which metrics tolerate and the audit trail never does.
type Metrics struct {
	events    *prometheus.CounterVec
	opened    *prometheus.CounterVec
	closed    *prometheus.CounterVec
	breaches  *prometheus.CounterVec
	incidents *prometheus.CounterVec
	// uncommitted counts index batches that met a workflow task which never
	// completed (events-not-rows v7): "dropped" (the batch was that task's)
	// and "replaced" (a later task wrote over that task's events).
	uncommitted *prometheus.CounterVec
}

// NewMetrics registers the case metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_case_events_total", Help: "Audit events written, by type.",
		}, []string{"type"}),
		opened: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_cases_opened_total", Help: "Cases opened, by marketplace and severity.",
		}, []string{"marketplace", "severity"}),
		closed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_cases_closed_total", Help: "Cases closed, by marketplace and outcome.",
		}, []string{"marketplace", "outcome"}),
		breaches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_deadline_breaches_total", Help: "Deadlines breached, by marketplace and kind.",
		}, []string{"marketplace", "kind"}),
		incidents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_incidents_opened_total", Help: "Marketplace calls that failed for good, by marketplace and error class.",
		}, []string{"marketplace", "error_class"}),
		uncommitted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "redress_index_uncommitted_batches_total",
			Help: "Index batches that met a workflow task which never completed: dropped, or replaced by a later task.",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.events, m.opened, m.closed, m.breaches, m.incidents, m.uncommitted)
	return m
}

// observe counts a committed batch.
func (m *Metrics) observe(b cases.SyncBatch) {
	if m == nil {
		return
	}
	mp := string(b.Case.Marketplace)
	for _, e := range b.Events {
		m.events.WithLabelValues(string(e.Type)).Inc()
		var d struct {
			Kind       string `json:"kind"`
			ErrorClass string `json:"error_class"`
		}
		switch e.Type {
		case cases.EventCaseOpened:
			m.opened.WithLabelValues(mp, string(b.Case.Severity)).Inc()
		case cases.EventCaseClosed:
			m.closed.WithLabelValues(mp, string(b.Case.Outcome)).Inc()
		case cases.EventDeadlineBreached:
			_ = json.Unmarshal(e.Data, &d)
			m.breaches.WithLabelValues(mp, d.Kind).Inc()
		case cases.EventIncidentOpened:
			_ = json.Unmarshal(e.Data, &d)
			m.incidents.WithLabelValues(mp, d.ErrorClass).Inc()
		}
	}
}

// uncommittedBatch counts a batch dropped or replaced by the store's fence.
func (m *Metrics) uncommittedBatch(outcome string) {
	if m != nil {
		m.uncommitted.WithLabelValues(outcome).Inc()
	}
}
