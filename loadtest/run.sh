#!/usr/bin/env bash
# Load test: POST /v1/exec of `echo hi` against a release build on 127.0.0.1 only.
# Bounded: two runs of DURATION seconds each (8 and 64 connections). Prints requests/s, p50/p99
# and the server's resident memory idle and under load.
#
#   loadtest/run.sh            # 10 s per run
#   DURATION=5 loadtest/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet
PORT=${PORT:-18555}
export SHELLWISE_TOKEN="loadtest-$RANDOM$RANDOM"
STATE=$(mktemp -d)
SHELLWISE__SERVER__BIND="127.0.0.1:$PORT" SHELLWISE__TELEMETRY__LOG_LEVEL=warn \
SHELLWISE__EXEC__MAX_CONCURRENT=${MAX_CONCURRENT:-64} \
  ./target/release/shellwise serve > "$STATE/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$STATE"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$SERVER/status"; }
echo "idle_rss_kib=$(rss)"
for c in 8 64; do
  threads=2; [ "$c" -lt 2 ] && threads=1
  out=$(wrk -t$threads -c$c -d${DURATION}s -s loadtest/exec.lua "http://127.0.0.1:$PORT/v1/exec" &
        sleep $((DURATION / 2)); echo "under_load_rss_kib=$(rss)" >&2; wait)
  echo "connections=$c $(echo "$out" | grep p50_ms)"
done
echo "peak_rss_kib=$(hwm)"
echo "after_rss_kib=$(rss)"
