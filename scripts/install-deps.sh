#!/usr/bin/env bash
# Installs Sluice's build and test dependencies from Debian 12's own packages.
# Idempotent: it asks dpkg first and only calls apt-get for what is missing, so a
# warm machine pays a few milliseconds. Nothing is downloaded outside apt and npm.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang libfuzzer-14-dev  # make sanitize, make fuzz (clang with its sanitizer runtimes, libFuzzer)
  libhyperscan-dev libsimdjson-dev libxsimd-dev libyaml-cpp-dev
  libboost-dev libboost-system-dev libboost-program-options-dev
  libssl-dev ca-certificates libsqlite3-dev libhiredis-dev redis-server libphonenumber-dev libpsl-dev publicsuffix
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libspdlog-dev libpcre2-dev
  nodejs npm
  nginx-light
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# node and npm may come from somewhere other than Debian's packages (a preinstalled toolchain):
# accept any working node >= 18 with npm instead of forcing Debian's.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
