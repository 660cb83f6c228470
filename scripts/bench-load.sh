#!/usr/bin/env bash
# Load benchmark of POST /api/runs on loopback: a release `slb serve` on a fresh SQLite store
# with the built-in planner, driven by wrk (1 thread × 8 connections × 10 s by default) with
# ../shared/fixtures/bench/request_100.json. Prints throughput, p50/p99 latency, errors and the
# server's peak RSS. Bounded in time; talks only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

BODY=${1:-../shared/fixtures/bench/request_100.json}
DURATION=${SLB_BENCH_DURATION:-10s}
CONNECTIONS=${SLB_BENCH_CONNECTIONS:-8}
# SLB_BIN measures another build (e.g. an older release) instead of building this one.
BIN=${SLB_BIN:-./target/release/slb}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
[ -n "${SLB_BIN:-}" ] || cargo build --release --locked -p slb-cli

data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
# One client (wrk) sends everything, far above the per-client rate limit a team server wants:
# the benchmark measures capacity, so that limit is off. RUST_LOG=info logs every request.
SLB_RATE_LIMIT=0 RUST_LOG=${RUST_LOG:-warn} "$BIN" serve --port 0 --data-dir "$data" \
  >"$data/out" 2>"$data/err" &
pid=$!
for _ in $(seq 100); do
  grep -q SLB_LISTENING "$data/out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/^SLB_LISTENING //p' "$data/out")
[ -n "$url" ] || { echo "server did not start"; cat "$data/err"; exit 1; }

echo "POST $url/api/runs with $BODY, 1 thread x $CONNECTIONS connections x $DURATION"
SLB_BENCH_BODY="$BODY" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s -s bench/post_run.lua "$url" | sed -n '/^requests:/,$p'
echo "peak RSS:   $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)"
echo "stored:     $(curl -s "$url/api/runs?limit=100" | grep -o '"run_id"' | wc -l) runs visible in the first page (limit 100)"
