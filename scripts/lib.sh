#!/usr/bin/env bash
# Shared helpers for Redress's scripts: start what the project needs on a
# fresh machine (PostgreSQL, the pinned Temporal CLI) and say what they do.
set -euo pipefail

REDRESS_CACHE="${REDRESS_CACHE:-$HOME/.cache/redress}"
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
TEMPORAL_CLI="${TEMPORAL_CLI:-$REDRESS_CACHE/temporal-$TEMPORAL_CLI_VERSION/temporal}"
WORKFLOWCHECK_VERSION="${WORKFLOWCHECK_VERSION:-v0.6.0}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

log() { printf '\033[1m[redress]\033[0m %s\n' "$*" >&2; }

TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
TEMPORAL_SERVER_DIR="$REDRESS_CACHE/temporal-server-$TEMPORAL_SERVER_VERSION"

# build_temporal_tools builds Temporal binaries from one module graph — the
# CLI's, which embeds the same server version — so the CLI (dev server), the
# server and temporal-sql-tool share every compiled package: one cold build
# of all three instead of two that compile the server twice. Arguments are
# pairs of output path and package.
build_temporal_tools() {
  local mod="$REDRESS_CACHE/temporal-build-cli-$TEMPORAL_CLI_VERSION-server-$TEMPORAL_SERVER_VERSION"
  mkdir -p "$mod"
  if ! [ -f "$mod/go.sum" ] || ! [ -f "$mod/tools.go" ]; then
    (cd "$mod" && rm -f go.mod go.sum &&
      go mod init redress.local/temporal-tools >/dev/null 2>&1 &&
      printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "github.com/temporalio/cli/cmd/temporal"\n\t_ "go.temporal.io/server/cmd/server"\n\t_ "go.temporal.io/server/cmd/tools/sql"\n)\n' >tools.go &&
      go get "github.com/temporalio/cli@$TEMPORAL_CLI_VERSION" "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" >/dev/null 2>&1 &&
      go mod tidy >/dev/null 2>&1) || { rm -f "$mod/tools.go"; log "could not resolve the Temporal modules"; return 1; }
  fi
  while [ $# -ge 2 ]; do
    mkdir -p "$(dirname "$1")"
    (cd "$mod" && nice -n 5 go build -trimpath -o "$1" "$2")
    shift 2
  done
}

# ensure_temporal_cli installs the pinned Temporal CLI once, outside the repo.
ensure_temporal_cli() {
  if [ -x "$TEMPORAL_CLI" ]; then return 0; fi
  log "building Temporal CLI $TEMPORAL_CLI_VERSION into $(dirname "$TEMPORAL_CLI") (first time only, ~4 min)..."
  build_temporal_tools "$TEMPORAL_CLI" github.com/temporalio/cli/cmd/temporal
  log "Temporal CLI ready: $TEMPORAL_CLI"
}

# ensure_temporal_server builds the server and temporal-sql-tool once (for
# the cluster drills); after the CLI most of it is already compiled.
ensure_temporal_server() {
  if [ -x "$TEMPORAL_SERVER_DIR/server" ] && [ -x "$TEMPORAL_SERVER_DIR/sql" ]; then return 0; fi
  log "building Temporal server $TEMPORAL_SERVER_VERSION and temporal-sql-tool into $TEMPORAL_SERVER_DIR (first time only)..."
  build_temporal_tools "$TEMPORAL_SERVER_DIR/server" go.temporal.io/server/cmd/server \
    "$TEMPORAL_SERVER_DIR/sql" go.temporal.io/server/cmd/tools/sql
  log "Temporal server ready: $TEMPORAL_SERVER_DIR/server"
}

# ensure_postgres starts the local PostgreSQL cluster when it is down.
ensure_postgres() {
  local host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}"
  if pg_isready -q -h "$host" -p "$port" 2>/dev/null; then return 0; fi
  log "PostgreSQL is not answering on $host:$port; starting the local cluster..."
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local ver
    ver=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
    [ -n "$ver" ] || ver=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster "$ver" main start
  else
    log "no pg_ctlcluster here: start PostgreSQL yourself or set DATABASE_URL"; return 1
  fi
  for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && return 0; sleep 1; done
  log "PostgreSQL did not become ready"; return 1
}

# local_pg_version prints the version of the newest PostgreSQL cluster this
# machine runs (Debian layout) when its conf.d is writable; nothing otherwise.
local_pg_version() {
  local ver
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$ver" ] && [ -w "/etc/postgresql/$ver/main/conf.d" ] && printf '%s\n' "$ver"
  return 0
}

# ensure_pg_connections raises a local cluster's max_connections to what the
# tests need at once (go test -p 2: a package's dev servers and pools beside
# the cluster drill's four Temporal services, ~150 connections at peak); the
# Debian default of 100 runs out. Only a cluster this machine runs
# (pg_ctlcluster, a writable conf.d) is changed, then restarted.
ensure_pg_connections() {
  local want="${PG_MIN_CONNECTIONS:-300}" host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}" have ver conf
  have=$(psql -h "$host" -p "$port" -U postgres -tAc 'SHOW max_connections' 2>/dev/null) || return 0
  [ -n "$have" ] && [ "$have" -ge "$want" ] && return 0
  ver=$(local_pg_version)
  if [ -z "$ver" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "PostgreSQL allows $have connections; the tests need about $want (set max_connections)"; return 0
  fi
  conf="/etc/postgresql/$ver/main/conf.d"
  log "raising PostgreSQL max_connections from $have to $want (restart)"
  echo "max_connections = $want" > "$conf/redress-connections.conf"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main restart || pg_ctlcluster "$ver" main restart
  for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && return 0; sleep 1; done
  log "PostgreSQL did not come back"; return 1
}

# ensure_pg_checkpoints spaces a local cluster's checkpoints out (max_wal_size
# 8 GB, checkpoint_timeout 15 min; Debian's defaults are 1 GB and 5 min).
# Temporal on PostgreSQL writes ~250 MB of WAL a minute under the benchmarks,
# so the defaults forced a checkpoint every ~2 minutes and every page touched
# after each was written whole to the WAL again. Reload only, no restart;
# same conditions as ensure_pg_connections.
ensure_pg_checkpoints() {
  local host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}" have ver conf
  have=$(psql -h "$host" -p "$port" -U postgres -tAc "SELECT setting::bigint * 1048576 >= 8589934592 FROM pg_settings WHERE name = 'max_wal_size'" 2>/dev/null) || return 0
  [ "$have" = "t" ] && return 0
  ver=$(local_pg_version)
  [ -n "$ver" ] || return 0
  conf="/etc/postgresql/$ver/main/conf.d"
  log "spacing PostgreSQL checkpoints out (max_wal_size 8GB, checkpoint_timeout 15min; reload)"
  printf 'max_wal_size = 8GB\ncheckpoint_timeout = 15min\n' > "$conf/redress-checkpoints.conf"
  psql -h "$host" -p "$port" -U postgres -qAtc 'SELECT pg_reload_conf()' >/dev/null
}

# ensure_database creates the database named in a postgres URL if missing.
ensure_database() {
  local url="$1" db admin
  db=$(printf '%s' "$url" | sed -E 's#^[a-z]+://[^/]*/([^?]+).*#\1#')
  admin=$(printf '%s' "$url" | sed -E 's#^([a-z]+://[^/]*/)[^?]*(.*)#\1postgres\2#')
  if [ "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
    log "creating database $db"
    psql "$admin" -qc "CREATE DATABASE \"$db\""
  fi
}

# temporal_answers checks whether a Temporal frontend listens at host:port.
temporal_answers() {
  local addr="$1"
  "$TEMPORAL_CLI" operator cluster health --address "$addr" >/dev/null 2>&1
}

SEARCH_ATTRIBUTES=(RedressStage=Keyword RedressMarketplace=Keyword RedressIssue=Keyword RedressBreached=Bool)

# register_search_attributes adds the workflows' custom search attributes (idempotent).
register_search_attributes() {
  local addr="$1" ns="$2" sa name type
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do
    name=${sa%%=*}; type=${sa#*=}
    "$TEMPORAL_CLI" operator search-attribute create --address "$addr" --namespace "$ns" \
      --name "$name" --type "$type" >/dev/null 2>&1 || true
  done
}
