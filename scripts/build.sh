#!/usr/bin/env bash
# Configures (once) and builds everything with the release preset; leaves the
# server at build/xinghuo.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/release/build.ninja ]; then
  cmake --preset release >/dev/null
fi
cmake --build --preset release
ln -sfn release/xinghuo build/xinghuo
