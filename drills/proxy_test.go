package drills

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
)

// failoverProxy is the small load balancer in front of the drill's API
// processes: round robin, and a request that could not even connect to
// one API (it is down) goes to the next. A request an API took and then
// died on is answered 502, as a real balancer would; the client retries it
// and the API's idempotency must make that safe.
type failoverProxy struct {
	backends []*url.URL
	next     atomic.Uint64
	inflight []atomic.Int32 // per backend, requests sent and not yet answered

	mu      sync.Mutex
	waiters []chan struct{} // closed when a request is in flight on backend 0
	rp      *httputil.ReverseProxy
}

func newFailoverProxy(backends []string) *failoverProxy {
	p := &failoverProxy{inflight: make([]atomic.Int32, len(backends))}
	for _, b := range backends {
		u, err := url.Parse(b)
		if err != nil {
			panic(err)
		}
		p.backends = append(p.backends, u)
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) {}, // the transport picks the backend
		Transport: p,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		},
	}
	return p
}

func (p *failoverProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Buffer the body so a request refused at connect can go elsewhere.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	p.rp.ServeHTTP(w, r)
}

// RoundTrip sends the request to the next backend that accepts a connection.
func (p *failoverProxy) RoundTrip(r *http.Request) (*http.Response, error) {
	start := p.next.Add(1)
	var lastErr error
	for k := range len(p.backends) {
		i := int((start + uint64(k)) % uint64(len(p.backends)))
		out := r.Clone(r.Context())
		out.URL.Scheme, out.URL.Host, out.Host = p.backends[i].Scheme, p.backends[i].Host, p.backends[i].Host
		if r.GetBody != nil {
			out.Body, _ = r.GetBody()
		}
		p.inflight[i].Add(1)
		if i == 0 {
			p.notify()
		}
		resp, err := http.DefaultTransport.RoundTrip(out)
		p.inflight[i].Add(-1)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		var op *net.OpError
		if !errors.As(err, &op) || op.Op != "dial" {
			return nil, err // the API had the request: only the client may retry
		}
	}
	return nil, lastErr
}

// inFlightOnFirst returns a channel closed the next time a request is
// in flight on backend 0 (to kill that API mid-request).
func (p *failoverProxy) inFlightOnFirst() <-chan struct{} {
	ch := make(chan struct{})
	p.mu.Lock()
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	return ch
}

func (p *failoverProxy) notify() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ch := range p.waiters {
		close(ch)
	}
	p.waiters = nil
}
