#!/usr/bin/env bash
# `make bench` (quick: street scale, both engines) and `make bench-full`
# (street, district and city): installs what is missing, builds, starts a
# throwaway PostgreSQL and runs bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
XH_TEST_PG_URI=$(XH_PG_PORT=55433 scripts/pg.sh start)
export XH_TEST_PG_URI
ROOT=$(pwd)
trap 'XH_PG_PORT=55433 "$ROOT/scripts/pg.sh" stop' EXIT
# Not exec: the trap above must still stop the cluster when the run ends.
python3 bench/run.py "$@"
