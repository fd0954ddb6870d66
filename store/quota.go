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
	r, err := s.ReserveQuotaSlot(ctx, key, interval, burst)
	return r.Wait, err
}

// QuotaSlot is one reserved call: when it may be made, on the database's
// clock, and how long that is after the reservation.
type QuotaSlot struct {
	At   time.Time
	Wait time.Duration
}

// ReserveQuotaSlot is ReserveQuota with the slot's time on the database's
// clock, which is what the quota is kept on (a caller's own clock, read
// after the round trip, is late by however long that took).
func (s *Store) ReserveQuotaSlot(ctx context.Context, key string, interval time.Duration, burst int) (QuotaSlot, error) {
	if key == "" || interval <= 0 {
		return QuotaSlot{}, invalid("a quota needs a key and a positive interval")
	}
	if burst < 1 {
		burst = 1
	}
	// One reading of the clock per reservation (clock_timestamp() read twice
	// would put the slot after the time its spacing was computed from).
	var row struct {
		TAT time.Time `db:"tat"`
		Now time.Time `db:"now"`
	}
	err := s.db.GetContext(ctx, &row, `
WITH c AS MATERIALIZED (SELECT clock_timestamp() AS now)
INSERT INTO quota_buckets AS b (key, tat)
SELECT $1, c.now + make_interval(secs => $2) FROM c
ON CONFLICT (key) DO UPDATE
SET tat = GREATEST(b.tat, (SELECT now FROM c)) + make_interval(secs => $2)
RETURNING b.tat, (SELECT now FROM c) AS now`, key, interval.Seconds())
	if err != nil {
		return QuotaSlot{}, wrap("reserve quota", err)
	}
	at := row.TAT.Add(-time.Duration(burst) * interval)
	if at.Before(row.Now) {
		at = row.Now
	}
	return QuotaSlot{At: at, Wait: at.Sub(row.Now)}, nil
}
