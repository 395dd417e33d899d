#!/usr/bin/env bash
# Quick start, command 1: installs what is missing, builds the portal (release), adds the demo
# accounts and serves it at http://127.0.0.1:3000 on SQLite (data/portal.db). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

echo "==> building (release; the first build takes a few minutes)"
build_release_site

export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
echo "==> demo data"
./target/release/server seed-demo
echo "==> serving at ${PORTAL_BASE_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}}  (emails are written to ${PORTAL_DATA_DIR:-data}/mail/ unless SMTP_HOST is set)"
exec ./target/release/server serve
