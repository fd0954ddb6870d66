package store

import (
	"context"
	"errors"
	"fmt"
)

// WithLock runs fn while holding the PostgreSQL advisory lock named key,
// waiting for it if another process (or goroutine) holds it. The lock lives
// in a transaction on its own connection, so it is released when fn returns,
// when ctx ends, or when this process dies. fn must not need the lock's
// connection: it uses the store as usual.
func (s *Store) WithLock(ctx context.Context, key string, fn func(context.Context) error) error {
	_, err := s.withLock(ctx, key, false, fn)
	return err
}

// TryWithLock runs fn only if the advisory lock named key is free, holding
// it while fn runs; ran is false when another process holds it.
func (s *Store) TryWithLock(ctx context.Context, key string, fn func(context.Context) error) (ran bool, err error) {
	return s.withLock(ctx, key, true, fn)
}

func (s *Store) withLock(ctx context.Context, key string, try bool, fn func(context.Context) error) (bool, error) {
	if key == "" {
		return false, invalid("an advisory lock needs a key")
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, wrap("lock "+key, err)
	}
	defer tx.Rollback() //nolint:errcheck // releases the lock; nothing was written
	if try {
		var got bool
		if err := tx.GetContext(ctx, &got, `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))`, key); err != nil {
			return false, wrap("lock "+key, err)
		}
		if !got {
			return false, nil
		}
	} else if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key); err != nil {
		return false, wrap("lock "+key, err)
	}
	if err := fn(ctx); err != nil {
		return true, err
	}
	if err := tx.Commit(); err != nil && !errors.Is(err, context.Canceled) {
		return true, fmt.Errorf("unlock %s: %w", key, err)
	}
	return true, nil
}
