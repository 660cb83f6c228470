#!/usr/bin/env bash
# Starts SLB Planner with zero configuration: the HTTP API and web UI on http://127.0.0.1:8000,
# an SQLite store in ./data and the built-in planner (no API key). Builds what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f web/package.json ]; then
  echo "==> building the web UI"
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
fi
echo "==> building slb (release)"
cargo build --release --locked -p slb-cli
exec ./target/release/slb serve "$@"
