package simulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
)

// FaultSpec injects failures into matching calls. Rates are fractions of
// calls (0–1), drawn from the simulator's seeded source so a run repeats.
type FaultSpec struct {
	ServerErrorRate   float64 `json:"server_error_rate"` // 5xx (Taobao: isp error)
	RateLimitRate     float64 `json:"rate_limit_rate"`   // 429 (Taobao: code 7)
	RetryAfterSeconds int     `json:"retry_after_seconds"`
	DropRate          float64 `json:"drop_rate"`      // connection closed before the call is applied
	AmbiguousRate     float64 `json:"ambiguous_rate"` // writes: applied, then the connection is closed
	LatencyMillis     int     `json:"latency_millis"` // added before answering
}

type faultRule struct {
	platform cases.Marketplace
	pattern  string
	spec     FaultSpec
}

// SetFaults injects faults into the platform's calls whose endpoint contains
// pattern ("" matches all). Endpoints read "METHOD /path" (without the
// platform prefix), or the TOP method name on Taobao. A zero spec removes it.
func (s *Simulator) SetFaults(platform cases.Marketplace, pattern string, spec FaultSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.faults[:0]
	for _, f := range s.faults {
		if f.platform != platform || f.pattern != pattern {
			kept = append(kept, f)
		}
	}
	s.faults = kept
	if spec != (FaultSpec{}) {
		s.faults = append(s.faults, faultRule{platform, pattern, spec})
	}
}

// ClearFaults removes every fault.
func (s *Simulator) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

type faultAction int

const (
	faultNone faultAction = iota
	faultServerError
	faultRateLimit
	faultDrop
	faultAmbiguous
)

func (s *Simulator) drawFault(platform cases.Marketplace, endpoint string, write bool) (faultAction, FaultSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.platform != platform || !strings.Contains(endpoint, f.pattern) {
			continue
		}
		x := s.rand.Float64()
		sp := f.spec
		switch {
		case x < sp.ServerErrorRate:
			return faultServerError, sp
		case x < sp.ServerErrorRate+sp.RateLimitRate:
			return faultRateLimit, sp
		case x < sp.ServerErrorRate+sp.RateLimitRate+sp.DropRate:
			return faultDrop, sp
		case write && x < sp.ServerErrorRate+sp.RateLimitRate+sp.DropRate+sp.AmbiguousRate:
			return faultAmbiguous, sp
		}
		return faultNone, sp
	}
	return faultNone, FaultSpec{}
}

// errorWriter writes a platform's error envelope.
type errorWriter func(w http.ResponseWriter, status int, code, message string, retryAfter int)

// withFaults wraps a platform's handler with fault injection.
func (s *Simulator) withFaults(platform cases.Marketplace, endpoint func(*http.Request) (string, bool), fail errorWriter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, write := endpoint(r)
		action, spec := s.drawFault(platform, name, write)
		if spec.LatencyMillis > 0 {
			select {
			case <-time.After(time.Duration(spec.LatencyMillis) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
		switch action {
		case faultServerError:
			fail(w, http.StatusServiceUnavailable, "service_unavailable", "injected fault", 0)
		case faultRateLimit:
			retry := spec.RetryAfterSeconds
			if retry <= 0 {
				retry = 1
			}
			fail(w, http.StatusTooManyRequests, "too_many_requests", "injected throttle", retry)
		case faultDrop:
			dropConnection(w)
		case faultAmbiguous:
			next.ServeHTTP(httptest.NewRecorder(), r) // the write happens; its answer is lost
			dropConnection(w)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// dropConnection closes the connection without an answer, as a timed-out
// gateway or a reset would.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http aborts the response without logging
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// restEndpoint names REST calls "METHOD /path" without the platform prefix.
func restEndpoint(prefix string) func(*http.Request) (string, bool) {
	return func(r *http.Request) (string, bool) {
		return r.Method + " " + strings.TrimPrefix(r.URL.Path, prefix), r.Method != http.MethodGet
	}
}
