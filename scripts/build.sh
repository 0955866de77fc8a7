#!/usr/bin/env bash
# Configures (once) and builds everything with the release preset; leaves the
# server at build/xinghuo. Then builds the web app into web/dist (npm ci only
# when node_modules is missing or older than package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/release/build.ninja ]; then
  cmake --preset release >/dev/null
fi
cmake --build --preset release
ln -sfn release/xinghuo build/xinghuo

cd web
# Vite 8 needs Node.js 20.19+ (or 22.12+); Debian 12's own nodejs is 18.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)'; then
  echo "build.sh: the web app needs Node.js 20.19 or later (found $(node --version))" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi
npm run build
# Precompressed copies of what a browser loads (gzip and brotli, best ratio):
# the server sends the one the browser accepts, with no work per request.
find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) \
  -size +1k -print0 | while IFS= read -r -d '' f; do
  gzip -9 -k -f -n "$f"
  brotli -q 11 -k -f "$f"
done
