#!/usr/bin/env bash
# A throwaway PostgreSQL server for the ledger tests.
#
#   eval "$(bash scripts/postgres.sh)"        # start (or reuse) it; sets SYNTHSTUDIO_TEST_PG_URL
#   bash scripts/postgres.sh stop             # stop it and delete its files
#
# Installs PostgreSQL with apt-get when no server binaries are found (root, Debian/Ubuntu;
# non-interactive), starts a private cluster in $SYNTHSTUDIO_PG_DIR (default
# /tmp/synthstudio-pg) listening on 127.0.0.1 only, on a free port, creates a database and
# prints one line on stdout:
#   export SYNTHSTUDIO_TEST_PG_URL=postgresql+psycopg://synthstudio:<password>@127.0.0.1:<port>/synthstudio_test
# Everything else goes to stderr. Running it again while the server is up prints the same
# line. As root the cluster runs as the "postgres" user (initdb refuses root).
set -euo pipefail

PG_DIR="${SYNTHSTUDIO_PG_DIR:-/tmp/synthstudio-pg}"
DB_NAME="synthstudio_test"
DB_USER="synthstudio"
log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local candidate
    if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then
        echo "$PG_BINDIR"
        return 0
    fi
    # Debian keeps the server tools out of PATH, under /usr/lib/postgresql/<major>/bin.
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
            echo "$candidate"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

install_postgres() {
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL is not installed and this is not root: install it (apt-get install postgresql) or set PG_BINDIR."
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL is not installed and apt-get is not available; install PostgreSQL or set PG_BINDIR."
        exit 1
    fi
    log "installing PostgreSQL with apt-get (quiet; takes a minute) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql postgresql-client >&2
}

# Run a command as the cluster owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port
    for port in $(seq 54329 54429); do
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    log "no free port between 54329 and 54429"
    exit 1
}

url() {
    echo "postgresql+psycopg://$DB_USER:$(cat "$PG_DIR/password")@127.0.0.1:$(cat "$PG_DIR/port")/$DB_NAME"
}

server_running() {
    [ -f "$PG_DIR/port" ] && [ -d "$PG_DIR/data" ] && as_owner "$BINDIR/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

stop() {
    if [ -d "$PG_DIR/data" ]; then
        as_owner "$BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >&2 2>/dev/null || true
    fi
    rm -rf "$PG_DIR"
    log "stopped and removed $PG_DIR"
}

BINDIR="$(find_bindir || true)"
if [ "${1:-start}" = "stop" ]; then
    [ -n "$BINDIR" ] && stop || rm -rf "$PG_DIR"
    exit 0
fi
if [ -z "$BINDIR" ]; then
    install_postgres
    BINDIR="$(find_bindir)" || { log "PostgreSQL server binaries not found after installing"; exit 1; }
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

if server_running; then
    log "reusing the server in $PG_DIR (port $(cat "$PG_DIR/port"))"
else
    if [ -d "$PG_DIR/data" ] && [ -f "$PG_DIR/password" ]; then
        log "restarting the cluster in $PG_DIR"
    else
        rm -rf "$PG_DIR"
        mkdir -p "$PG_DIR"
        # A fresh random password for this throwaway cluster (scram-sha-256 on TCP).
        tr -dc 'a-zA-Z0-9' </dev/urandom 2>/dev/null | head -c 24 >"$PG_DIR/password" || true
        [ -s "$PG_DIR/password" ] || date +%s%N | sha256sum | head -c 24 >"$PG_DIR/password"
        chmod 600 "$PG_DIR/password"
        [ "$(id -u)" -eq 0 ] && chown -R postgres: "$PG_DIR"
        log "initdb in $PG_DIR/data ($BINDIR)"
        as_owner "$BINDIR/initdb" -D "$PG_DIR/data" -U "$DB_USER" --pwfile="$PG_DIR/password" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
            cat "$PG_DIR/initdb.log" >&2
            exit 1
        }
    fi
    free_port >"$PG_DIR/port"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR/port"
    PORT="$(cat "$PG_DIR/port")"
    log "starting on 127.0.0.1:$PORT"
    as_owner "$BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PG_DIR -c max_connections=100" start >&2 || {
        cat "$PG_DIR/server.log" >&2
        exit 1
    }
fi

PORT="$(cat "$PG_DIR/port")"
if ! as_owner "$BINDIR/psql" -h "$PG_DIR" -p "$PORT" -U "$DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    as_owner "$BINDIR/createdb" -h "$PG_DIR" -p "$PORT" -U "$DB_USER" "$DB_NAME"
    log "created database $DB_NAME"
fi
echo "export SYNTHSTUDIO_TEST_PG_URL=$(url)"
