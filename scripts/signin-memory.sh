#!/usr/bin/env bash
# Resident memory of the release server under a flood of sign-ins: 1 000 sign-ins, 16 at a
# time, over 16 accounts (one account's own throttle would refuse most of them). Prints the
# resident size at start, its peak and the size after; nothing passes or fails.
#   scripts/signin-memory.sh [COUNT] [PARALLEL]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
COUNT="${1:-1000}"
PARALLEL="${2:-16}"
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (apt-get install sqlite3)"; exit 1; }

echo "==> building the server (release)"
cargo build --release -p server --bin server 2>&1 | tail -1
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
echo "signin_rss_after_mb $(rss) MB"
echo "signin_rss_peak_mb $(hwm) MB"
