#!/usr/bin/env bash
# The benchmark: figures, no pass/fail. Release build, loopback, wrk (Debian package) as the
# load generator, nginx (Debian package, one worker) as the static-file yardstick.
#
#   scripts/bench.sh --quick   the vacancy search page at 100 000 vacancies against a static
#                              file of the same size (nginx and the portal's own static route);
#                              a few minutes with the build warm
#   scripts/bench.sh           all of it: the same at 100 000 vacancies, peak memory under that
#                              load, cold start, the wasm as sent, search medians at
#                              SEARCH_COUNTS (default "10000 100000 1000000") on SQLite and
#                              PostgreSQL with the ratio 1 M ÷ 10 k, the case workers' queue at
#                              QUEUE_COUNT applications, page latency beside sign-ins and memory
#                              after 1 000 sign-ins (scripts/signin-load.sh)
#
# It prints a table per part and, last, one `name value unit` line per figure. wrk and nginx
# are installed with apt-get when missing and the script runs as root; otherwise the parts that
# need them say so and are skipped. PostgreSQL: TEST_DATABASE_URL, or a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
SEARCH_COUNTS="${SEARCH_COUNTS:-10000 100000 1000000}"
QUEUE_COUNT="${QUEUE_COUNT:-100000}"
CONNECTIONS=64
DURATION="${BENCH_SECONDS:-10}"
scripts/setup.sh
source scripts/env.sh
source scripts/pg.sh

WORK=$(mktemp -d /tmp/portal-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
FIGURES="$WORK/figures.txt"
touch "$FIGURES"
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_throwaway_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT
figure() { echo "$1 $2 $3" >>"$FIGURES"; }

have_or_install() {
  local cmd="$1" package="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  [ -x "/usr/sbin/$cmd" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing $package (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null && return 0
  fi
  echo "==> $cmd is missing and cannot be installed here: the parts that need it are skipped"
  return 1
}
HAVE_WRK=0; have_or_install wrk wrk && HAVE_WRK=1
HAVE_NGINX=0; have_or_install nginx nginx-light && HAVE_NGINX=1
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

echo "==> building the portal (release, precompressed)"
build_release_site 2>&1 | tail -2
SERVER=./target/release/server

# wrk at $CONNECTIONS connections for $DURATION s: prints "requests/s p50_ms p99_ms".
load() {
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { if (bad) print "non-2xx answers: " bad > "/dev/stderr"; printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

# A portal on a fresh SQLite database in $1, serving target/site plus the extra file in $2.
start_portal() {
  local dir="$1" port
  port=$(free_port)
  if [ ! -d "$dir/site" ]; then
    mkdir -p "$dir/site"
    cp -r target/site/. "$dir/site/"
  fi
  PORTAL_DATA_DIR="$dir" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$dir/site" RUST_LOG=warn \
    "$SERVER" serve >"$dir/server.log" 2>&1 &
  PORTAL_PID=$!
  PIDS+=("$PORTAL_PID")
  PORTAL="http://127.0.0.1:$port"
  for _ in $(seq 1 200); do http_ok "$PORTAL/readyz" && return 0; sleep 0.1; done
  echo "the portal did not start:"; cat "$dir/server.log"; exit 1
}

search_page() {
  local n=100000 dir="$WORK/search"
  mkdir -p "$dir"
  echo "==> seeding $n vacancies into SQLite"
  local t0=$SECONDS
  PORTAL_DATA_DIR="$dir" RUST_LOG=warn "$SERVER" seed-demo --vacancies "$n" >/dev/null
  echo "    seeded in $((SECONDS - t0)) s"
  start_portal "$dir"
  # 会计 (accountant) in Leshan's city centre: a Chinese keyword and a filter.
  local path="/vacancies?q=%E4%BC%9A%E8%AE%A1&place=shizhong"
  node -e 'fetch(process.argv[1]).then(r => r.arrayBuffer()).then(b => require("fs").writeFileSync(process.argv[2], Buffer.from(b)))' \
    "$PORTAL$path" "$WORK/same-size.html"
  # The portal reads its static files at start-up: start it again with the copy among them.
  kill "$PORTAL_PID"; wait "$PORTAL_PID" 2>/dev/null || true
  cp "$WORK/same-size.html" "$dir/site/same-size.html"
  start_portal "$dir"
  local bytes
  bytes=$(wc -c <"$WORK/same-size.html")
  echo "    the search page is $bytes bytes; the static file is a copy of it"
  [ "$HAVE_WRK" = 1 ] || { echo "    no wrk: the load part is skipped"; return 0; }

  local nginx_port nginx_result="- - -"
  if [ "$HAVE_NGINX" = 1 ]; then
    nginx_port=$(free_port)
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
error_log $WORK/nginx/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { text/html html; }
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$nginx_port; root $WORK; }
}
EOF
    [ "$(id -u)" = 0 ] && sed -i '1i user root;' "$WORK/nginx/nginx.conf"
    "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
    PIDS+=("$!")
    for _ in $(seq 1 50); do http_ok "http://127.0.0.1:$nginx_port/same-size.html" && break; sleep 0.1; done
    load "http://127.0.0.1:$nginx_port/same-size.html" >/dev/null # warm-up
    nginx_result=$(load "http://127.0.0.1:$nginx_port/same-size.html")
  fi
  load "$PORTAL$path" >/dev/null # warm-up
  local search_result static_result
  search_result=$(load "$PORTAL$path")
  static_result=$(load "$PORTAL/same-size.html")
  local hwm
  hwm=$(awk '/^VmHWM/ {print int($2/1024)}' "/proc/$PORTAL_PID/status")

  printf '%-44s %12s %9s %9s\n' "$bytes bytes at $CONNECTIONS connections, ${DURATION} s" "requests/s" "p50 ms" "p99 ms"
  printf '%-44s %12s %9s %9s\n' "vacancy search page (100 000 vacancies)" $search_result
  printf '%-44s %12s %9s %9s\n' "the same bytes, the portal's static route" $static_result
  printf '%-44s %12s %9s %9s\n' "the same bytes, nginx (one worker)" $nginx_result
  echo "peak resident size of the portal under this load: $hwm MB"
  read -r s_rps _ s_p99 <<<"$search_result"
  read -r p_rps _ _ <<<"$static_result"
  figure search_rps "$s_rps" req/s
  figure search_p99_ms "$s_p99" ms
  figure portal_static_rps "$p_rps" req/s
  figure portal_rss_peak_under_load_mb "$hwm" MB
  if [ "$HAVE_NGINX" = 1 ]; then
    read -r n_rps _ _ <<<"$nginx_result"
    figure nginx_static_rps "$n_rps" req/s
    figure search_vs_static_ratio "$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.3f", a / b }')" x
  else
    echo "    no nginx: search_vs_static_ratio is not measured"
  fi
  kill "$PORTAL_PID" 2>/dev/null || true
}

cold_start() {
  echo "==> cold start: an empty database to the first page"
  local dir="$WORK/cold"
  mkdir -p "$dir"
  local ms
  ms=$(node - "$SERVER" "$dir" "$(free_port)" <<'JS'
const [server, dir, port] = process.argv.slice(2);
const { spawn } = require("child_process");
const t = performance.now();
const child = spawn(server, ["serve"], { env: { ...process.env, PORTAL_DATA_DIR: dir, LEPTOS_SITE_ADDR: `127.0.0.1:${port}`, LEPTOS_SITE_ROOT: "target/site", RUST_LOG: "warn" }, stdio: "ignore" });
(async () => {
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {}
    await new Promise((res) => setTimeout(res, 2));
  }
  console.log((performance.now() - t).toFixed(0));
  child.kill();
})();
JS
)
  echo "    first 200 after $ms ms (migrations on a new SQLite file included)"
  figure cold_start_ms "$ms" ms
}

wasm_size() {
  echo "==> the hydrate bundle"
  start_portal "$WORK/wasm"
  # The bundle the page names (file names carry a content hash; older builds may lie beside it).
  local wasm raw
  wasm=$(node -e 'fetch(process.argv[1]).then(r => r.text()).then(t => console.log((t.match(/\/pkg\/[^"]*\.wasm/) || [""])[0]))' "$PORTAL/")
  raw=$(wc -c <"target/site$wasm")
  echo "    $wasm: $((raw / 1024)) KB raw"
  figure wasm_raw_kb "$((raw / 1024))" KB
  local enc
  for enc in br gzip; do
    local sent
    sent=$(node -e '
      const http = require("http");
      http.get(process.argv[1], { headers: { "Accept-Encoding": process.argv[2] } }, (r) => {
        let n = 0; r.on("data", (c) => (n += c.length)); r.on("end", () => console.log(`${n} ${r.headers["content-encoding"] || "identity"}`));
      });' "$PORTAL/pkg/$(basename "$wasm")" "$enc")
    read -r bytes how <<<"$sent"
    echo "    asked for $enc: $((bytes / 1024)) KB sent ($how)"
    figure "wasm_sent_${enc}_kb" "$((bytes / 1024))" KB
  done
  kill "$PORTAL_PID" 2>/dev/null || true
}

search_page
if [ "$QUICK" = 0 ]; then
  cold_start
  wasm_size
  echo "==> building the benchmark binaries (release)"
  cargo build --release -p server --bin bench-queue --bin bench-search 2>&1 | tail -1
  if [ -z "${TEST_DATABASE_URL:-}" ]; then start_throwaway_postgres; fi
  for db in sqlite postgresql; do
    url=""; [ "$db" = postgresql ] && url="$TEST_DATABASE_URL"
    for n in $SEARCH_COUNTS; do
      echo "==> vacancy search on $db, $n vacancies"
      ./target/release/bench-search "$n" $url | tee "$WORK/search-$db-$n.txt" | grep -v "^search_"
      grep "^search_" "$WORK/search-$db-$n.txt" >>"$FIGURES"
    done
    first=${SEARCH_COUNTS%% *}; last=${SEARCH_COUNTS##* }
    if [ "$first" != "$last" ]; then
      a=$(awk '/keyword_filters/ {print $2}' "$WORK/search-$db-$first.txt")
      b=$(awk '/keyword_filters/ {print $2}' "$WORK/search-$db-$last.txt")
      figure "search_${db}_keyword_filters_${last}_vs_${first}" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')" x
    fi
    echo "==> the case workers' queue on $db, $QUEUE_COUNT applications"
    ./target/release/bench-queue "$QUEUE_COUNT" $url
  done
  echo "==> sign-ins beside pages, and memory after 1 000 sign-ins"
  scripts/signin-load.sh | tee "$WORK/signin.txt" | grep -vE '^(page_|signin_)'
  grep -E '^(page_|signin_)' "$WORK/signin.txt" >>"$FIGURES"
fi
echo "==> figures"
cat "$FIGURES"
