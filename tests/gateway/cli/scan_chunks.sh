#!/usr/bin/env bash
# `sluice scan` end to end: a text scanned in 4 KiB chunks on two threads redacts byte for byte as one
# whole-text scan does (tag and numbered placeholders), its parts' findings are the whole text's, and
# JSONL gives the same records whatever the jobs and batch size.
#   scan_chunks.sh SLUICE CACHE_DIR   (run from the source root)
set -euo pipefail
sluice=$1
cache=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# About 1.5 MB of text dense with entities of every kind: the PII corpora, concatenated.
for _ in 1 2 3; do cat corpora/pii/*.jsonl; done > "$tmp/text.txt"
scan() { "$sluice" scan --no-progress --cache-dir "$cache" "$@"; }
whole=(--chunk-bytes 1073741824 --jobs 1)
parts=(--chunk-bytes 4096 --jobs 2)
fail=0
for style in tag numbered; do
  scan --input text --format text --redaction "$style" "${whole[@]}" "$tmp/text.txt" > "$tmp/whole.$style"
  scan --input text --format text --redaction "$style" "${parts[@]}" "$tmp/text.txt" > "$tmp/parts.$style"
  if ! cmp -s "$tmp/whole.$style" "$tmp/parts.$style"; then
    echo "FAIL: chunked --format text --redaction $style differs from the whole-text scan"; fail=1
  fi
done
# JSON output: the parts' findings, in order, are the whole text's (the writer formats numbered
# placeholders, the workers tag ones).
for style in tag numbered; do
  scan --input text --redaction "$style" "${whole[@]}" "$tmp/text.txt" | grep -o '{"type":[^}]*}' > "$tmp/whole.findings"
  scan --input text --redaction "$style" "${parts[@]}" "$tmp/text.txt" > "$tmp/parts.jsonl"
  grep -o '{"type":[^}]*}' "$tmp/parts.jsonl" > "$tmp/parts.findings"
  if [[ ! -s $tmp/whole.findings ]] || ! cmp -s "$tmp/whole.findings" "$tmp/parts.findings"; then
    echo "FAIL: the parts' findings differ from the whole text's ($style)"; fail=1
  fi
done
if ! tail -n 1 "$tmp/parts.jsonl" | grep -q '"summary":{"parts":'; then
  echo "FAIL: no summary record after the parts"; fail=1
fi
# JSONL: records identical whatever the jobs and batch size.
scan --jobs 1 corpora/pii/email.jsonl corpora/injection/attacks.jsonl > "$tmp/one.jsonl"
scan --jobs 2 --chunk-bytes 4096 corpora/pii/email.jsonl corpora/injection/attacks.jsonl > "$tmp/two.jsonl"
if ! cmp -s "$tmp/one.jsonl" "$tmp/two.jsonl"; then
  echo "FAIL: JSONL records depend on --jobs/--chunk-bytes"; fail=1
fi
[[ $fail == 0 ]] && echo "ok: $(wc -c < "$tmp/text.txt") bytes in $(grep -c '"part"' "$tmp/parts.jsonl") parts"
exit $fail
