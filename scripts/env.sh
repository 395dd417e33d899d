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

# The release build as it is served (run.sh; a benchmark that measures pages or files uses it
# too): the server and the site, the bundle under content-hashed names (hash-files in
# Cargo.toml; the hashes go to target/release/hash.txt beside the server), and a brotli (.br)
# and gzip (.gz) copy beside every file of the site, which the server sends as they are.
# cargo-leptos's gzip copies are about a fifth larger than gzip -9's, so those are redone.
build_release_site() {
  cargo leptos build --release --precompress
  if command -v gzip >/dev/null; then
    find "${LEPTOS_SITE_ROOT:-target/site}" -type f ! -name '*.gz' ! -name '*.br' -exec gzip -9 -k -f {} \;
  fi
}
