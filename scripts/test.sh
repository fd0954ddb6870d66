#!/usr/bin/env bash
# make test: every test, against a real PostgreSQL and real Temporal dev servers.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

ensure_postgres
ensure_pg_connections
ensure_pg_checkpoints
ensure_temporal_cli
# The cluster drill (drills R5) runs the PostgreSQL-backed Temporal server,
# built once into the cache from the CLI's module graph (the CLI embeds the
# same server, so this compiles little beyond it), then instant.
scripts/temporal-cluster.sh build
# The console's browser tests drive Debian's Chromium; a CJK font makes the
# screenshots of Chinese pages readable (else they show boxes). Installed
# together, each only when missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} for the console's browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export TEMPORAL_CLI
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"

log "gofmt, go vet, workflowcheck (determinism of workflow code)"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.data/*'))
if [ -n "$unformatted" ]; then log "gofmt would change:"; echo "$unformatted"; exit 1; fi
go vet ./...
go run "go.temporal.io/sdk/contrib/tools/workflowcheck@$WORKFLOWCHECK_VERSION" \
  -config workflows/workflowcheck.config.yaml ./workflows/... ./intake/... ./ordercare/...
log "go test (PostgreSQL at ${TEST_DATABASE_URL%%\?*}, Temporal CLI $TEMPORAL_CLI)"
# -p 2 matches the machine's cores; each package with Temporal tests starts its own dev server.
go test -p 2 -count=1 -timeout 20m "$@" $(go list ./... | grep -v '/drills$')
# The drills kill workers, an API and Temporal services and start them again
# on the same ports: run alone, after the rest, so that no other package's
# servers take a port while its owner is down or starve the restarts (a CI
# run once lost R5 that way: a restarted API found its port taken and the
# cluster answered "Not enough hosts" for minutes).
log "go test ./drills (alone)"
go test -count=1 -timeout 20m "$@" ./drills
