#!/usr/bin/env bash
# Installs the Debian packages CareDesk needs to build, test and run, if missing (and fasttext,
# which `make bench` compares the triage classifier with; clang and its libFuzzer and sanitizer
# runtimes, which `make test-fuzz` and `make fuzz` build the harnesses with).
# Idempotent and quick when everything is there. Runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libboost-dev libsqlite3-dev libpqxx-dev libpq-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libcli11-dev libtomlplusplus-dev libsodium-dev libssl-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-dev
  postgresql postgresql-contrib sqlite3 wrk python3 fasttext
  chromium fonts-noto-cjk
  libxlsxwriter-dev libreoffice-calc-nogui python3-icalendar
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The web app is built with Vite, which needs Node.js 20.19 or newer. The
# machine's Node.js is used when new enough; otherwise Debian's nodejs + npm.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The postgresql package may start a system cluster; tests start their own and do not need it.
