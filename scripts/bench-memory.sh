#!/usr/bin/env bash
# Memory under abuse: a release `slb serve` (fresh SQLite store, built-in planner, default
# limits) takes N concurrent maximum-size POST /api/runs (default 64 × a body just under the
# 16 MiB limit, 100,000 assets), then N concurrent listings. Prints the answers by status, the
# time taken and the server's peak RSS (VmHWM). Bounded in time; talks only to 127.0.0.1.
#
#   bash scripts/bench-memory.sh            # 64 concurrent
#   SLB_BENCH_CONCURRENCY=16 bash scripts/bench-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${SLB_BENCH_CONCURRENCY:-64}
# SLB_BIN measures another build (e.g. an older release) instead of building this one.
BIN=${SLB_BIN:-./target/release/slb}

[ -n "${SLB_BIN:-}" ] || cargo build --release --locked -p slb-cli

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A request just under the body limit: 100,000 assets (the default SLB_MAX_ASSETS), padded.
python3 - "$work/request.json" <<'EOF'
import json, sys
limit = 16 * 1024 * 1024
types = ["store", "distribution_center", "office", "mixed_use", "other"]
assets = []
for i in range(100_000):
    assets.append({
        "asset_id": f"A{i:06d}", "asset_type": types[i % 5], "market": f"City {i % 97}, TX",
        "noi": 100_000 + (i * 7919) % 900_000, "book_value": 2_000_000 + (i * 104_729) % 9_000_000,
        "criticality": (i % 10) / 10, "leaseability_score": ((i * 3) % 10) / 10,
        "name": "",
    })
body = {
    "assets": assets,
    "corporate_state": {"net_debt": 2.0e10, "ebitda": 4.0e9, "interest_expense": 8.0e8},
    "program_type": "slb",
    "program_description": "Raise $500M from stores and offices, keep leverage under 4x",
}
text = json.dumps(body, separators=(",", ":"))
pad = (limit - 1024 - len(text)) // len(assets)
for a in assets:
    a["name"] = "n" * max(pad, 0)
text = json.dumps(body, separators=(",", ":"))
assert len(text) < limit, len(text)
open(sys.argv[1], "w").write(text)
print(f"request: {len(text):,} bytes, {len(assets):,} assets")
EOF

# One client sends everything here: no per-client rate limit.
SLB_RATE_LIMIT=0 RUST_LOG=warn "$BIN" serve --port 0 --data-dir "$work/data" \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do
  grep -q SLB_LISTENING "$work/out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/^SLB_LISTENING //p' "$work/out")
[ -n "$url" ] || { echo "server did not start"; cat "$work/err"; exit 1; }
echo "idle RSS:   $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)"

start=$(date +%s.%N)
seq "$CONCURRENCY" | xargs -P "$CONCURRENCY" -I{} \
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 \
    -H 'content-type: application/json' --data-binary @"$work/request.json" "$url/api/runs" \
  >"$work/codes" || true
end=$(date +%s.%N)
echo "POST:       $CONCURRENCY concurrent maximum-size runs in $(echo "$end - $start" | bc) s: $(sort "$work/codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
echo "peak RSS:   $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status) after the POSTs"

seq "$CONCURRENCY" | xargs -P "$CONCURRENCY" -I{} \
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 "$url/api/runs?limit=100" >"$work/codes" || true
echo "GET list:   $CONCURRENCY concurrent listings of 100: $(sort "$work/codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
echo "peak RSS:   $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status) overall"
echo "now RSS:    $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)"
