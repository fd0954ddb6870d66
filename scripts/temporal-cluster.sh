#!/usr/bin/env bash
# A production-shaped Temporal here, without Docker: the pinned Temporal
# server built from the Go module proxy (cached outside the repo, like the
# CLI), its schemas created in this machine's PostgreSQL with the official
# temporal-sql-tool, and frontend, history, matching and worker run as four
# separate processes. Redress's namespace and search attributes are
# registered. Go: the server v1.29.x needs Go >= 1.25; the machine's Go
# (1.26, GOTOOLCHAIN=local) builds it, no other toolchain is fetched.
#
#   scripts/temporal-cluster.sh start            build (first time), set up, start; idempotent
#   scripts/temporal-cluster.sh stop             stop the four services
#   scripts/temporal-cluster.sh restart SERVICE  kill -9 one service and start it again
#   scripts/temporal-cluster.sh status           which services run; the frontend's health
#   scripts/temporal-cluster.sh env              the TEMPORAL_ADDRESS Redress should use
#
# Settings: TEMPORAL_CLUSTER_PORT (frontend gRPC, default 7633; the other
# services use the next ports), TEMPORAL_CLUSTER_DB (default temporal_cluster,
# plus <db>_visibility), TEMPORAL_CLUSTER_MAX_CONNS (PostgreSQL connections
# per service, default 20; each also holds up to 5 for visibility), PG* for
# the server connection (default 127.0.0.1:5432, user postgres).
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

SERVER_DIR="$TEMPORAL_SERVER_DIR"
SERVER_BIN="$SERVER_DIR/server"
SQL_TOOL="$SERVER_DIR/sql"
PORT="${TEMPORAL_CLUSTER_PORT:-7633}"
DB="${TEMPORAL_CLUSTER_DB:-temporal_cluster}"
STATE="${TEMPORAL_CLUSTER_STATE:-$REDRESS_CACHE/cluster-$PORT}"
PGHOST_="${PGHOST:-127.0.0.1}" PGPORT_="${PGPORT:-5432}" PGUSER_="${PGUSER:-postgres}" PGPASSWORD_="${PGPASSWORD:-}"
MAX_CONNS="${TEMPORAL_CLUSTER_MAX_CONNS:-20}" # per service process, default store
SERVICES=(history matching frontend worker) # start order: frontend needs history and matching
ADDRESS="127.0.0.1:$PORT"
NS_REFRESH=2 # seconds between each service's namespace-cache refreshes

sql_tool() {
  "$SQL_TOOL" --plugin postgres12 --ep "$PGHOST_" -p "$PGPORT_" -u "$PGUSER_" --pw "$PGPASSWORD_" "$@"
}

# setup_schemas creates both databases and brings their schemas to the
# version this server ships (embedded schema postgresql/v12/...); idempotent.
setup_schemas() {
  local db schema
  for pair in "$DB:temporal" "${DB}_visibility:visibility"; do
    db=${pair%%:*}; schema=${pair#*:}
    sql_tool --db "$db" create-database >/dev/null 2>&1 || true
    # setup-schema -v 0.0 creates the version table (a no-op when present).
    sql_tool --db "$db" setup-schema -v 0.0 >/dev/null 2>&1 || true
    sql_tool --db "$db" update-schema --schema-name "postgresql/v12/$schema" >"$STATE/schema-$schema.log" 2>&1 ||
      { log "schema update of $db failed:"; tail -n 20 "$STATE/schema-$schema.log"; return 1; }
  done
}

# write_config writes one config per service (they differ only in the
# metrics port) and the dynamic config.
write_config() {
  local svc i=0
  mkdir -p "$STATE/config"
  # The deployment's dynamic config (deploy/temporal/dynamicconfig.yaml),
  # plus a short namespace-cache refresh so that register_namespace's
  # search attributes reach every service within seconds.
  { cat "$ROOT/deploy/temporal/dynamicconfig.yaml"
    printf '\nsystem.namespaceCacheRefreshInterval:\n  - value: %ss\n' "$NS_REFRESH"
  } >"$STATE/config/dynamicconfig.yaml"
  for svc in frontend history matching worker; do
    cat >"$STATE/config/$svc.yaml" <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${TEMPORAL_CLUSTER_SHARDS:-16}
  # postgres12_pgx (the pgx driver) rather than postgres12 (lib/pq): four
  # alternating 5-minute P6 openings on 2026-11-30 opened 14.9 and 13.5 cases
  # per second with pgx, 12.3 and 9.7 with lib/pq (docs/operations.md).
  datastores:
    default:
      sql:
        pluginName: postgres12_pgx
        databaseName: $DB
        connectAddr: "$PGHOST_:$PGPORT_"
        connectProtocol: tcp
        user: "$PGUSER_"
        password: "$PGPASSWORD_"
        maxConns: $MAX_CONNS
        maxIdleConns: $MAX_CONNS
        maxConnLifetime: 1h
    visibility:
      sql:
        pluginName: postgres12_pgx
        databaseName: ${DB}_visibility
        connectAddr: "$PGHOST_:$PGPORT_"
        connectProtocol: tcp
        user: "$PGUSER_"
        password: "$PGPASSWORD_"
        maxConns: 5
        maxIdleConns: 5
        maxConnLifetime: 1h
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:$((PORT + 1100 + i))"
services:
  frontend:
    rpc: {grpcPort: $PORT, membershipPort: $((PORT - 700)), bindOnLocalHost: true, httpPort: $((PORT + 10))}
  history:
    rpc: {grpcPort: $((PORT + 1)), membershipPort: $((PORT - 699)), bindOnLocalHost: true}
  matching:
    rpc: {grpcPort: $((PORT + 2)), membershipPort: $((PORT - 698)), bindOnLocalHost: true}
  worker:
    rpc: {grpcPort: $((PORT + 6)), membershipPort: $((PORT - 694)), bindOnLocalHost: true}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "$ADDRESS"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "$STATE/config/dynamicconfig.yaml"
  pollInterval: 10s
YAML
    i=$((i + 1))
  done
}

pid_of() { cat "$STATE/$1.pid" 2>/dev/null || true; }
running() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

start_service() {
  local svc="$1"
  if running "$svc"; then return 0; fi
  "$SERVER_BIN" --root "$STATE" --config config --env "$svc" --allow-no-auth start --service "$svc" \
    >>"$STATE/$svc.log" 2>&1 &
  echo $! >"$STATE/$svc.pid"
}

# membership_port is a service's membership (ringpop) port, which every
# service opens once it has joined (see write_config).
membership_port() {
  case "$1" in frontend) echo $((PORT - 700)) ;; history) echo $((PORT - 699)) ;; matching) echo $((PORT - 698)) ;; worker) echo $((PORT - 694)) ;; esac
}

# wait_service waits until the service listens, or fails if it exited.
wait_service() {
  local svc="$1" port
  port=$(membership_port "$svc")
  for _ in $(seq 1 120); do
    running "$svc" || { log "Temporal $svc exited; its log:"; tail -n 5 "$STATE/$svc.log" >&2; return 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.5
  done
  log "Temporal $svc does not listen on $port; logs in $STATE"; return 1
}

wait_frontend() {
  for _ in $(seq 1 120); do
    if temporal_answers "$ADDRESS" && "$TEMPORAL_CLI" operator namespace list --address "$ADDRESS" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "the frontend did not answer at $ADDRESS; logs in $STATE"; return 1
}

register_namespace() {
  local ns="${TEMPORAL_NAMESPACE:-default}"
  "$TEMPORAL_CLI" operator namespace describe --address "$ADDRESS" --namespace "$ns" >/dev/null 2>&1 ||
    "$TEMPORAL_CLI" operator namespace create --address "$ADDRESS" --namespace "$ns" --retention 72h >/dev/null
  for _ in $(seq 1 30); do # the namespace cache refreshes every few seconds
    "$TEMPORAL_CLI" workflow list --address "$ADDRESS" --namespace "$ns" --limit 1 >/dev/null 2>&1 && break
    sleep 1
  done
  # Custom search attributes live in the namespace's record (SQL
  # visibility); every service sees a new one at its next namespace-cache
  # refresh. Once the frontend answers a query naming all of them, one more
  # refresh interval lets history and matching catch up.
  search_attributes_known "$ns" && return 0
  register_search_attributes "$ADDRESS" "$ns"
  for _ in $(seq 1 60); do
    if search_attributes_known "$ns"; then sleep $((NS_REFRESH + 1)); return 0; fi
    sleep 1
  done
  log "the search attributes did not become visible at $ADDRESS"; return 1
}

# search_attributes_known: the frontend accepts a query naming every one
# (narrowed to one workflow id, so a cluster holding many stays quick).
search_attributes_known() {
  local q="" sa
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do q="${q:+$q OR }${sa%%=*} IS NOT NULL"; done
  "$TEMPORAL_CLI" workflow count --address "$ADDRESS" --namespace "$1" --query "WorkflowId = 'redress-probe' AND ($q)" >/dev/null 2>&1
}

cmd_start() {
  ensure_postgres
  ensure_temporal_cli
  ensure_temporal_server
  mkdir -p "$STATE"
  setup_schemas
  write_config
  local svc
  # One at a time: on a fresh database the first service writes the
  # cluster metadata, and two writing it at once make one of them fail.
  for svc in "${SERVICES[@]}"; do start_service "$svc"; wait_service "$svc"; done
  wait_frontend
  register_namespace
  log "Temporal cluster $TEMPORAL_SERVER_VERSION up: frontend $ADDRESS, 4 processes, PostgreSQL databases $DB and ${DB}_visibility; logs in $STATE"
}

cmd_stop() {
  local svc p
  for svc in worker frontend matching history; do
    p=$(pid_of "$svc")
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      kill "$p"; for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$p" 2>/dev/null && kill -9 "$p"
    fi
    rm -f "$STATE/$svc.pid"
  done
  log "Temporal cluster stopped"
}

cmd_restart() {
  local svc="${1:?restart needs a service: frontend, history, matching or worker}" p
  p=$(pid_of "$svc")
  if [ -n "$p" ]; then kill -9 "$p" 2>/dev/null || true; while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; fi
  rm -f "$STATE/$svc.pid"
  start_service "$svc"
  wait_service "$svc"
  log "Temporal $svc killed and started again (pid $(pid_of "$svc"))"
}

cmd_status() {
  local svc
  for svc in frontend history matching worker; do
    if running "$svc"; then echo "$svc: running (pid $(pid_of "$svc"))"; else echo "$svc: stopped"; fi
  done
  temporal_answers "$ADDRESS" && echo "frontend $ADDRESS: healthy" || { echo "frontend $ADDRESS: not answering"; return 1; }
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) shift; cmd_restart "$@" ;;
  status) cmd_status ;;
  build) ensure_temporal_server ;;
  env) echo "TEMPORAL_ADDRESS=$ADDRESS" ;;
  *) echo "usage: $0 start|stop|restart SERVICE|status|build|env" >&2; exit 2 ;;
esac
