package activities

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/redress-hq/redress/cases"
)

func TestMetricsCountCommittedEvents(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	b := cases.SyncBatch{
		Case: cases.Case{Marketplace: cases.EBay, Severity: cases.SeverityBad, Outcome: cases.OutcomeRevised},
		Events: []cases.Event{
			{Type: cases.EventCaseOpened, Data: []byte(`{}`)},
			{Type: cases.EventDeadlineBreached, Data: []byte(`{"kind":"first_contact","late_by_seconds":60}`)},
			{Type: cases.EventIncidentOpened, Data: []byte(`{"incident_id":"x","error_class":"permanent"}`)},
			{Type: cases.EventCaseClosed, Data: []byte(`{}`)},
		},
	}
	m.observe(b)
	for name, c := range map[string]prometheus.Collector{
		"opened":   m.opened.WithLabelValues("ebay", "bad"),
		"breach":   m.breaches.WithLabelValues("ebay", "first_contact"),
		"incident": m.incidents.WithLabelValues("ebay", "permanent"),
		"closed":   m.closed.WithLabelValues("ebay", "revised"),
	} {
		if got := testutil.ToFloat64(c); got != 1 {
			t.Errorf("%s = %v, want 1", name, got)
		}
	}
	if got := testutil.ToFloat64(m.events.WithLabelValues("case_opened")); got != 1 {
		t.Errorf("events{case_opened} = %v", got)
	}
	var nilMetrics *Metrics
	nilMetrics.observe(b) // metrics are optional
}
