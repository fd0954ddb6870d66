// Package store is Redress's PostgreSQL persistence: the case index written
// by case workflows, the task inbox, incidents, API tokens, intake state and
// the weekly report. It knows nothing of HTTP or Temporal.
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the "postgres" driver
)

// Store is safe for concurrent use. Every statement runs in the scope its
// context carries (see Scope, scope_db.go).
type Store struct {
	db *scopedDB
	// credKeys seal shops' credentials; shared by RequireScope's copies.
	credKeys *credentialKeys
	// keys wrap buyers' data keys (privacy_keys.go); shared with scoped copies.
	keys *dataKeys
}

// Pool settings sized for one API or worker process against a shared server.
const (
	maxOpenConns    = 20
	maxIdleConns    = 10
	connMaxLifetime = 30 * time.Minute
	connMaxIdleTime = 5 * time.Minute
)

// Open connects to PostgreSQL at dsn and checks the connection.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := sqlx.ConnectContext(ctx, "postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxLifetime(connMaxLifetime)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	return New(db), nil
}

// New wraps an existing connection pool.
// A context without a scope acts for the system (every organisation).
func New(db *sqlx.DB) *Store {
	return &Store{db: &scopedDB{pool: db}, credKeys: &credentialKeys{}, keys: &dataKeys{}}
}

// RequireScope returns a store on the same pool for which a context without
// a scope sees nothing: the API's store, so that no handler can act outside
// its caller's scope by forgetting to pass it.
func (s *Store) RequireScope() *Store {
	cp := *s
	cp.db = &scopedDB{pool: s.db.pool, strict: true}
	return &cp
}

// DB exposes the pool, e.g. to run migrations or health checks. It runs as
// the connecting user, outside any scope: not for case data.
func (s *Store) DB() *sqlx.DB { return s.db.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }
