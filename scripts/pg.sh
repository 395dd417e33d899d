# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory, listening on a
# free loopback port, removed on exit. initdb refuses to run as root, so as root the cluster
# belongs to the `postgres` user that Debian's package creates.
#   source scripts/pg.sh; start_throwaway_postgres   → exports TEST_DATABASE_URL

start_throwaway_postgres() {
  local initdb pg_ctl port
  initdb=$(pg_bin initdb) || { echo "PostgreSQL is missing. Install it with: sudo apt-get install -y postgresql" >&2; return 1; }
  pg_ctl=$(pg_bin pg_ctl)
  PG_TMP=$(mktemp -d /tmp/portal-pg.XXXXXX)
  port=$(free_port)
  local as_owner=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_TMP"
    as_owner=(runuser -u postgres --)
  fi
  "${as_owner[@]}" "$initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  # Durability is pointless for a cluster that is deleted in a minute; skipping it is faster.
  "${as_owner[@]}" "$pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w \
    -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PG_TMP/server.log" >&2; return 1; }
  PG_OWNER_CMD=("${as_owner[@]}")
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "==> throwaway PostgreSQL on port $port"
}

stop_throwaway_postgres() {
  [ -n "${PG_TMP:-}" ] || return 0
  "${PG_OWNER_CMD[@]}" "$(pg_bin pg_ctl)" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
  PG_TMP=
}
