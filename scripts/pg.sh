#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the tests and benchmarks.
#   scripts/pg.sh start   → prints the connection URI
#   scripts/pg.sh stop
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` user.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${XH_PG_PORT:-55432}
BASE=${XH_PG_DIR:-/tmp/xinghuo-pg-$PGPORT}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$BASE/data/postmaster.pid" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start)
    stop
    rm -rf "$BASE"
    mkdir -p "$BASE"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$BASE"; fi
    as_owner "$PGBIN/initdb" -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1 ||
      { cat "$BASE/initdb.log" >&2; exit 1; }
    as_owner "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
      -o "-p $PGPORT -k $BASE -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
      { cat "$BASE/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
