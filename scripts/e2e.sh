#!/usr/bin/env bash
# Serves dist/ on 127.0.0.1 (a free port) and runs the end-to-end tests in tests/e2e/
# against it with playwright-core driving Debian's Chromium.
# `make e2e` builds the release bundle and installs the tools first.
# Screenshots go to target/e2e/. E2E_TESTS="tests/e2e/editor.test.mjs …" runs only those files.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS_DIR=${STSPLAY_TOOLS_DIR:-$HOME/.local/share/stsplay-tools}
dist=dist

if [ ! -f "$dist/index.html" ]; then
  echo "e2e.sh: $dist/index.html not found; run 'make e2e' (or 'trunk build --release') first" >&2
  exit 1
fi
if [ ! -d "$TOOLS_DIR/node_modules/playwright-core" ]; then
  echo "e2e.sh: playwright-core not found in $TOOLS_DIR; run 'scripts/setup.sh test' first" >&2
  exit 1
fi

mkdir -p target/e2e
rm -f target/e2e/*.png   # screenshots of an earlier run would mislead

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port/"

python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dist" >target/e2e/http.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$url" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "e2e.sh: the static server exited; its log:" >&2
    cat target/e2e/http.log >&2
    exit 1
  fi
  sleep 0.1
done

echo "e2e.sh: serving $dist/ at $url"
status=0
NODE_PATH="$TOOLS_DIR/node_modules" \
STSPLAY_URL="$url" \
CHROMIUM=${CHROMIUM:-/usr/bin/chromium} \
  node --test --test-concurrency=1 --test-reporter=spec ${E2E_TESTS:-tests/e2e/} || status=$?
exit "$status"
