#!/usr/bin/env bash
# `make run`: the main job. Scans a sample prompt with the full default catalog and prints the findings
# and the redacted text.
set -euo pipefail
build=${1:-build}
"$build/sluice" scan --pretty examples/sample-prompt.txt
"$build/sluice" scan --format text examples/sample-prompt.txt
