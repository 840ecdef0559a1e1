#!/usr/bin/env bash
# End-to-end `sluice scan` throughput and peak memory on a large file, next to the in-process
# single-core scan of the same text (scan_bench's BM_engine_scan_licences):
#   [ROUNDS=2] bench/scan_end_to_end.sh [BUILD_DIR] [MB]
# Writes a MB-megabyte prose file (the licence texts in /usr/share/common-licenses, concatenated until
# it is that large) and a JSONL file of ~4 KiB records of the same text under $TMPDIR (default /tmp),
# then times `sluice scan --format text` on each with --jobs 1 and with --jobs N (N = cores), peak RSS
# from /usr/bin/time -v. Runs are interleaved (text j1, text jN, jsonl j1, jsonl jN, twice) so load from
# others falls on both sides alike; the load average is printed with the results.
set -euo pipefail
build=${1:-build}
mb=${2:-300}
tmp=${TMPDIR:-/tmp}/sluice-scan-bench
mkdir -p "$tmp"
cores=$(nproc)
text="$tmp/prose-${mb}MB.txt"
jsonl="$tmp/prose-${mb}MB.jsonl"
if [[ ! -s $text || ! -s $jsonl ]]; then
  python3 - "$text" "$jsonl" "$mb" <<'PY'
import glob, json, os, sys
text_path, jsonl_path, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(f for f in glob.glob('/usr/share/common-licenses/*') if os.path.isfile(f))
blob = ''.join(open(f, encoding='utf-8', errors='replace').read() for f in files)
target = mb * 1000 * 1000
with open(text_path, 'w') as out:
    n = 0
    while n < target:
        out.write(blob); n += len(blob.encode())
with open(jsonl_path, 'w') as out:
    n = i = pos = 0
    while n < target:
        piece = blob[pos:pos + 4000]
        if len(piece) < 4000:
            pos = 0
            continue
        pos += 4000
        line = json.dumps({"id": i, "text": piece}) + "\n"
        out.write(line); n += len(line); i += 1
PY
fi
run() {  # run NAME FILE JOBS: wall seconds, GB/s, CPU seconds (user + sys), GB per CPU second, peak RSS
  local name=$1 file=$2 jobs=$3 log
  log=$(mktemp)
  /usr/bin/time -v "$build/sluice" scan --no-progress --format text --jobs "$jobs" "$file" >/dev/null 2>"$log" || true
  local secs rss bytes cpu
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
  bytes=$(stat -c %s "$file")
  printf '%-6s jobs=%-2s %6.2f s  %5.3f GB/s  cpu %6.2f s  %5.3f GB/cpu-s  peak RSS %4s MB\n' "$name" "$jobs" \
    "$secs" "$(awk -v b="$bytes" -v s="$secs" 'BEGIN {print b / s / 1e9}')" "$cpu" \
    "$(awk -v b="$bytes" -v s="$cpu" 'BEGIN {print b / s / 1e9}')" "$rss"
  rm -f "$log"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $cores"
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  run text "$text" 1
  run text "$text" "$cores"
  run jsonl "$jsonl" 1
  run jsonl "$jsonl" "$cores"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -x $build/bench/scan_bench ]]; then
  "$build/bench/scan_bench" --benchmark_filter='engine_scan_licences' --benchmark_min_time=2 2>/dev/null | grep -E 'BM_|^-'
fi
