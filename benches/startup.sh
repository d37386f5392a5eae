#!/usr/bin/env bash
# Prints the foundation's figures: time from `cargo run` (warm build) to the first /readyz 200,
# on a fresh data folder and on a reused one, and the home page's weight as sent.
#   bash benches/startup.sh           # warm figures
#   bash benches/startup.sh --cold    # also a cold `cargo build` in a scratch target folder
set -euo pipefail
cd "$(dirname "$0")/.."
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { print e - s }'; }
port=${PORT:-18080}
data=$(mktemp -d /tmp/avtomektep-bench-XXXXXX)
chmod 755 "$data"
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT

if [ "${1:-}" = "--cold" ]; then
  scratch=$(mktemp -d /tmp/avtomektep-cold-XXXXXX)
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$scratch" cargo build --quiet
  printf 'cold build (cargo build, empty target dir): %.1f s\n' "$(elapsed "$start")"
  rm -rf "$scratch"
fi

cargo build --quiet

to_ready() {
  local label=$1 start
  start=$(date +%s.%N)
  AVTOMEKTEP_DATA_DIR="$data" AVTOMEKTEP_BIND="127.0.0.1:$port" RUST_LOG=warn \
    cargo run --quiet >"$data.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$data.log"; exit 1; }
    sleep 0.02
  done
  printf '%s: cargo run → first /readyz 200 in %.2f s\n' "$label" "$(elapsed "$start")"
}

to_ready "fresh data folder (initdb)"
sent() { curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "http://127.0.0.1:$port$1"; }
home=$(sent /)
css_path=$(curl -s "http://127.0.0.1:$port/" | grep -o '/static/site.css?v=[0-9a-f]*')
css=$(sent "$css_path")
plain=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/")
echo "home page as sent: HTML $home B + CSS $css B = $((home + css)) B (HTML uncompressed: $plain B; limit 40960 B)"
kill -TERM "$pid"; wait "$pid"
to_ready "reused data folder"
kill -TERM "$pid"; wait "$pid"
rm -f "$data.log"
