#!/usr/bin/env bash
# `make run`: install what is missing, build, migrate data/xinghuo.db (loading
# the demo street when the database is new) and serve http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p data
exec build/xinghuo serve --data-dir data --demo "$@"
