package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"github.com/redress-hq/redress/migrations"
)

// adminDSN is the server every test database is created on.
func adminDSN() string {
	if v := os.Getenv("TEST_DATABASE_URL"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// createDatabase makes a fresh, migrated database and returns its DSN and a
// function that drops it.
func createDatabase(ctx context.Context) (string, func(), error) {
	admin, err := sqlx.ConnectContext(ctx, "postgres", adminDSN())
	if err != nil {
		return "", nil, fmt.Errorf("postgres at %s is not reachable (start it with `pg_ctlcluster 15 main start` or `make test`): %w", adminDSN(), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "redress_e2e_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, _ := url.Parse(adminDSN())
	u.Path = "/" + name
	dsn := u.String()
	drop := func() {
		_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	}
	db, err := sqlx.ConnectContext(ctx, "postgres", dsn)
	if err != nil {
		drop()
		return "", nil, err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.DB); err != nil {
		drop()
		return "", nil, err
	}
	return dsn, drop, nil
}
