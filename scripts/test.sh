#!/usr/bin/env bash
# Runs every test of SLB Planner on a fresh Debian machine with Rust, node/npm and root.
# Installs what is missing itself. Reads the shared fixtures from ../shared/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> Rust tests"
cargo test --workspace --locked
