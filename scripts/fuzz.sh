#!/usr/bin/env bash
# `make fuzz FUZZ_SECONDS=N`: builds every libFuzzer target (tests/fuzz/*_fuzz.cpp) in build-asan (clang,
# ASan + UBSan, coverage counters in every library: the same build `make asan` tests) and runs each for
# N seconds, FUZZ_JOBS (default 2) at a time. Each target starts from a scratch copy of its checked-in
# corpus (tests/fuzz/corpus/<target>; what libFuzzer finds stays in build-asan/fuzz/<target>/corpus).
# A crash, leak, UB report, timeout (FUZZ_TIMEOUT s for one input) or out-of-memory fails the run, and the
# input that did it is printed: its path, a hexdump and base64, and the command that replays it.
# FUZZ_RUNS=N stops a target after N executions (for the long local runs of docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
parallel=${FUZZ_JOBS:-2}
per_input_timeout=${FUZZ_TIMEOUT:-30}
only=${FUZZ_TARGETS:-}  # space-separated target names (default: all)
runs=${FUZZ_RUNS:--1}  # stop a target after this many executions (default: only the time limit)
jobs=${JOBS:-$(nproc)}
build=build-asan
root=$PWD
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"

bash scripts/sanitize.sh configure-asan
targets=()
for src in tests/fuzz/*_fuzz.cpp; do
  name=$(basename "$src" _fuzz.cpp)
  if [ -z "$only" ] || [[ " $only " == *" $name "* ]]; then
    targets+=("$name")
  fi
done
cmake --build "$build" -j "$jobs" --target "${targets[@]/%/_fuzzer}"

# Leaks and UB abort the input (libFuzzer then saves it); reports name files and lines.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/sanitizers/ubsan.supp}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0}"

run_one() {  # target
  local name=$1 dir="$build/fuzz/$1"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # Targets load the shipped rules relative to the source root, as the replay tests do.
  "$build/tests/fuzz/${name}_fuzzer" -max_total_time="$seconds" -runs="$runs" -timeout="$per_input_timeout" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" "tests/fuzz/corpus/$name" > "$dir/log" 2>&1
}

report() {  # target: prints the failure and its reproducer
  local name=$1 dir="$build/fuzz/$1"
  echo "fuzz: $name FAILED; the end of its log ($dir/log):"
  tail -n 60 "$dir/log"
  for input in "$dir"/artifacts/*; do
    [ -f "$input" ] || continue
    echo "fuzz: $name reproducer: $input ($(stat -c %s "$input") bytes)"
    echo "--- hexdump (first 512 bytes)"
    head -c 512 "$input" | od -A x -t x1z -v
    echo "--- base64"
    base64 -w 100 "$input"
    echo "--- replay: $build/tests/fuzz/${name}_fuzzer $input   (or add it to tests/fuzz/corpus/$name/)"
  done
}

failed=()
pids=()
names=()
start_one() {
  run_one "$1" &
  pids+=($!)
  names+=("$1")
}
wait_all() {
  local i
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
      local dir="$build/fuzz/${names[$i]}"
      echo "fuzz: ${names[$i]} ok: $(grep -ho 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo '?') executions in $(grep -ho 'Done [0-9]* runs in [0-9]* second' "$dir/log" | grep -o '[0-9]* second' || echo "${seconds} second")s, corpus $(ls "$dir/corpus" | wc -l) new inputs"
    else
      failed+=("${names[$i]}")
      report "${names[$i]}"
    fi
  done
  pids=()
  names=()
}
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $parallel at a time: ${targets[*]}"
for name in "${targets[@]}"; do
  start_one "$name"
  if [ "${#pids[@]}" -ge "$parallel" ]; then
    wait_all
  fi
done
wait_all
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} of ${#targets[@]} targets ran ${seconds}s with no finding"
