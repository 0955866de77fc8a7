#!/usr/bin/env bash
# Installs every Debian package the build, the tests (the browser tests too)
# and the benchmarks need.
# Idempotent: installs only what is missing, and runs `apt-get update` at most once.
# Works as root, or through sudo for an ordinary user.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-contrib
  libsodium-dev libssl-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev
  libqrencode-dev libxlsxwriter-dev libzip-dev libexpat1-dev zlib1g-dev brotli
  libturbojpeg0-dev libpng-dev libwebp-dev libcurl4-openssl-dev
  libpango1.0-dev libcairo2-dev poppler-utils
  libical-dev python3-icalendar
  wrk curl procps python3
  chromium fonts-noto-cjk
)
# Node.js and npm build the web app: Debian's, only when there is no node on the PATH.
if ! command -v node >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
