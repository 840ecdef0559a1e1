#!/usr/bin/env bash
# Builds the libFuzzer target for the dialect parsers with clang (ASan + UBSan). Optional: the normal
# build uses g++ and does not build fuzzers. Usage: tests/fuzz/build.sh [OUT_DIR]; then run
#   OUT_DIR/dialects_fuzz -max_total_time=60 tests/fuzz/corpus
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/build-fuzz}"
mkdir -p "$out"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
  -I"$root/gateway/include" -I"$root/gateway/src" -I"$root/engine/include" -I"$root/engine/src" \
  "$root/tests/fuzz/dialects_fuzz.cpp" \
  "$root"/gateway/src/{json_strings,json_walk,messages_request,openai_request,openai_response,api_errors}.cpp \
  "$root"/engine/src/{json_escape,redactor}.cpp \
  $(pkg-config --cflags libhs) -lsimdjson -o "$out/dialects_fuzz"
echo "built $out/dialects_fuzz"
