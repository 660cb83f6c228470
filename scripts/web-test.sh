#!/usr/bin/env bash
# Builds and tests the web UI on a fresh Debian machine: installs Debian's chromium and the npm
# dependencies when missing, builds web/dist, runs the component tests (vitest), then the
# end-to-end tests in a real browser against the real `slb serve` (target/debug/slb, built here
# unless SLB_BIN names another binary). Screenshots land in web/e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "==> installing npm dependencies"
  npm --prefix web ci --no-audit --no-fund
fi

echo "==> building the web UI"
npm --prefix web run build

echo "==> web component tests"
npm --prefix web test

if [ -z "${SLB_BIN:-}" ]; then
  echo "==> building slb"
  cargo build --locked -p slb-cli
fi

echo "==> web end-to-end tests"
npm --prefix web run e2e
