#!/usr/bin/env bash
# Installs whatever the portal needs to build and test that is not on the machine yet.
# Idempotent: every step checks first, so a second run takes a second or two.
# Only the package registries are used (crates.io, npm, Debian); nothing is fetched from
# anywhere else, because cargo-leptos's own GitHub downloads fail on closed networks.
#
#   scripts/setup.sh          tools to build and run the portal
#   scripts/setup.sh --test   also Chromium, PostgreSQL and the Playwright packages
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "cargo is missing: install Rust with rustup (https://rustup.rs) first."
command -v rustup >/dev/null || fail "rustup is missing: the wasm32 target is added through rustup; install Rust with rustup."
command -v npm >/dev/null || fail "npm is missing: install Node.js 20 or newer (for example: apt-get install nodejs npm)."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.11 needs a newer rustc than this toolchain; 0.3.10 builds with --locked.
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on two cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# The CLI must equal the wasm-bindgen crate pinned in Cargo.toml. Its own lockfile asks for a
# crate version the registry lacks, so it is installed without --locked.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt from the npm package; Debian's binaryen 108 produces a wasm that fails to hydrate.
if ! [ -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
  step "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [ "$WANT_TEST" = 1 ]; then
  apt_install() {
    local what="$1"; shift
    if [ "$(id -u)" = 0 ]; then
      step "installing $what from Debian packages"
      if [ ! -f /tmp/.portal-apt-updated ]; then apt-get update -qq && touch /tmp/.portal-apt-updated; fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
      fail "$what is missing. Install it with: sudo apt-get install -y $*"
    fi
  }
  command -v chromium >/dev/null || apt_install Chromium chromium
  if [ -z "${TEST_DATABASE_URL:-}" ] && ! pg_bin initdb >/dev/null; then
    apt_install PostgreSQL postgresql
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "installing the Playwright test runner and axe-core (browser download skipped: Debian's Chromium is used)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
  fi
fi
