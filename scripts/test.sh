#!/usr/bin/env bash
# Quick start, command 2: every test. Unit tests, integration tests against SQLite and
# PostgreSQL (TEST_DATABASE_URL, or a throwaway cluster), and the end-to-end journeys in
# headless Chromium, with JavaScript on and off, against the release build (the server and the
# site from one build, as scripts/run.sh serves them), freshly seeded.
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

echo "==> building the release site and server (what users get is what the browser tests see)"
build_release_site

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_throwaway_postgres
fi

echo "==> unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace --features app/ssr --no-fail-fast

# Each Playwright project gets a fresh, seeded server: a journey may leave the demo changed (a
# policy parameter, a suspended vacancy) for the next run of it. The server believes
# X-Forwarded-For from loopback, so each person a journey signs up comes from an address of
# their own (helpers.ts) and the per-address limits meet one person, as in real use.
run_e2e_project() {
  local project=$1 port
  echo "==> end-to-end journeys in headless Chromium: $project"
  E2E_DIR=$(mktemp -d /tmp/portal-e2e.XXXXXX)
  port=$(free_port)
  PORTAL_DATA_DIR="$E2E_DIR" ./target/release/server seed-demo >/dev/null
  PORTAL_DATA_DIR="$E2E_DIR" LEPTOS_SITE_ADDR="127.0.0.1:$port" PORTAL_TRUSTED_PROXIES="127.0.0.1, ::1" \
    ./target/release/server serve >"$E2E_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  local ready=0
  for _ in $(seq 1 100); do
    if http_ok "http://127.0.0.1:$port/readyz"; then ready=1; break; fi
    sleep 0.2
  done
  [ "$ready" = 1 ] || { echo "the server did not become ready:"; cat "$E2E_DIR/server.log"; exit 1; }
  (cd end2end && BASE_URL="http://127.0.0.1:$port" MAIL_DIR="$E2E_DIR/mail" npx playwright test --project "$project") \
    || { echo "--- server log ---"; tail -50 "$E2E_DIR/server.log"; exit 1; }
  kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  rm -rf "$E2E_DIR"
  E2E_DIR=
}

export LEPTOS_SITE_ROOT=target/site PORTAL_MAIL_POLL_MS=200
unset DATABASE_URL PORTAL_BASE_URL SMTP_HOST
run_e2e_project mobile
run_e2e_project mobile-nojs
echo "==> all tests passed"
