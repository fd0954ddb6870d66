package store

import (
	"context"
	"time"
)

// ReserveQuota reserves one call on the quota named key, shared by every
// process on this database: calls are spaced interval apart, with burst
// calls allowed at once. It returns how long the caller must wait before
// making the call (zero: now). The reservation is a generic cell rate
// algorithm (GCRA) in one UPSERT, so it holds under any concurrency; the
// database clock is the only clock. A reservation whose caller gives up is
// spent, which errs on the side of the quota.
func (s *Store) ReserveQuota(ctx context.Context, key string, interval time.Duration, burst int) (time.Duration, error) {
	if key == "" || interval <= 0 {
		return 0, invalid("a quota needs a key and a positive interval")
	}
	if burst < 1 {
		burst = 1
	}
	var untilTAT float64 // seconds from now to the bucket's new arrival time
	err := s.db.GetContext(ctx, &untilTAT, `
INSERT INTO quota_buckets AS b (key, tat)
VALUES ($1, clock_timestamp() + make_interval(secs => $2))
ON CONFLICT (key) DO UPDATE
SET tat = GREATEST(b.tat, clock_timestamp()) + make_interval(secs => $2)
RETURNING EXTRACT(EPOCH FROM b.tat - clock_timestamp())::float8`, key, interval.Seconds())
	if err != nil {
		return 0, wrap("reserve quota", err)
	}
	wait := time.Duration(untilTAT*float64(time.Second)) - time.Duration(burst)*interval
	return max(wait, 0), nil
}
