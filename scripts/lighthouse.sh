#!/usr/bin/env bash
# Lighthouse mobile scores of the release build, as a phone on a mobile network meets it.
#
#   scripts/lighthouse.sh            build the release site, seed the demo, measure every page
#   SKIP_BUILD=1 scripts/lighthouse.sh   measure the build that is there
#   scripts/lighthouse.sh home signin    only the pages named (see PAGES below)
#
# Lighthouse 12.2.3 from npm (newer ones need Node 22), installed on first use into
# .tools/lighthouse (LIGHTHOUSE_DIR to put it elsewhere), run in Debian's Chromium
# (CHROME_PATH, default /usr/bin/chromium) with its default mobile profile: simulated slow 4G
# and a 4× slower CPU. The server runs on a fresh SQLite database in a temporary directory,
# seeded with the demo, on a free port. Prints a table (page, the four category scores, largest
# contentful paint and total blocking time), what Lighthouse blames on each page below 95,
# then one line per page and category for machines: `lighthouse_<page>_performance 97`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

LIGHTHOUSE_VERSION=12.2.3
LH_DIR="${LIGHTHOUSE_DIR:-$TOOLS_DIR/lighthouse}"
LH="$LH_DIR/node_modules/.bin/lighthouse"
if [ ! -x "$LH" ] || [ "$("$LH" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
  echo "==> installing lighthouse@$LIGHTHOUSE_VERSION into $LH_DIR" >&2
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --no-save "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$CHROME_PATH" ] || { echo "Chromium is missing at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)" >&2; exit 1; }

TARGET="${CARGO_TARGET_DIR:-target}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$TARGET/site}"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building the release site" >&2
  build_release_site >&2
fi
SERVER="$TARGET/release/server"

WORK=$(mktemp -d /tmp/portal-lighthouse.XXXXXX)
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
export PORTAL_DATA_DIR="$WORK/data" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn
unset DATABASE_URL PORTAL_BASE_URL SMTP_HOST
"$SERVER" seed-demo >/dev/null
"$SERVER" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do http_ok "$BASE/readyz" && break; sleep 0.2; done
http_ok "$BASE/readyz" || { cat "$WORK/server.log" >&2; exit 1; }

# The first published vacancy the search lists, and the demo graduate's session cookie (the
# sign-in form posts to a server function; the portal takes the origin as its CSRF check).
VACANCY=$(node -e '
  fetch(process.argv[1] + "/vacancies").then(r => r.text()).then(html => {
    const m = html.match(/href="\/vacancies\/(\d+)"/); console.log(m ? m[1] : ""); });' "$BASE")
COOKIE=$(node -e '
  const [base, email, password] = process.argv.slice(1);
  fetch(base + "/api/login", { method: "POST", redirect: "manual",
    headers: { Origin: base, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }) })
  .then(r => { if (!r.ok) throw new Error("sign-in answered " + r.status);
    console.log(r.headers.getSetCookie().map(c => c.split(";")[0]).join("; ")); })
  .catch(e => { console.error(e.message); process.exit(1); });' "$BASE" graduate@leshan.example demo-graduate-2026)
node -e 'console.log(JSON.stringify({ Cookie: process.argv[1] }))' "$COOKIE" >"$WORK/headers.json"

# name path [signed-in]: every page a visitor reaches from the home page and the footer, each
# service's page (the forms that need an account, signed in), and the graduate's own home.
PAGES=(
  "home /"
  "vacancies /vacancies?q=%E4%BC%9A%E8%AE%A1"
  "traineeships /vacancies?kind=traineeship"
  "vacancy /vacancies/$VACANCY"
  "fairs /fairs"
  "training /training"
  "startup_loan /startup/loan signed-in"
  "startup_subsidy /startup/subsidy signed-in"
  "incubation /incubation"
  "flexible /flexible signed-in"
  "complaints /complaints"
  "complaint_status /complaints/status"
  "verify /verify"
  "signin /login"
  "signup /signup"
  "signup_employer /signup/employer"
  "graduate_home /my signed-in"
)
if [ $# -gt 0 ]; then
  wanted=" $* "
  for i in "${!PAGES[@]}"; do [[ "$wanted" == *" ${PAGES[$i]%% *} "* ]] || unset 'PAGES[i]'; done
  PAGES=("${PAGES[@]}")
fi
for entry in "${PAGES[@]}"; do
  read -r name path signed <<<"$entry"
  extra=()
  [ "${signed:-}" = signed-in ] && extra=(--extra-headers="$WORK/headers.json")
  echo "==> lighthouse $path" >&2
  "$LH" "$BASE$path" "${extra[@]}" --quiet --output=json --output-path="$WORK/$name.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>"$WORK/$name.log" \
    || { echo "lighthouse failed on $path:" >&2; tail -5 "$WORK/$name.log" >&2; }
done

node - "$WORK" "${PAGES[@]}" <<'EOF'
const fs = require("fs");
const [work, ...pages] = process.argv.slice(2);
const cats = ["performance", "accessibility", "best-practices", "seo"];
const rows = [], machine = [], blame = [];
for (const entry of pages) {
  const [name, path] = entry.split(" ");
  let r;
  try { r = JSON.parse(fs.readFileSync(`${work}/${name}.json`, "utf8")); } catch { rows.push([name, path, "failed"]); continue; }
  if (r.runtimeError || cats.some(c => r.categories[c]?.score == null)) {
    rows.push([name, path, `failed: ${r.runtimeError?.code ?? "no score"}`]);
    continue;
  }
  const score = c => Math.round((r.categories[c]?.score ?? 0) * 100);
  const ms = id => Math.round(r.audits[id]?.numericValue ?? NaN);
  rows.push([name, path, ...cats.map(score), ms("largest-contentful-paint"), ms("total-blocking-time")]);
  for (const c of cats) machine.push(`lighthouse_${name}_${c.replace("-", "_")} ${score(c)}`);
  machine.push(`lighthouse_${name}_lcp_ms ${ms("largest-contentful-paint")}`);
  if (cats.some(c => score(c) < 95)) {
    // What Lighthouse blames: opportunities by time saved, then any failed audit that counts.
    const audits = Object.values(r.audits);
    const opportunities = audits.filter(a => a.details?.type === "opportunity" && (a.details.overallSavingsMs ?? 0) >= 100)
      .sort((a, b) => b.details.overallSavingsMs - a.details.overallSavingsMs).slice(0, 4)
      .map(a => `${a.id} (${Math.round(a.details.overallSavingsMs)} ms)`);
    const weighted = new Set(cats.flatMap(c => (r.categories[c]?.auditRefs ?? []).filter(x => x.weight > 0).map(x => x.id)));
    const failed = audits.filter(a => weighted.has(a.id) && a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative")
      .map(a => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    blame.push(`${name}: ${[...opportunities, ...failed.filter(f => !opportunities.some(o => o.startsWith(f.split(" ")[0])))].join("; ")}`);
  }
}
const head = ["page", "path", "perf", "a11y", "best", "seo", "LCP ms", "TBT ms"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i] ?? "").length)));
const line = r => r.map((v, i) => String(v ?? "").padEnd(widths[i])).join("  ");
console.log(line(head));
for (const r of rows) console.log(line(r));
if (blame.length) { console.log("\nbelow 95, Lighthouse blames:"); for (const b of blame) console.log("  " + b); }
console.log("");
for (const m of machine) console.log(m);
EOF
