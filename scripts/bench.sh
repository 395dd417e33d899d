#!/usr/bin/env bash
# Benchmarks, printing figures (no pass/fail): the case workers' queue at 100 000
# applications, on SQLite and on PostgreSQL (TEST_DATABASE_URL, or a throwaway cluster).
#   scripts/bench.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
COUNT="${1:-100000}"
trap stop_throwaway_postgres EXIT

echo "==> building the benchmark (release)"
cargo build --release -p server --bin bench-queue

echo "==> queue on SQLite"
./target/release/bench-queue "$COUNT"

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_throwaway_postgres
fi
echo "==> queue on PostgreSQL (a fresh database on that server)"
./target/release/bench-queue "$COUNT" "$TEST_DATABASE_URL"
