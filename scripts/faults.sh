#!/usr/bin/env bash
# Faults and abuse against the real server binary, on SQLite and on a throwaway PostgreSQL:
#   1. 200 graduates sign up at once for a 10-seat traineeship: exactly 10 accepted, 190 told
#      it is full, no 5xx;
#   2. 500 emails due while the SMTP listener is down for 60 s, then back: all 500 arrive, none
#      twice (recipients and Message-IDs counted at the listener);
#   3. kill -9 of the server under 8 writing clients, restart: every acknowledged write is there;
#   4. (PostgreSQL) two servers on one database, the client alternating between them: a session
#      from one works on the other, and 500 emails are each sent once though both workers run;
#   5. password guessing throttled, posts from a foreign origin refused, a session id planted
#      before sign-in worth nothing after it.
# Each check prints what it did and what it found; the script exits non-zero on any loss.
# The checks live in server/tests/api/faults.rs (ignored by a plain `cargo test`); they start
# `server serve` as a child process: the debug build, or with --release the release build
# (`target/release/server`, the one scripts/run.sh serves).
#   scripts/faults.sh [--release] [--db sqlite|postgres|both] [--check N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

RELEASE=
DBS=both
CHECK=
while [ $# -gt 0 ]; do
  case "$1" in
    --release) RELEASE=1 ;;
    --db) DBS="$2"; shift ;;
    --check) CHECK="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$DBS" in sqlite|postgres|both) ;; *) echo "--db sqlite, postgres or both" >&2; exit 2 ;; esac

# Runs a build quietly; on failure shows its output and stops.
build() {
  local log
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then grep -E 'Finished' "$log" || true; rm -f "$log"; else cat "$log"; rm -f "$log"; exit 1; fi
}

echo "==> building the checks and the server (debug)"
build cargo test -p server --test api --no-run
if [ -n "$RELEASE" ]; then
  echo "==> building the release server"
  build cargo build --release -p server --bin server
  # The checks stay a debug build; the server they start is the release one.
  # An absolute path: the checks run in the server package's directory, not here.
  FAULTS_SERVER_BIN="${CARGO_TARGET_DIR:-target}/release/server"
  [ -x "$FAULTS_SERVER_BIN" ] || { echo "no release server at $FAULTS_SERVER_BIN" >&2; exit 1; }
  export FAULTS_SERVER_BIN="$(realpath "$FAULTS_SERVER_BIN")"
fi

FILTER="faults::check_${CHECK}"
run_on() {
  local db="$1" skip
  if [ "$db" = sqlite ]; then skip=on_postgres; else skip=on_sqlite; fi
  echo "==> $db"
  cargo test -p server --test api -- --ignored --nocapture --test-threads=1 --skip "$skip" "$FILTER" 2>&1 \
    | grep -vE '^ *(Finished|Running|running [0-9]+ tests?$|test result: ok)|^$'
}

started=$SECONDS
status=0
if [ "$DBS" != postgres ]; then
  run_on sqlite || status=1
fi
if [ "$DBS" != sqlite ]; then
  source scripts/pg.sh
  if [ -z "${TEST_DATABASE_URL:-}" ]; then
    start_throwaway_postgres
    trap stop_throwaway_postgres EXIT
  fi
  run_on postgres || status=1
fi
echo "==> $((SECONDS - started)) s"
if [ "$status" = 0 ]; then
  echo "faults: every check passed"
else
  echo "faults: LOSS OR FAILURE (see the check above that panicked)"
fi
exit "$status"
