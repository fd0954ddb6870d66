#!/usr/bin/env bash
# make test: every test, against a real PostgreSQL and real Temporal dev servers.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

ensure_postgres
ensure_temporal_cli
export TEMPORAL_CLI
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"

log "go vet"
go vet ./...
log "go test (PostgreSQL at ${TEST_DATABASE_URL%%\?*}, Temporal CLI $TEMPORAL_CLI)"
# -p 2 matches the machine's cores; each package with Temporal tests starts its own dev server.
go test -p 2 -count=1 -timeout 20m "$@" ./...
