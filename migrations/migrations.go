// Package migrations holds Redress's PostgreSQL schema as goose SQL files,
// embedded so that every binary carries the schema it was built against.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS

// NewProvider returns a goose provider for FS on db. It takes a PostgreSQL
// advisory lock around every run, so several processes (API, workers) may
// migrate at start-up at the same time: one applies, the others wait and
// then find nothing pending.
func NewProvider(db *sql.DB) (*goose.Provider, error) {
	// Probe the lock every second for up to five minutes: the default 5 s
	// interval makes every waiting process start seconds later than needed.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("migrations: create session locker: %w", err)
	}
	// Out of order: each team adds migrations in its own number range, so a
	// database may have applied 00052 before 00044 was written.
	p, err := goose.NewProvider(goose.DialectPostgres, db, FS, goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: create provider: %w", err)
	}
	return p, nil
}

// Up applies every pending migration.
func Up(ctx context.Context, db *sql.DB) error {
	p, err := NewProvider(db)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: up: %w", err)
	}
	return nil
}

// DownTo rolls back every migration newer than version (0 rolls back all).
func DownTo(ctx context.Context, db *sql.DB, version int64) error {
	p, err := NewProvider(db)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrations: down to %d: %w", version, err)
	}
	return nil
}

// Status reports, for every migration file, whether it is applied and when.
func Status(ctx context.Context, db *sql.DB) ([]*goose.MigrationStatus, error) {
	p, err := NewProvider(db)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: status: %w", err)
	}
	return st, nil
}
