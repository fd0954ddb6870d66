package config

import (
	"strings"
	"testing"
)

func TestClusterValidate(t *testing.T) {
	ok := Cluster{WorkflowPollers: 2, ActivityPollers: 2, MaxActivities: 20, MaxWorkflowTasks: 10, StickyCacheSize: 100}
	if errs := ok.validate(); len(errs) != 0 {
		t.Fatalf("defaults refused: %v", errs)
	}
	for name, tc := range map[string]struct {
		mut  func(*Cluster)
		want string
	}{
		"one workflow poller": {func(c *Cluster) { c.WorkflowPollers = 1 }, "sticky"},
		"no activity poller":  {func(c *Cluster) { c.ActivityPollers = 0 }, "WORKER_ACTIVITY_POLLERS"},
		"fewer slots":         {func(c *Cluster) { c.MaxActivities = 1 }, "WORKER_MAX_CONCURRENT_ACTIVITIES (1)"},
		"negative cache":      {func(c *Cluster) { c.StickyCacheSize = -1 }, "WORKER_STICKY_CACHE_SIZE"},
		"cert without key":    {func(c *Cluster) { c.TLSCert = "pem" }, "TEMPORAL_TLS_KEY"},
	} {
		c := ok
		tc.mut(&c)
		errs := c.validate()
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming %q", name, errs, tc.want)
		}
	}
	if !(Cluster{APIKey: "k"}).UsesTLS() || (Cluster{}).UsesTLS() {
		t.Error("an API key must imply TLS, nothing must not")
	}
}
