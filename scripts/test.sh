#!/usr/bin/env bash
# Runs every test of SLB Planner on a fresh Debian machine with Rust, node/npm and root.
# Installs what is missing itself (PostgreSQL for the store tests; npm packages and Chromium for
# the web tests). Reads the shared fixtures from ../shared/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && [ -z "${SLB_TEST_POSTGRES_URL:-}" ]; then
  echo "==> installing PostgreSQL (for the store tests)"
  apt_install postgresql
fi

echo "==> formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked --features slb-engine/ts -- -D warnings

echo "==> Rust tests (engine parity, agent, store on SQLite and PostgreSQL, server, CLI)"
cargo test --workspace --locked --features slb-engine/ts

if [ -f scripts/web-test.sh ]; then
  echo "==> web UI tests"
  bash scripts/web-test.sh
fi
