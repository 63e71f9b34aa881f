#!/usr/bin/env bash
# A private PostgreSQL server for the test suite, from Debian's packages.
#
#   .ci/postgres.sh start   install (if missing), initdb (once), start (if stopped), createdb (once);
#                           prints `export VERSE_TEST_DATABASE_URL=...` on stdout
#   .ci/postgres.sh env     prints the same line without starting anything
#   .ci/postgres.sh stop    stops the server (the data directory is kept for a fast restart)
#   .ci/postgres.sh status  exit 0 if the server is running
#
# Use: eval "$(.ci/postgres.sh start)"
# Settings: VERSE_PG_PORT (default 54329), VERSE_PG_DIR (default /tmp/verse-pg-$PORT; it must be
# reachable by the `postgres` user, so not under /root), VERSE_PG_DB (default verse_test).
# The server trusts local connections, syncs nothing to disk (fsync=off) and listens only on
# 127.0.0.1: it is for throw-away test data, never for anything you want to keep.
# Messages go to stderr; stdout carries only the export line.
set -euo pipefail

PORT="${VERSE_PG_PORT:-54329}"
BASE="${VERSE_PG_DIR:-/tmp/verse-pg-$PORT}"
DB="${VERSE_PG_DB:-verse_test}"
DATA="$BASE/data"
SOCK="$BASE/sock"
LOG="$BASE/server.log"
URL="postgresql+asyncpg://postgres@127.0.0.1:$PORT/$DB"

say() { echo "postgres.sh: $*" >&2; }

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

install_postgres() {
    if pg_bindir >/dev/null; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        say "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
        exit 1
    fi
    say "installing PostgreSQL from Debian's packages (about 30 s)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    pg_bindir >/dev/null || { say "apt-get did not install pg_ctl"; exit 1; }
}

# Run a PostgreSQL tool as the `postgres` user (initdb refuses root), or as ourselves if not root.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

prepare_dirs() {
    mkdir -p "$BASE" "$SOCK"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$BASE" "$SOCK"
    fi
    chmod 0700 "$BASE"
}

running() {
    local bin
    bin=$(pg_bindir) || return 1
    [ -f "$DATA/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    install_postgres
    local bin
    bin=$(pg_bindir)
    prepare_dirs
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "initdb in $DATA"
        as_pg "$bin/initdb" -D "$DATA" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 \
            >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; exit 1; }
    fi
    if ! running; then
        say "starting on 127.0.0.1:$PORT (log: $LOG)"
        as_pg "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
            -o "-p $PORT -k $SOCK -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null || { tail -n 20 "$LOG" >&2; exit 1; }
    fi
    local exists
    exists=$(as_pg "$bin/psql" -h "$SOCK" -p "$PORT" -U postgres -d postgres -XtAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'")
    if [ "$exists" != 1 ]; then
        as_pg "$bin/createdb" -h "$SOCK" -p "$PORT" -U postgres "$DB"
    fi
    echo "export VERSE_TEST_DATABASE_URL=$URL"
}

stop() {
    if running; then
        as_pg "$(pg_bindir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "stopped"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) echo "export VERSE_TEST_DATABASE_URL=$URL" ;;
    status) running ;;
    *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
