package marketplace

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a client-side limit: N calls per Per, with Burst calls at once.
type Rate struct {
	N     int
	Per   time.Duration
	Burst int
}

// RateLimits holds one token bucket per (bucket, shop), so one busy shop
// cannot spend another shop's platform quota. Alone it holds for one
// process; Share makes it hold across every worker.
type RateLimits struct {
	rates map[string]Rate
	mu    sync.Mutex
	live  map[string]*rate.Limiter

	shared SharedQuota
	prefix string
}

// SharedQuota reserves one call on a quota every process shares
// (store.ReserveQuota): it returns how long to wait before calling.
type SharedQuota interface {
	ReserveQuota(ctx context.Context, key string, interval time.Duration, burst int) (time.Duration, error)
}

// Share makes the limits hold across processes: after the in-process bucket
// (a cheap pre-check that keeps one busy process off the database), each
// call reserves its slot on the shared quota named prefix/bucket/shop.
func (l *RateLimits) Share(prefix string, q SharedQuota) *RateLimits {
	l.shared, l.prefix = q, prefix
	return l
}

// DefaultBucket is the bucket for calls that name none.
const DefaultBucket = "default"

// NewRateLimits builds limits from bucket name to rate; DefaultBucket
// applies to every bucket without its own rate.
func NewRateLimits(rates map[string]Rate) *RateLimits {
	return &RateLimits{rates: rates, live: map[string]*rate.Limiter{}}
}

// Wait blocks until the shop may make one call in the bucket, or ctx ends.
func (l *RateLimits) Wait(ctx context.Context, bucket, shopID string) error {
	if l == nil {
		return nil
	}
	if err := l.limiter(bucket, shopID).Wait(ctx); err != nil {
		return err
	}
	if l.shared == nil {
		return nil
	}
	r, ok := l.rates[bucket]
	if !ok {
		bucket, r = DefaultBucket, l.rates[DefaultBucket]
	}
	if r.N <= 0 || r.Per <= 0 {
		return nil
	}
	wait, err := l.shared.ReserveQuota(ctx, l.prefix+"/"+bucket+"/"+shopID, r.Per/time.Duration(r.N), r.Burst)
	if err != nil || wait <= 0 {
		return err
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *RateLimits) limiter(bucket, shopID string) *rate.Limiter {
	r, ok := l.rates[bucket]
	if !ok {
		bucket = DefaultBucket
		r = l.rates[DefaultBucket]
	}
	key := bucket + "\x00" + shopID
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim, ok := l.live[key]; ok {
		return lim
	}
	lim := rate.NewLimiter(rate.Inf, 0)
	if r.N > 0 && r.Per > 0 {
		burst := r.Burst
		if burst < 1 {
			burst = 1
		}
		lim = rate.NewLimiter(rate.Limit(float64(r.N)/r.Per.Seconds()), burst)
	}
	l.live[key] = lim
	return lim
}
