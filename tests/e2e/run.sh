#!/usr/bin/env bash
# ctest entry for the SDK end-to-end tests: installs the pinned SDKs (package-lock.json) and runs
# `node --test`. Exits 77 (ctest: skipped) only when node or npm is not installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
  echo "node/npm not found: SDK end-to-end tests skipped"
  exit 77
fi
if [[ $# -ge 1 ]]; then
  export SLUICE_BIN="$1"
fi
cd "$here"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
exec node --test --test-concurrency=1 ./*.test.mjs
