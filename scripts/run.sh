#!/usr/bin/env bash
# Starts SLB Planner with zero configuration (built-in planner, no API key).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p slb-cli
exec ./target/release/slb evaluate --spec examples/demo_spec.json "$@"
