#!/usr/bin/env bash
# Three `sluice gateway run` processes on one private redis-server (a free loopback port, a temp
# directory), as three replicas behind a load balancer:
#   1. concurrent load spread over the three never passes a key's hard budget in total;
#   2. one replica killed with SIGKILL: the other two keep the fleet's rate limit (the bucket the dead
#      one drew from stays drawn);
#   3. each replica wrote its own audit chain (<audit dir>/<replica id>/); `sluice audit verify` on the
#      parent checks the three, and after one record is edited it names the broken replica;
#   4. Redis killed (SIGKILL) mid-run and restarted from its append-only file: limited keys get 503
#      naming the store and /readyz goes 503 meanwhile, keys without limits keep working, and once it is
#      back every admitted request is in the fleet's usage.
# Usage: fleet_processes.sh SLUICE_BINARY. Exits 77 (skipped) when redis-server or curl is missing.
set -euo pipefail
sluice="$1"
if ! command -v redis-server > /dev/null 2>&1 || ! command -v redis-cli > /dev/null 2>&1; then
  echo "redis-server is not installed (scripts/install-deps.sh installs Debian's): skipped"
  exit 77
fi
if ! command -v curl > /dev/null 2>&1; then
  echo "curl is not installed: skipped"
  exit 77
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-fleet-XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -9 "$pid" 2> /dev/null || true
  done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

# A private Redis on a free port (a few tries: the port is picked before it is bound).
redis_port=""
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes --appendfsync always \
    --logfile "$work/redis.log" --daemonize no &
  rpid=$!
  for _ in $(seq 60); do
    if redis-cli -p "$port" ping > /dev/null 2>&1; then
      redis_port="$port"
      break
    fi
    kill -0 "$rpid" 2> /dev/null || break
    sleep 0.05
  done
  if [[ -n "$redis_port" ]]; then
    pids+=("$rpid")
    break
  fi
  kill -9 "$rpid" 2> /dev/null || true
done
[[ -n "$redis_port" ]] || fail "redis-server did not start: $(cat "$work/redis.log" 2> /dev/null)"

# Waits for "<pattern><port>" in a log and prints the port.
port_from_log() {
  local log="$1" pattern="$2"
  for _ in $(seq 200); do
    if grep -qE "$pattern" "$log" 2> /dev/null; then
      grep -oE "$pattern" "$log" | head -1 | grep -oE '[0-9]+$'
      return 0
    fi
    sleep 0.05
  done
  cat "$log" >&2
  return 1
}

"$sluice" upstream-sim --port 0 2> "$work/sim.log" &
pids+=($!)
sim_port="$(port_from_log "$work/sim.log" 'listening on http://127.0.0.1:[0-9]+')" || fail "the simulator did not start"

export SLUICE_FLEET_UPSTREAM_KEY="test-upstream-key"
export SLUICE_FLEET_ADMIN_TOKEN="fleet-process-admin-token-0123456789"
gateway_ports=()
admin_ports=()
gateway_pids=()
for replica in a b c; do
  cat > "$work/$replica.yaml" << EOF
providers:
  targets:
    - id: sim
      provider: anthropic:chat:claude-sim-1
      base_url: http://127.0.0.1:$sim_port
      secret_key_ref:
        env: SLUICE_FLEET_UPSTREAM_KEY
governance:
  require_keys: true
  store: redis://127.0.0.1:$redis_port/0
  replica_id: replica-$replica
  usage_flush_interval_ms: 50
  audit:
    directory: $work/audit
  admin:
    listen: 127.0.0.1:0
    token_env: SLUICE_FLEET_ADMIN_TOKEN
EOF
  "$sluice" gateway run --policy-config "$work/$replica.yaml" --listen 127.0.0.1:0 --threads 2 \
    2> "$work/$replica.log" &
  gateway_pids+=($!)
  pids+=($!)
  gateway_ports+=("$(port_from_log "$work/$replica.log" 'listening on 127.0.0.1:[0-9]+')") || fail "replica $replica did not start"
  admin_ports+=("$(port_from_log "$work/$replica.log" 'admin API listening on port [0-9]+')") || fail "replica $replica has no admin API"
done

admin() {  # admin PORT METHOD PATH [BODY]
  curl -s -X "$2" -H "authorization: Bearer $SLUICE_FLEET_ADMIN_TOKEN" -H 'content-type: application/json' \
    ${4:+--data "$4"} "http://127.0.0.1:$1$3"
}
field() { sed -E "s/.*\"$1\":\"([^\"]*)\".*/\1/"; }
# The simulator answers with 400 characters (about 160 tokens used of the ~630 reserved): a budget of 40
# reservations runs out within 200 requests once settlements give back the difference.
body="{\"model\":\"claude-sim-1\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"SIM_REPLY=$(printf 'a%.0s' $(seq 400))\"}]}"
# Sends N requests with SECRET, spread round-robin over the replicas PORTS..., 12 at a time; prints
# one status per line.
load() {
  local n="$1" secret="$2"
  shift 2
  local ports=("$@")
  for i in $(seq 0 $((n - 1))); do
    echo "${ports[$((i % ${#ports[@]}))]}"
  done | xargs -P 12 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "x-api-key: $secret" \
    -H 'content-type: application/json' --data "$body" "http://127.0.0.1:{}/v1/messages"
}
# Waits until every live replica's admin API knows key ID.
live_admin_ports=("${admin_ports[@]}")
wait_known() {
  for port in "${live_admin_ports[@]}"; do
    for _ in $(seq 100); do
      [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $SLUICE_FLEET_ADMIN_TOKEN" \
        "http://127.0.0.1:$port/admin/keys/$1")" == 200 ]] && break
      sleep 0.02
    done
  done
}

# 1. A hard budget that holds 40 requests' reservations, 200 requests over three processes.
reservation=$(( ${#body} + 64 ))
budget=$(( 40 * reservation ))
created="$(admin "${admin_ports[0]}" POST /admin/keys "{\"name\":\"budget\",\"limits\":{\"monthly_token_budget\":$budget}}")"
budget_id="$(field id <<< "$created")"
budget_secret="$(field secret <<< "$created")"
wait_known "$budget_id"
statuses="$(load 200 "$budget_secret" "${gateway_ports[@]}")"
admitted="$(grep -c '^200$' <<< "$statuses" || true)"
refused="$(grep -c '^429$' <<< "$statuses" || true)"
[[ $((admitted + refused)) -eq 200 ]] || fail "budget: expected 200 answers of 200 or 429, got: $(sort <<< "$statuses" | uniq -c | tr '\n' ' ')"
[[ "$admitted" -ge 40 ]] || fail "budget: only $admitted admitted; the budget holds at least 40"
[[ "$refused" -gt 0 ]] || fail "budget: the budget never ran out"
sleep 0.3
usage="$(admin "${admin_ports[1]}" GET '/admin/usage?group_by=key')"
row="$(grep -oE "\"group\":\"$budget_id\"[^}]*" <<< "$usage")"
used=$(( $(grep -oE '"input_tokens":[0-9]+' <<< "$row" | grep -oE '[0-9]+') + $(grep -oE '"output_tokens":[0-9]+' <<< "$row" | grep -oE '[0-9]+') ))
requests="$(grep -oE '"requests":[0-9]+' <<< "$row" | grep -oE '[0-9]+')"
[[ "$requests" -eq "$admitted" ]] || fail "budget: the fleet's usage has $requests requests, $admitted were admitted"
[[ "$used" -le "$budget" ]] || fail "budget: the fleet used $used tokens of a hard budget of $budget"
echo "ok: hard budget $budget held by three processes: $admitted admitted, $used tokens used"

# 3. Three audit chains, one per replica id, all three intact.
for port in "${admin_ports[@]}"; do
  admin "$port" POST /admin/keys '{"name":"audited"}' > /dev/null  # a key event in each replica's chain
done
sleep 1.2  # the audit writers flush
for replica in a b c; do
  [[ -d "$work/audit/replica-$replica" ]] || fail "audit: no chain for replica-$replica"
done
"$sluice" audit verify "$work/audit" > "$work/verify.out" || fail "audit: verify failed: $(cat "$work/verify.out")"
grep -q "all 3 chains verified" "$work/verify.out" || fail "audit: $(cat "$work/verify.out")"
echo "ok: three audit chains verified"

# 2. A rate limit of 30 per minute; one replica SIGKILLed after the first burst.
created="$(admin "${admin_ports[0]}" POST /admin/keys '{"name":"rate","limits":{"requests_per_minute":30}}')"
rate_id="$(field id <<< "$created")"
rate_secret="$(field secret <<< "$created")"
wait_known "$rate_id"
start=$(date +%s)
first="$(load 18 "$rate_secret" "${gateway_ports[@]}" | grep -c '^200$' || true)"
kill -9 "${gateway_pids[2]}"
live_admin_ports=("${admin_ports[0]}" "${admin_ports[1]}")
second="$(load 60 "$rate_secret" "${gateway_ports[0]}" "${gateway_ports[1]}")"
elapsed=$(( $(date +%s) - start + 1 ))
second_ok="$(grep -c '^200$' <<< "$second" || true)"
total=$((first + second_ok))
# The bucket holds 30 and refills at 30 a minute: at most one more per two seconds of the test.
limit=$(( 30 + elapsed / 2 + 1 ))
[[ "$total" -ge 30 && "$total" -le "$limit" ]] || fail "rate: $total admitted in ${elapsed}s (bucket 30, at most $limit)"
[[ "$(grep -vc '^\(200\|429\)$' <<< "$second" || true)" -eq 0 ]] || fail "rate: unexpected answers: $(sort <<< "$second" | uniq -c | tr '\n' ' ')"
echo "ok: rate limit 30/min held with a replica killed: $first + $second_ok admitted"

# 3. (continued) an edited record is found and its replica named.
file="$(ls "$work"/audit/replica-a/audit-*.jsonl | head -1)"
sed -i '1s/"seq":1,/"seq":1,"edited":true,/' "$file"
if "$sluice" audit verify "$work/audit" > "$work/verify.out"; then
  fail "audit: an edited record was not found"
fi
grep -q "replica-a: FAILED" "$work/verify.out" || fail "audit: the broken chain is not named: $(cat "$work/verify.out")"
grep -q "1 of 3 chains broken" "$work/verify.out" || fail "audit: $(cat "$work/verify.out")"
echo "ok: the edited audit chain named"

# 4. Redis killed mid-run and restarted; the two surviving replicas.
created="$(admin "${admin_ports[0]}" POST /admin/keys '{"name":"limited","limits":{"requests_per_minute":100000,"monthly_token_budget":100000000}}')"
limited_id="$(field id <<< "$created")"
limited_secret="$(field secret <<< "$created")"
created="$(admin "${admin_ports[0]}" POST /admin/keys '{"name":"unlimited"}')"
open_id="$(field id <<< "$created")"
open_secret="$(field secret <<< "$created")"
wait_known "$limited_id"
wait_known "$open_id"
alive=("${gateway_ports[0]}" "${gateway_ports[1]}")
limited_ok=0
open_ok=0
count_ok() { grep -c '^200$' || true; }
limited_ok=$((limited_ok + $(load 10 "$limited_secret" "${alive[@]}" | count_ok)))
open_ok=$((open_ok + $(load 10 "$open_secret" "${alive[@]}" | count_ok)))
sleep 0.2
kill -9 "${pids[0]}"
wait "${pids[0]}" 2> /dev/null || true
sleep 0.2
during="$(load 10 "$limited_secret" "${alive[@]}")"
limited_ok=$((limited_ok + $(count_ok <<< "$during")))
[[ "$(grep -c '^503$' <<< "$during" || true)" -ge 8 ]] || fail "redis down: limited key answers $(sort <<< "$during" | uniq -c | tr '\n' ' ')"
refusal="$(curl -s -H "x-api-key: $limited_secret" -H 'content-type: application/json' --data "$body" \
  "http://127.0.0.1:${alive[0]}/v1/messages")"
grep -q "cannot be reached" <<< "$refusal" || fail "redis down: the refusal does not name the store: $refusal"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${alive[1]}/readyz")" == 503 ]] || fail "redis down: /readyz still ready"
open_during="$(load 10 "$open_secret" "${alive[@]}")"
open_ok=$((open_ok + $(count_ok <<< "$open_during")))
[[ "$(count_ok <<< "$open_during")" -eq 10 ]] || fail "redis down: a key without limits was refused: $(sort <<< "$open_during" | uniq -c | tr '\n' ' ')"
sleep 0.3  # failed usage writes: the batches are kept

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes --appendfsync always \
  --logfile "$work/redis.log" --daemonize no &
pids[0]=$!
for _ in $(seq 100); do
  ready=1
  for port in "${alive[@]}"; do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" == 200 ]] || ready=0
  done
  [[ "$ready" -eq 1 ]] && break
  sleep 0.05
done
[[ "$ready" -eq 1 ]] || fail "redis back: the replicas did not become ready"
limited_ok=$((limited_ok + $(load 10 "$limited_secret" "${alive[@]}" | count_ok)))
open_ok=$((open_ok + $(load 10 "$open_secret" "${alive[@]}" | count_ok)))
sleep 0.5
usage="$(admin "${admin_ports[0]}" GET '/admin/usage?group_by=key')"
requests_of() { grep -oE "\"group\":\"$1\"[^}]*" <<< "$usage" | grep -oE '"requests":[0-9]+' | grep -oE '[0-9]+' || echo 0; }
[[ "$(requests_of "$limited_id")" -eq "$limited_ok" ]] || fail "redis back: limited key usage $(requests_of "$limited_id"), admitted $limited_ok"
[[ "$(requests_of "$open_id")" -eq "$open_ok" ]] || fail "redis back: unlimited key usage $(requests_of "$open_id"), admitted $open_ok"
echo "ok: Redis killed and restarted: 503 and not ready meanwhile, then $limited_ok + $open_ok admitted requests all counted"
