#!/usr/bin/env bash
# Runs the browser tests against a real `server serve` (the binary given as
# $1) on a free port, with the Neo4j of $NEO4J_URI (migrated and seeded).
set -euo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
vardir=$(mktemp -d)
base="http://127.0.0.1:$port"
# Under `make test` (CYBERLOTSE_TEST_LOG_DIR set) the server logs at debug
# level and its log joins the tests' logs, which are then scanned for the
# attendees' e-mail addresses and names.
level=warn
if [ -n "${CYBERLOTSE_TEST_LOG_DIR:-}" ]; then level=debug; fi
PORT=$port VAR_DIR=$vardir BASE_URL=$base LOG_LEVEL=$level "$bin" serve > "$vardir/server.log" 2>&1 &
pid=$!
keep_log() { if [ -n "${CYBERLOTSE_TEST_LOG_DIR:-}" ]; then cp "$vardir/server.log" "$CYBERLOTSE_TEST_LOG_DIR/e2e-server.log"; fi; }
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; keep_log; rm -rf "$vardir"' EXIT
for _ in $(seq 1 100); do
  curl -sf "$base/readyz" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$vardir/server.log"; exit 1; }
  sleep 0.2
done
# The tests sign in as a regional manager with a token from the same
# binary and secret (VAR_DIR).
BASE_URL=$base CYBERLOTSE_BIN=$bin VAR_DIR=$vardir npm run --silent test:e2e
