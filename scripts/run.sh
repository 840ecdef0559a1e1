#!/usr/bin/env bash
# `make run`: the gateway on examples/gateway.yaml at 127.0.0.1:41002. Without ANTHROPIC_API_KEY the
# local upstream simulator is started too and used as the upstream (said on the first line). Runs
# until Ctrl-C; then both processes are stopped.
set -euo pipefail
build=${1:-build}
listen=${SLUICE_LISTEN:-127.0.0.1:41002}
config=${SLUICE_CONFIG:-examples/gateway.yaml}
sim_pid=""
upstream=()
if [ -z "${ANTHROPIC_API_KEY:-}" ]; then
  sim_port=${SLUICE_SIM_PORT:-41010}
  echo "ANTHROPIC_API_KEY is not set: using the local upstream simulator on 127.0.0.1:$sim_port (no real model)"
  "$build/sluice" upstream-sim --port "$sim_port" --tokens-per-second 200 &
  sim_pid=$!
  export ANTHROPIC_API_KEY=simulator-key
  upstream=(--upstream "http://127.0.0.1:$sim_port")
else
  echo "Using the Anthropic API with ANTHROPIC_API_KEY from the environment"
fi
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
echo "Gateway on http://$listen  (try: curl -s http://$listen/v1/messages -H 'content-type: application/json' \\"
echo "  -d '{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"mail me at jane@example.com\"}]}')"
echo "OpenAI clients: base URL http://$listen/v1 (POST /v1/chat/completions)"
"$build/sluice" gateway run --listen "$listen" --policy-config "$config" "${upstream[@]}"
