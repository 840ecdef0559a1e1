#!/usr/bin/env bash
# ctest entry for the SDK end-to-end tests: installs the pinned SDKs (package-lock.json) and runs
# `node --test`. Exits 77 (ctest: skipped) when node or npm is not installed, or when the sluice binary
# has no gateway server to test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
  echo "node/npm not found: SDK end-to-end tests skipped"
  exit 77
fi
if [[ $# -ge 1 ]]; then
  export SLUICE_BIN="$1"
fi
# A sluice binary built without the gateway has nothing to drive: say so and skip.
bin="${SLUICE_BIN:-$here/../../build/sluice}"
commands="$("$bin" --help 2>&1 || true)"
if ! grep -qE '^ +gateway( |$)' <<< "$commands" || ! grep -qE '^ +upstream-sim( |$)' <<< "$commands"; then
  echo "$bin has no 'gateway run' / 'upstream-sim' yet: SDK end-to-end tests skipped"
  exit 77
fi
cd "$here"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
# One test file at a time where the flag exists (Node 20+); Debian 12's Node 18 runs them in parallel,
# which the tests allow (each starts its own processes on ports the OS picks).
concurrency=()
if node --test-concurrency=1 -e '' > /dev/null 2>&1; then
  concurrency=(--test-concurrency=1)
fi
exec node --test "${concurrency[@]}" ./*.test.mjs
