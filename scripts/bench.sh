#!/usr/bin/env bash
# Benchmarks, printing figures (no pass/fail), on SQLite and on PostgreSQL (TEST_DATABASE_URL,
# or a throwaway cluster): the case workers' queue at COUNT applications (default 100 000) and
# the public vacancy search at each of SEARCH_COUNTS vacancies (default 10 000 and 100 000;
# SEARCH_COUNTS="10000 100000 1000000" for the million).
#   scripts/bench.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
COUNT="${1:-100000}"
SEARCH_COUNTS="${SEARCH_COUNTS:-10000 100000}"
trap stop_throwaway_postgres EXIT

echo "==> building the benchmark (release)"
cargo build --release -p server --bin bench-queue --bin bench-search

echo "==> queue on SQLite"
./target/release/bench-queue "$COUNT"

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  start_throwaway_postgres
fi
echo "==> queue on PostgreSQL (a fresh database on that server)"
./target/release/bench-queue "$COUNT" "$TEST_DATABASE_URL"

for n in $SEARCH_COUNTS; do
  echo "==> vacancy search on SQLite, $n vacancies"
  ./target/release/bench-search "$n"
  echo "==> vacancy search on PostgreSQL, $n vacancies"
  ./target/release/bench-search "$n" "$TEST_DATABASE_URL"
done
