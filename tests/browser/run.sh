#!/usr/bin/env bash
# ctest entry for the console's browser tests (label `browser`): headless Chromium from Debian's
# `chromium` package driven by puppeteer-core (pinned in package-lock.json; it never downloads a
# browser). Exits 77 (ctest: skipped) with the reason when node, the browser or the npm packages are
# missing. Usage: run.sh SLUICE_BINARY ARTIFACT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export SLUICE_BIN="${1:-$here/../../build/sluice}"
export SLUICE_BROWSER_ARTIFACTS="${2:-$here/../../build/browser-artifacts}"
chromium="${SLUICE_CHROMIUM:-/usr/bin/chromium}"
if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
  echo "browser tests skipped: node/npm not found (scripts/install-deps.sh installs them)"
  exit 77
fi
if [[ ! -x "$chromium" ]]; then
  echo "browser tests skipped: no Chromium at $chromium (scripts/install-deps.sh installs Debian's chromium)"
  exit 77
fi
cd "$here"
if [[ ! -d node_modules/puppeteer-core ]]; then
  # The lock file pins puppeteer-core; the npm cache answers when the machine is offline.
  export PUPPETEER_SKIP_DOWNLOAD=1
  npm ci --offline --no-audit --no-fund --loglevel=error > /dev/null 2>&1 ||
    npm ci --no-audit --no-fund --loglevel=error > /dev/null 2>&1 || true
fi
if [[ ! -d node_modules/puppeteer-core ]]; then
  echo "browser tests skipped: tests/browser/node_modules is missing and npm ci could not install puppeteer-core"
  exit 77
fi
mkdir -p "$SLUICE_BROWSER_ARTIFACTS"
concurrency=()
if node --test-concurrency=1 -e '' > /dev/null 2>&1; then
  concurrency=(--test-concurrency=1)
fi
node --test "${concurrency[@]}" ./*.test.mjs
echo "screenshots and timings: $SLUICE_BROWSER_ARTIFACTS"
