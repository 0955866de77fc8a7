#!/usr/bin/env bash
# `make test`: install what is missing, build, start a throwaway PostgreSQL,
# and run every test (the API suite runs once on SQLite, once on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
XH_TEST_PG_URI=$(scripts/pg.sh start)
export XH_TEST_PG_URI
ROOT=$(pwd)
trap '"$ROOT/scripts/pg.sh" stop' EXIT
echo "PostgreSQL for tests: $XH_TEST_PG_URI"
cd build/release
ctest --output-on-failure --timeout 900 "$@"
