#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds the portal (release), adds the demo
# accounts and serves it at http://127.0.0.1:3000 on SQLite (data/portal.db). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

echo "==> building (release; the first build takes a few minutes)"
# --precompress writes a brotli (.br) and a gzip (.gz) copy beside every file of the site, which
# the server sends as they are (hash-files in Cargo.toml gives the bundle content-hashed names).
cargo leptos build --release --precompress
# Its gzip copies are about a fifth larger than gzip -9's; browsers without brotli get these.
if command -v gzip >/dev/null; then
  find "${LEPTOS_SITE_ROOT:-target/site}" -type f ! -name '*.gz' ! -name '*.br' -exec gzip -9 -k -f {} \;
fi

export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
echo "==> demo data"
./target/release/server seed-demo
echo "==> serving at ${PORTAL_BASE_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}}  (emails are written to ${PORTAL_DATA_DIR:-data}/mail/ unless SMTP_HOST is set)"
exec ./target/release/server serve
