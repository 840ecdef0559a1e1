#!/usr/bin/env bash
# `make test`: every test, through ctest.
set -euo pipefail
build=${1:-build}
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
