#!/usr/bin/env bash
# Quick start, command 2: every test. Unit tests, integration tests against SQLite and
# PostgreSQL (TEST_DATABASE_URL, or a throwaway cluster), and the end-to-end journeys in
# headless Chromium against a freshly built and seeded server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh
source scripts/pg.sh

SERVER_PID=
E2E_DIR=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$E2E_DIR" ] && rm -rf "$E2E_DIR"
  stop_throwaway_postgres
}
trap cleanup EXIT

echo "==> building the site and the server"
cargo leptos build

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_throwaway_postgres
fi

echo "==> unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace --features app/ssr --no-fail-fast

echo "==> end-to-end journeys in headless Chromium"
E2E_DIR=$(mktemp -d /tmp/portal-e2e.XXXXXX)
PORT=$(free_port)
export PORTAL_DATA_DIR="$E2E_DIR" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site PORTAL_MAIL_POLL_MS=200
unset DATABASE_URL PORTAL_BASE_URL SMTP_HOST
./target/debug/server seed-demo >/dev/null
./target/debug/server serve >"$E2E_DIR/server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 100); do
  if http_ok "http://127.0.0.1:$PORT/readyz"; then ready=1; break; fi
  sleep 0.2
done
[ "$ready" = 1 ] || { echo "the server did not become ready:"; cat "$E2E_DIR/server.log"; exit 1; }
(cd end2end && BASE_URL="http://127.0.0.1:$PORT" MAIL_DIR="$E2E_DIR/mail" npx playwright test) \
  || { echo "--- server log ---"; tail -50 "$E2E_DIR/server.log"; exit 1; }
echo "==> all tests passed"
