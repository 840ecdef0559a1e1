#!/usr/bin/env bash
# `make sanitize` (both steps), `make asan`, `make tsan`: the tests under the sanitizers, each in a build
# directory of its own (clang, ccache, no benchmarks). docs/testing.md says what each covers and costs.
#   asan: build-asan, AddressSanitizer + UBSan (+ libFuzzer coverage counters, so `make fuzz` reuses the
#         same objects): every ctest test.
#   tsan: build-tsan, ThreadSanitizer: the tests labelled gateway (ctest -L gateway): gateway_tests (the
#         gateway, governance and streaming tests) and recorded_exchanges (the real `sluice` binary serving
#         64 recorded requests). The engine and replay tests run no threads of the gateway's.
# Any report fails the test it happened in: ASan and TSan exit non-zero, UBSan aborts.
set -euo pipefail
cd "$(dirname "$0")/.."
step=${1:?usage: sanitize.sh asan|tsan}
jobs=${JOBS:-$(nproc)}
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
root=$PWD
# Sanitizer reports name the file and line; suppressions (none today) live in scripts/sanitizers/.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/sanitizers/ubsan.supp}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1:suppressions=$root/scripts/sanitizers/tsan.supp}"

configure() {  # dir, cmake options...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DSLUICE_BUILD_BENCH=OFF "$@" > "$dir.configure.log" 2>&1 \
    || (cat "$dir.configure.log"; exit 1)
}

case "$step" in
  configure-asan)  # for scripts/fuzz.sh
    configure build-asan -DSLUICE_ASAN=ON -DSLUICE_FUZZ=ON
    ;;
  asan)
    configure build-asan -DSLUICE_ASAN=ON -DSLUICE_FUZZ=ON
    cmake --build build-asan -j "$jobs"
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 1200
    ;;
  tsan)
    configure build-tsan -DSLUICE_TSAN=ON
    cmake --build build-tsan -j "$jobs" --target gateway_tests sluice
    ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 1200 -L gateway
    ;;
  *)
    echo "sanitize.sh: unknown step $step (asan or tsan)" >&2
    exit 2
    ;;
esac
