#!/usr/bin/env bash
# What sign-ins cost everybody else, on the release server (SQLite):
# 1. page latency: the home page at 64 connections for SECONDS, alone and then while 20
#    sign-ins a second hash passwords; prints p50/p99 of both and the ratio of the p99s;
# 2. memory: 1 000 sign-ins, 16 at a time, over 16 accounts (one account's own throttle would
#    refuse most of them); prints the resident size at start, its peak and the size after.
# Nothing passes or fails; the last lines are `name value unit`.
#   scripts/signin-load.sh [COUNT] [PARALLEL] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
COUNT="${1:-1000}"
PARALLEL="${2:-16}"
SECONDS_EACH="${3:-10}"
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (apt-get install sqlite3)"; exit 1; }

echo "==> building the portal (release; the server and the site it names, from one build)"
build_release_site 2>&1 | tail -1
DIR=$(mktemp -d /tmp/portal-memory.XXXXXX)
PORT=$(free_port)
export PORTAL_DATA_DIR="$DIR" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site
unset DATABASE_URL PORTAL_BASE_URL SMTP_HOST
./target/release/server seed-demo >/dev/null
# Sixteen more graduates with the demo graduate's password.
for i in $(seq 1 "$PARALLEL"); do
  sqlite3 "$DIR/portal.db" "INSERT INTO users (email, password_hash, role, display_name, locale, email_verified_at, created_at)
    SELECT 'flood$i@leshan.example', password_hash, role, display_name, locale, email_verified_at, created_at FROM users WHERE email = 'graduate@leshan.example'"
done
./target/release/server serve >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do http_ok "http://127.0.0.1:$PORT/readyz" && break; sleep 0.2; done
rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$PID/status"; }
hwm() { awk '/^VmHWM/ {print int($2/1024)}' "/proc/$PID/status"; }
echo "resident at start: $(rss) MB"
echo "==> the home page at 64 connections, ${SECONDS_EACH} s alone, then ${SECONDS_EACH} s beside 20 sign-ins a second"
node - "$PORT" "$SECONDS_EACH" "$PARALLEL" <<'JS' | tee "$DIR/latency.txt" | grep -v "^page_p99"
const [port, seconds, accounts] = process.argv.slice(2).map(Number);
const base = `http://127.0.0.1:${port}`;
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
async function load(withSignIns) {
  const end = Date.now() + seconds * 1000;
  const times = [];
  let signIns = 0, refused = 0, timer;
  if (withSignIns) {
    // One sign-in every 50 ms, whether or not the last has answered: a steady 20 per second.
    let n = 0;
    timer = setInterval(() => {
      const body = new URLSearchParams({ email: `flood${(n++ % accounts) + 1}@leshan.example`, password: "demo-graduate-2026" });
      fetch(`${base}/api/login`, { method: "POST", body, headers: { Accept: "application/json", Origin: base } })
        .then(async (r) => { await r.arrayBuffer(); if (r.status === 200) signIns++; else refused++; });
    }, 50);
  }
  await Promise.all([...Array(64).keys()].map(async () => {
    while (Date.now() < end) {
      const t = performance.now();
      const r = await fetch(`${base}/`);
      await r.arrayBuffer();
      if (r.status === 200) times.push(performance.now() - t);
    }
  }));
  clearInterval(timer);
  times.sort((a, b) => a - b);
  return { n: times.length, p50: pct(times, 50), p99: pct(times, 99), signIns, refused };
}
(async () => {
  await load(false); // warm-up: connections, caches
  const alone = await load(false);
  const beside = await load(true);
  const f = (x) => x.toFixed(1);
  console.log(`alone:  ${alone.n} pages, p50 ${f(alone.p50)} ms, p99 ${f(alone.p99)} ms`);
  console.log(`beside: ${beside.n} pages, p50 ${f(beside.p50)} ms, p99 ${f(beside.p99)} ms; ${beside.signIns} sign-ins (${beside.refused} refused)`);
  console.log(`page_p99_alone_ms ${f(alone.p99)} ms`);
  console.log(`page_p99_beside_signins_ms ${f(beside.p99)} ms`);
  console.log(`page_p99_ratio ${(beside.p99 / alone.p99).toFixed(2)} x`);
})();
JS
echo "==> ${COUNT} sign-ins, ${PARALLEL} at a time"
node - "$PORT" "$COUNT" "$PARALLEL" <<'JS'
const [port, count, parallel] = process.argv.slice(2).map(Number);
const base = `http://127.0.0.1:${port}`;
let next = 0, ok = 0, other = {};
async function worker(w) {
  while (next < count) {
    next++;
    const body = new URLSearchParams({ email: `flood${w + 1}@leshan.example`, password: "demo-graduate-2026" });
    const res = await fetch(`${base}/api/login`, { method: "POST", body, headers: { Accept: "application/json", Origin: base } });
    await res.arrayBuffer();
    if (res.status === 200) ok++; else other[res.status] = (other[res.status] || 0) + 1;
  }
}
const t = Date.now();
Promise.all([...Array(parallel).keys()].map(worker)).then(() => {
  console.log(`${count} sign-ins, ${parallel} at a time, in ${((Date.now() - t) / 1000).toFixed(1)} s: ${ok} signed in, other answers ${JSON.stringify(other)}`);
});
JS
echo "resident after: $(rss) MB, peak: $(hwm) MB"
grep -E '^page_p99' "$DIR/latency.txt"
echo "signin_rss_after_mb $(rss) MB"
echo "signin_rss_peak_mb $(hwm) MB"
