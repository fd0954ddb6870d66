#!/usr/bin/env bash
# make run: PostgreSQL, a Temporal dev server (persistent SQLite, Web UI), the
# marketplace simulator, the worker and the API — all on this machine.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/redress?sslmode=disable}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
export TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
export REDRESS_BOOTSTRAP_TOKEN="${REDRESS_BOOTSTRAP_TOKEN:-dev-admin-token}"
# Fixed development keys for payloads and buyers' data unless keys are given (docs/privacy.md).
export REDRESS_DEV_KEYS="${REDRESS_DEV_KEYS:-true}"
DATA_DIR="${REDRESS_DATA_DIR:-.data}"

ensure_postgres
ensure_database "$DATABASE_URL"
ensure_temporal_cli

temporal_pid=""
cleanup() { [ -n "$temporal_pid" ] && kill "$temporal_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if temporal_answers "$TEMPORAL_ADDRESS"; then
  log "Temporal already answers at $TEMPORAL_ADDRESS; using it"
else
  mkdir -p "$DATA_DIR"
  port=${TEMPORAL_ADDRESS##*:}
  log "starting Temporal dev server on $TEMPORAL_ADDRESS (data: $DATA_DIR/temporal.db, Web UI: http://localhost:8233)"
  sa_flags=(); for sa in "${SEARCH_ATTRIBUTES[@]}"; do sa_flags+=(--search-attribute "$sa"); done
  "$TEMPORAL_CLI" server start-dev --ip 127.0.0.1 --port "$port" --ui-port 8233 \
    --db-filename "$DATA_DIR/temporal.db" --namespace "$TEMPORAL_NAMESPACE" \
    --sqlite-pragma journal_mode=WAL --sqlite-pragma synchronous=NORMAL \
    --log-level warn "${sa_flags[@]}" >"$DATA_DIR/temporal.log" 2>&1 &
  temporal_pid=$!
  for _ in $(seq 1 60); do temporal_answers "$TEMPORAL_ADDRESS" && break; sleep 1; done
  temporal_answers "$TEMPORAL_ADDRESS" || { log "Temporal did not start; see $DATA_DIR/temporal.log"; exit 1; }
fi
register_search_attributes "$TEMPORAL_ADDRESS" "$TEMPORAL_NAMESPACE"

log "building redress..."
mkdir -p bin && go build -o bin/redress ./cmd/redress
log "API on ${HTTP_ADDR:-:8080} (admin token: $REDRESS_BOOTSTRAP_TOKEN); Ctrl-C stops everything"
port=${HTTP_ADDR:-:8080}; port=${port##*:}
log "console: http://localhost:$port/ui/ (development sign-in: the token $REDRESS_BOOTSTRAP_TOKEN)"
bin/redress dev
