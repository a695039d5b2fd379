#!/usr/bin/env bash
# make bench-live: one live session on running `server serve` replicas
# (their own seeded Neo4j in var/neo4j-live), driven by `server livebench`;
# the result goes to bench/results/live-*.json. LIVE_ARGS passes flags to
# livebench (e.g. "--subscribers 500 --duration 10s"); LIVE_REPLICAS=2
# runs two replicas on one NATS (the first's embedded server, reachable
# through NATS_LISTEN) with the subscribers and participants spread over
# both. LIVE_GOMEMLIMIT is each server's soft memory limit (Go's
# GOMEMLIMIT, as a container would set it; "off" for none).
set -euo pipefail
bin=${BIN:-bin/server}
mkdir -p bench/results
exec "$bin" neo4j exec --home var/neo4j-live -- bash -c '
  set -e
  bin=$1; replicas=$2; memlimit=$3; shift 3
  "$bin" seed > /dev/null
  freeport() { python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])"; }
  # The replicas share their secrets, as a deployment would.
  export JWT_SECRET=$(head -c 32 /dev/urandom | base64) LIVE_TOKEN_SECRET=$(head -c 32 /dev/urandom | base64) \
    MANAGE_TOKEN_SECRET=$(head -c 32 /dev/urandom | base64)
  nats=127.0.0.1:$(freeport)
  pids=() dirs=() urls=()
  trap "kill \${pids[*]} 2>/dev/null; wait \${pids[*]} 2>/dev/null; rm -rf \${dirs[*]}" EXIT
  for i in $(seq 1 "$replicas"); do
    port=$(freeport) vardir=$(mktemp -d)
    if [ "$i" = 1 ]; then natsenv="NATS_LISTEN=$nats"; else natsenv="NATS_URL=nats://$nats"; fi
    [ "$replicas" = 1 ] && natsenv=""
    env $natsenv PORT=$port VAR_DIR=$vardir TRUST_PROXY=true LOG_LEVEL=warn GOMEMLIMIT=$memlimit "$bin" serve > "$vardir/server.log" 2>&1 &
    pids+=($!) dirs+=("$vardir") urls+=("http://127.0.0.1:$port")
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.2; done
  done
  VAR_DIR=${dirs[0]} "$bin" livebench --url "$(IFS=,; echo "${urls[*]}")" \
    --json "bench/results/live-$(date +%Y%m%dT%H%M%S)-r$replicas.json" "$@"
' bash "$bin" "${LIVE_REPLICAS:-1}" "${LIVE_GOMEMLIMIT:-320MiB}" ${LIVE_ARGS:-}
