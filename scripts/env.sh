# Shared by the scripts: pinned tool versions and the PATH that finds them.
# shellcheck shell=bash
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
BINARYEN_VERSION=132
TOOLS_DIR="$PWD/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

# The flags cargo-leptos builds with. Every script uses them, so `cargo test` and the benchmark
# reuse what `cargo leptos build` compiled instead of building everything a second time.
export RUSTFLAGS="--cfg erase_components"
export LEPTOS_OUTPUT_NAME=portal

# Where PostgreSQL's server programs are: on PATH, or in Debian's versioned directory.
pg_bin() {
  local name="$1" d
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/$name" ] && { echo "$d/$name"; return 0; }
  done
  return 1
}

# A free TCP port on loopback (Node.js is on every machine this project supports; python3 and
# curl may not be).
free_port() {
  node -e 'const s=require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Succeeds when the URL answers 2xx.
http_ok() {
  node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}
