#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's package: its own cluster in a temporary folder,
# listening on loopback only, password sign-in for every role (so no trainee's code can sign in as another role).
#   .ci/postgres.sh start   prints the line to export: ARTISAN_COURSE_TEST_DATABASE_URL=postgresql://...
#   .ci/postgres.sh stop    stops it and removes the folder
set -euo pipefail
DIR=${ARTISAN_COURSE_TEST_PG_DIR:-/tmp/artisan-course-pg}
PORT=${ARTISAN_COURSE_TEST_PG_PORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
    if [ -f "$DIR/password" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        echo "ARTISAN_COURSE_TEST_DATABASE_URL=postgresql://postgres:$(cat "$DIR/password")@127.0.0.1:$PORT/course_tests"
        exit 0
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    python3 -c "import secrets; print(secrets.token_hex(16))" > "$DIR/password"
    chmod 700 "$DIR"; chmod 600 "$DIR/password"
    [ "$(id -u)" = 0 ] && chown -R postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=scram-sha-256 --pwfile="$DIR/password" \
        --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log"
    # Tuned for a test run: nothing here must survive a crash, so no waiting for the disk.
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    PGPASSWORD=$(cat "$DIR/password") "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres course_tests
    echo "ARTISAN_COURSE_TEST_DATABASE_URL=postgresql://postgres:$(cat "$DIR/password")@127.0.0.1:$PORT/course_tests"
    ;;
stop)
    if [ -d "$DIR/data" ]; then as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$DIR"
    ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
