package simulator

import (
	"sync"

	"golang.org/x/time/rate"

	"github.com/redress-hq/redress/cases"
)

// Quota is a per-shop call quota a platform enforces (Mercado Libre: calls
// per seller); calls beyond it are answered 429.
type Quota struct {
	PerSecond float64
	Burst     int
}

// Traffic is what the simulator counted on one platform since it started:
// authorized calls, those refused for the shop's quota, refresh-token
// exchanges granted and those refused with invalid_grant (a spent or revoked
// refresh token — two workers racing to refresh one shop).
type Traffic struct {
	Calls         int `json:"calls"`
	OverQuota     int `json:"over_quota"`
	Refreshes     int `json:"refreshes"`
	InvalidGrants int `json:"invalid_grants"`
}

// trafficState holds quotas and counters apart from s.mu, so counting never
// waits on the platforms' state.
type trafficState struct {
	mu       sync.Mutex
	quota    map[cases.Marketplace]Quota
	limiters map[string]*rate.Limiter // platform\x00shop
	counts   map[cases.Marketplace]*Traffic
}

// SetShopQuota makes the platform refuse a shop's calls beyond q with 429
// (Mercado Libre only for now); a zero Quota removes it.
func (s *Simulator) SetShopQuota(m cases.Marketplace, q Quota) {
	t := &s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.quota == nil {
		t.quota = map[cases.Marketplace]Quota{}
	}
	t.quota[m] = q
	t.limiters = nil
}

// Traffic returns the platform's counters.
func (s *Simulator) Traffic(m cases.Marketplace) Traffic {
	t := &s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.counts[m]; c != nil {
		return *c
	}
	return Traffic{}
}

func (t *trafficState) count(m cases.Marketplace, f func(*Traffic)) {
	if t.counts == nil {
		t.counts = map[cases.Marketplace]*Traffic{}
	}
	if t.counts[m] == nil {
		t.counts[m] = &Traffic{}
	}
	f(t.counts[m])
}

// admit counts one authorized call and reports whether the shop's quota
// allows it.
func (s *Simulator) admit(m cases.Marketplace, shopID string) bool {
	t := &s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	q := t.quota[m]
	allowed := true
	if q.PerSecond > 0 {
		k := key(m, shopID)
		if t.limiters == nil {
			t.limiters = map[string]*rate.Limiter{}
		}
		l := t.limiters[k]
		if l == nil {
			l = rate.NewLimiter(rate.Limit(q.PerSecond), max(q.Burst, 1))
			t.limiters[k] = l
		}
		allowed = l.Allow()
	}
	t.count(m, func(c *Traffic) {
		c.Calls++
		if !allowed {
			c.OverQuota++
		}
	})
	return allowed
}

// refreshed counts one refresh-token exchange.
func (s *Simulator) refreshed(m cases.Marketplace, granted bool) {
	t := &s.traffic
	t.mu.Lock()
	defer t.mu.Unlock()
	t.count(m, func(c *Traffic) {
		if granted {
			c.Refreshes++
		} else {
			c.InvalidGrants++
		}
	})
}
