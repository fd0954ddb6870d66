// Package storetest gives tests a fresh, migrated PostgreSQL database each,
// dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq" // registers the "postgres" driver

	"github.com/redress-hq/redress/migrations"
	"github.com/redress-hq/redress/store"
)

// DefaultServerURL is used when TEST_DATABASE_URL is unset.
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// setupTimeout bounds creating, migrating and dropping a test database.
const setupTimeout = 2 * time.Minute

// New returns a Store on a fresh migrated database, closed and dropped when
// the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	s, err := store.Open(ctx, NewDSN(t))
	if err != nil {
		t.Fatalf("storetest: open test database: %v", err)
	}
	// Cleanups run last-in first-out: the pool closes before the drop.
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// NewDSN creates a fresh database named redress_test_<random> on the server
// of TEST_DATABASE_URL, applies all migrations and returns its DSN. The
// database is dropped, with any connections still open, when the test ends.
func NewDSN(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	serverURL := os.Getenv("TEST_DATABASE_URL")
	if serverURL == "" {
		serverURL = DefaultServerURL
	}
	admin, err := sql.Open("postgres", serverURL)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		t.Fatalf("storetest: PostgreSQL is unreachable at %s: %v\n"+
			"Start it with `pg_ctlcluster 15 main start`, or point TEST_DATABASE_URL at a server "+
			"where this user may CREATE DATABASE.", redact(serverURL), err)
	}

	name := "redress_test_" + randomSuffix(t)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("storetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})

	dsn, err := withDatabase(serverURL, name)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", name, err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db); err != nil {
		t.Fatalf("storetest: migrate %s: %v", name, err)
	}
	return dsn
}

// withDatabase returns dsn pointed at another database. It accepts both
// URL DSNs and key=value DSNs (where a later key overrides an earlier one).
func withDatabase(dsn, name string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " dbname=" + name, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// redact hides a password in a URL DSN before it is printed.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}

func randomSuffix(t testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("storetest: random database name: %v", err)
	}
	return hex.EncodeToString(b[:])
}
