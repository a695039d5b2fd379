#!/usr/bin/env bash
# make bench-live: one live session on a running `server serve` (its own
# seeded Neo4j in var/neo4j-live), driven by `server livebench`; the
# result goes to bench/results/live-*.json. LIVE_ARGS passes flags to
# livebench (e.g. "--subscribers 500 --duration 10s").
set -euo pipefail
bin=${BIN:-bin/server}
mkdir -p bench/results
exec "$bin" neo4j exec --home var/neo4j-live -- bash -c '
  set -e
  bin=$1; shift
  "$bin" seed > /dev/null
  port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")
  vardir=$(mktemp -d)
  PORT=$port VAR_DIR=$vardir TRUST_PROXY=true LOG_LEVEL=warn "$bin" serve > "$vardir/server.log" 2>&1 &
  pid=$!
  trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf $vardir" EXIT
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.2; done
  VAR_DIR=$vardir "$bin" livebench --url "http://127.0.0.1:$port" --json "bench/results/live-$(date +%Y%m%dT%H%M%S).json" "$@"
' bash "$bin" ${LIVE_ARGS:-}
