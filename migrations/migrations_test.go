package migrations_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/migrations"
	"github.com/redress-hq/redress/store/storetest"
)

var tables = []string{
	"cases", "case_events", "tasks", "case_deadlines", "incidents",
	"api_tokens", "webhook_deliveries", "poll_cursors", "courier_volumes",
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", storetest.NewDSN(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func existingTables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`,
		pq.Array(tables))
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		out = append(out, name)
	}
	require.NoError(t, rows.Err())
	return out
}

func assertAllApplied(t *testing.T, db *sql.DB) {
	t.Helper()
	st, err := migrations.Status(context.Background(), db)
	require.NoError(t, err)
	require.NotEmpty(t, st)
	for _, m := range st {
		assert.Equal(t, goose.StateApplied, m.State, m.Source.Path)
	}
	assert.ElementsMatch(t, tables, existingTables(t, db))
}

func TestUpDownUp(t *testing.T) {
	ctx := context.Background()
	db := openDB(t) // NewDSN has migrated it up
	assertAllApplied(t, db)

	require.NoError(t, migrations.DownTo(ctx, db, 0))
	assert.Empty(t, existingTables(t, db), "down removes every table")
	st, err := migrations.Status(ctx, db)
	require.NoError(t, err)
	for _, m := range st {
		assert.Equal(t, goose.StatePending, m.State, m.Source.Path)
	}

	require.NoError(t, migrations.Up(ctx, db))
	assertAllApplied(t, db)
	require.NoError(t, migrations.Up(ctx, db), "up with nothing pending is a no-op")
}

// Several processes start at once and all migrate: the advisory lock lets
// one apply the migrations and the others find nothing to do.
func TestConcurrentUp(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	require.NoError(t, migrations.DownTo(ctx, db, 0))

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- migrations.Up(ctx, db)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assertAllApplied(t, db)
}
