#!/usr/bin/env bash
# benchpeer.sh — `make bench-peer`: Cyberlotse side by side with its performance
# peer, @neo4j/graphql on Apollo (../shared/peer, see its README.md), on ONE local
# Neo4j loaded with the benchmark data, driven by the peer's own load generator.
#
#   make bench-peer                                   # build, then this script
#   make bench-peer BENCH_SCALE=10000                 # smaller data (own Neo4j home)
#   make bench-peer PEER_SERVER_BIN=/tmp/old/server   # another Cyberlotse binary, same data
#
# What it does (every phase bounded in time; prints how long each one took):
#   1. var/peer: a copy of the peer (sources refreshed each run, node_modules kept),
#      `npm install` of its pinned versions, and its Go load generator built there.
#   2. var/apoc-5.26.19: APOC core from Maven Central (org.neo4j.procedure:apoc-core
#      and apoc-common, which apoc-core's published pom does not name, plus their
#      dependencies) through `mvn dependency:copy-dependencies` on a generated pom.
#   3. var/neo4j-peer-$BENCH_SCALE: a local Neo4j home (bin/server neo4j exec,
#      2 GiB heap, 1 GiB page cache). The launcher caches the server's Maven
#      classpath in <home>/classpath-<first 12 hex of sha256(server/localneo4j/pom.xml)>.txt
#      and reuses it while every entry exists. APOC has to be on that classpath
#      (its ExtensionFactory is only found there) AND in <home>/plugins (only jars
#      there are scanned for procedures and functions), so the script lets the
#      launcher write the cache file once (a start without APOC that also loads
#      the data), then copies the APOC jars into plugins/ and appends them to the
#      cache file. No change to the Go launcher is needed.
#   4. Inside `bin/server neo4j exec` (which sets NEO4J_URI): `server seed` and
#      `server seed --scale $BENCH_SCALE` (no-ops once loaded: a marker records the
#      scale), Cyberlotse (`server serve`, long job intervals) and the peer (node),
#      compare.py (the run fails unless both answer the same data), then the load
#      generator: warm-up (16 clients, $PEER_WARMUP per query and server), 1 client
#      for $PEER_D1 and 16 clients for $PEER_D16.
#   5. A table per query and client count (req/s of both and their ratio, p50/p95
#      of both, p50 ours/peer), and all raw output in bench/results/peer-<time>.txt.
# Every process it starts is ended on exit (trap), also on Ctrl-C or a timeout.
#
# Environment (the Makefile passes the first four):
#   BIN=bin/server           the binary that runs Neo4j and seeds the data
#   BENCH_SCALE=100000       invented companies (server seed --scale)
#   GO=go                    the Go toolchain for the load generator
#   PEER_SERVER_BIN=         the Cyberlotse binary to benchmark (default: $BIN)
#   PEER_SRC=../shared/peer  the peer's sources, relative to the repository root
#   PEER_WARMUP=20s PEER_D1=15s PEER_D16=20s   load generator durations (Ns or Nm)
#   PEER_TIMEOUT=60m         bound of the whole Neo4j session (seeding included)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."   # the repository root
ROOT=$(pwd -P)
SELF="$ROOT/server/benchpeer.sh"

BIN=${BIN:-bin/server}
BENCH_SCALE=${BENCH_SCALE:-100000}
GO=${GO:-go}
PEER_SERVER_BIN=${PEER_SERVER_BIN:-}
PEER_SRC=${PEER_SRC:-../shared/peer}
PEER_WARMUP=${PEER_WARMUP:-20s}
PEER_D1=${PEER_D1:-15s}
PEER_D16=${PEER_D16:-20s}
PEER_TIMEOUT=${PEER_TIMEOUT:-60m}
APOC_VERSION=5.26.19
NEO4J_HOME_DIR="var/neo4j-peer-$BENCH_SCALE"
PEER_DIR="$ROOT/var/peer"
QUERIES="$PEER_DIR/loadgen/queries.json"
LOADGEN="$PEER_DIR/loadgen/loadgen"

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'bench-peer: %s\n' "$*" >&2; exit 1; }

# now prints seconds since the epoch with a fraction; phase NAME START records
# how long a phase took (in $RUN/phases, printed at the end and into the results).
now() { date +%s.%N; }
phase() { awk -v n="$1" -v a="$(now)" -v b="$2" 'BEGIN { printf "%-40s %7.1f s\n", n, a - b }' | tee -a "$RUN/phases" >&2; }

# secs 20s|2m -> seconds (the load generator's durations, to bound its runs).
secs() {
  case $1 in
    *[0-9]s) echo "${1%s}" ;;
    *[0-9]m) echo $(( ${1%m} * 60 )) ;;
    *) die "durations must be like 20s or 2m, not $1" ;;
  esac
}

# freeport prints a free TCP port on 127.0.0.1.
freeport() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stop_pids ends the processes whose ids are listed in $RUN/pids (the servers
# started below): SIGTERM, up to 15 s for a clean exit, then SIGKILL.
stop_pids() {
  [ -f "$RUN/pids" ] || return 0
  local pid i
  for pid in $(cat "$RUN/pids"); do kill "$pid" 2>/dev/null || true; done
  for pid in $(cat "$RUN/pids"); do
    for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  : >"$RUN/pids"
}

# --------------------------------------------------------------------------
# Inner part: runs under `bin/server neo4j exec`, with NEO4J_URI set.
# --------------------------------------------------------------------------
inner() {
  # The servers started here are ended when this part ends, however it ends.
  trap stop_pids EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  phase "Neo4j start (with APOC)" "$(cat "$RUN/t_exec")"

  if [ "${PEER_SEEDED:-}" != 1 ]; then
    local t; t=$(now)
    log "Seed data and $BENCH_SCALE invented companies (loaded once)"
    timeout --foreground 30m "$BIN" seed
    timeout --foreground 30m "$BIN" seed --scale "$BENCH_SCALE"
    phase "seed (no-op when loaded)" "$t"
  fi

  local t cport pport vardir
  t=$(now)
  cport=$(freeport)
  vardir=$(mktemp -d "$RUN/cyberlotse-var.XXXXXX")
  log "Cyberlotse ($SERVER_BIN) on 127.0.0.1:$cport"
  PORT=$cport NEO4J_URI=$NEO4J_URI REACH_INTERVAL=24h REMINDER_INTERVAL=1h LOG_LEVEL=warn VAR_DIR=$vardir \
    "$SERVER_BIN" serve >"$RUN/cyberlotse.log" 2>&1 &
  echo $! >>"$RUN/pids"
  local cpid=$!
  local deadline=$((SECONDS + 180))
  until curl -sf "http://127.0.0.1:$cport/readyz" >/dev/null; do
    kill -0 "$cpid" 2>/dev/null || { tail -30 "$RUN/cyberlotse.log" >&2; die "Cyberlotse exited"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$RUN/cyberlotse.log" >&2; die "Cyberlotse not ready within 180 s"; }
    sleep 0.2
  done

  pport=$(freeport)
  log "Peer (@neo4j/graphql) on 127.0.0.1:$pport"
  NEO4J_URI=$NEO4J_URI NEO4J_USER= PORT=$pport NODE_ENV=production \
    node "$PEER_DIR/server.mjs" >"$RUN/peer.log" 2>&1 &
  echo $! >>"$RUN/pids"
  local ppid=$!
  deadline=$((SECONDS + 120))
  until curl -sf -H 'content-type: application/json' -d '{"query":"{ __typename }"}' \
      "http://127.0.0.1:$pport/graphql" >/dev/null; do
    kill -0 "$ppid" 2>/dev/null || { tail -30 "$RUN/peer.log" >&2; die "the peer exited"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$RUN/peer.log" >&2; die "the peer did not answer within 120 s"; }
    sleep 0.2
  done
  phase "Cyberlotse and peer ready" "$t"

  local c_url="http://127.0.0.1:$cport/graphql" p_url="http://127.0.0.1:$pport/graphql"

  # Both must answer the same data, or the comparison means nothing.
  # compare.py stops with an AssertionError on GraphQL errors and prints
  # equal=True/False per query (it exits 0 on a difference, hence the grep).
  t=$(now)
  log "compare.py: same data from both?"
  { echo "### compare.py"; } >>"$RESULTS"
  timeout --foreground 120 python3 "$PEER_DIR/compare.py" "$QUERIES" "$c_url" "$p_url" 2>&1 | tee -a "$RESULTS" >"$RUN/compare.txt" \
    || { cat "$RUN/compare.txt" >&2; die "compare.py failed (GraphQL errors?)"; }
  grep '^== ' "$RUN/compare.txt" >&2
  local nq; nq=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$QUERIES")
  if grep -q 'equal=False' "$RUN/compare.txt" || [ "$(grep -c 'equal=True' "$RUN/compare.txt")" != "$nq" ]; then
    cat "$RUN/compare.txt" >&2
    die "the two servers answer different data (see above); no benchmark"
  fi
  phase "compare.py" "$t"

  # The load generator sends each query to each server in turn; its bound:
  # per query and server the duration plus 50 warm requests (30 s at most).
  run_load() { # label clients duration
    local label=$1 c=$2 d=$3 bound t
    bound=$(( nq * 2 * ($(secs "$d") + 30) + 60 ))
    t=$(now)
    log "load: $label ($c clients, $d per query and server)"
    printf '\n### loadgen %s: -c %s -d %s (endpoint 0 = Cyberlotse, 1 = peer)\n' "$label" "$c" "$d" >>"$RESULTS"
    timeout --foreground "$bound" "$LOADGEN" -c "$c" -d "$d" -queries "$QUERIES" "$c_url" "$p_url" \
      | tee -a "$RESULTS" | tee "$RUN/load-$label.txt" >&2
    phase "load $label (-c $c -d $d)" "$t"
  }
  run_load warmup 16 "$PEER_WARMUP"
  run_load c1 1 "$PEER_D1"
  run_load c16 16 "$PEER_D16"

  # Server memory after the runs, for the record.
  {
    echo
    echo "### peak resident memory (VmHWM)"
    echo "cyberlotse: $(grep VmHWM /proc/$cpid/status 2>/dev/null | awk '{print $2, $3}')"
    echo "peer:       $(grep VmHWM /proc/$ppid/status 2>/dev/null | awk '{print $2, $3}')"
  } >>"$RESULTS"
}

# table prints, per query and client count, the two servers side by side from
# the load generator's outputs (columns: query ep req/s p50 p95 p99 errors).
table() {
  python3 - "$RUN/load-c1.txt" "$RUN/load-c16.txt" <<'EOF'
import sys
def read(path):
    rows = {}
    for line in open(path):
        f = line.split()
        if len(f) == 7 and f[1] in ("0", "1"):
            rows.setdefault(f[0], {})[f[1]] = dict(rps=float(f[2]), p50=float(f[3]), p95=float(f[4]), err=int(f[6]))
    return rows
runs = [("1", read(sys.argv[1])), ("16", read(sys.argv[2]))]
def r(a, b): return f"{a / b:.2f}" if b else "-"
print("| query | clients | Cyberlotse req/s | peer req/s | ratio | Cyberlotse p50/p95 ms | peer p50/p95 ms | p50 ours/peer |")
print("|---|---|---|---|---|---|---|---|")
errors = 0
for name in sorted(set(runs[0][1]) | set(runs[1][1])):
    for clients, rows in runs:
        c, p = rows.get(name, {}).get("0"), rows.get(name, {}).get("1")
        if not c or not p:
            continue
        errors += c["err"] + p["err"]
        err = f" (errors {c['err']}/{p['err']})" if c["err"] or p["err"] else ""
        print(f"| {name}{err} | {clients} | {c['rps']:.1f} | {p['rps']:.1f} | {r(c['rps'], p['rps'])} "
              f"| {c['p50']:.1f} / {c['p95']:.1f} | {p['p50']:.1f} / {p['p95']:.1f} | {r(c['p50'], p['p50'])} |")
if errors:
    print(f"\nWARNING: {errors} failed requests during the measured runs (see the raw output)")
    sys.exit(3)
EOF
}

if [ "${1:-}" = inner ]; then
  inner
  exit
fi

# --------------------------------------------------------------------------
# Outer part: prepare everything, then run the inner part under Neo4j.
# --------------------------------------------------------------------------
for tool in python3 node npm curl mvn java timeout; do
  command -v "$tool" >/dev/null || die "$tool not found (make deps installs Java and Maven; node/npm come with the web build)"
done
[ -x "$BIN" ] || die "$BIN missing: run make build (make bench-peer does)"
if [ -n "$PEER_SERVER_BIN" ]; then
  [ -x "$PEER_SERVER_BIN" ] || die "PEER_SERVER_BIN=$PEER_SERVER_BIN is not an executable"
  SERVER_BIN=$(cd "$(dirname "$PEER_SERVER_BIN")" && pwd -P)/$(basename "$PEER_SERVER_BIN")
else
  SERVER_BIN="$ROOT/$BIN"
fi
[ -f "$PEER_SRC/server.mjs" ] && [ -f "$PEER_SRC/loadgen/queries.json" ] \
  || die "the peer is not at $PEER_SRC (set PEER_SRC to its directory)"

mkdir -p var bench/results
RUN=$(mktemp -d "$ROOT/var/peer-run.XXXXXX")   # logs, pids; removed on success
RESULTS="$ROOT/bench/results/peer-$(date +%Y%m%dT%H%M%S).txt"
T_ALL=$(now)
EXEC_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # The inner part ends its servers itself; this is the fallback for a
  # killed inner part (neo4j exec kills its command when it is stopped).
  if [ -n "$EXEC_PID" ]; then kill "$EXEC_PID" 2>/dev/null || true; wait "$EXEC_PID" 2>/dev/null || true; fi
  stop_pids
  if [ $rc = 0 ]; then rm -rf "$RUN"; else echo "bench-peer failed (exit $rc); logs in $RUN" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export ROOT RUN RESULTS BIN BENCH_SCALE SERVER_BIN PEER_DIR QUERIES LOADGEN PEER_WARMUP PEER_D1 PEER_D16

{
  echo "# make bench-peer, $(date -Iseconds)"
  echo "repository: $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git status --porcelain 2>/dev/null | wc -l) changed files in the work tree)"
  echo "cyberlotse binary: $SERVER_BIN ($(sha256sum "$SERVER_BIN" | cut -c1-12))"
  echo "data: $NEO4J_HOME_DIR (seed + scale $BENCH_SCALE); Neo4j heap 2048 MiB, page cache 1024 MiB, APOC core $APOC_VERSION"
  echo "peer: $PEER_SRC ($(cd "$PEER_SRC" && cat package.json server.mjs loadgen/queries.json | sha256sum | cut -c1-12))"
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} >"$RESULTS"

# 1. The peer: a writable copy (shared/ is read-only), its npm packages
#    (exact versions in its package.json; reinstalled when that changes) and
#    the load generator (its own go.mod, no dependencies; GOWORK=off keeps it
#    out of any go.work).
t=$(now)
log "Peer in var/peer (npm install of its pinned versions, load generator)"
mkdir -p "$PEER_DIR"
cp -R --no-preserve=mode "$PEER_SRC"/. "$PEER_DIR"/
stamp=$(sha256sum "$PEER_DIR/package.json" | cut -c1-16)
if [ ! -d "$PEER_DIR/node_modules" ] || [ "$(cat "$PEER_DIR/.installed" 2>/dev/null)" != "$stamp" ]; then
  (cd "$PEER_DIR" && timeout --foreground 15m npm install --no-audit --no-fund --loglevel=error)
  echo "$stamp" >"$PEER_DIR/.installed"
fi
(cd "$PEER_DIR/loadgen" && GOWORK=off timeout --foreground 5m "$GO" build -o loadgen .)
phase "peer: npm install + loadgen build" "$t"

# 2. APOC core from Maven Central. apoc-core's pom names only opencsv and
#    RoaringBitmap; ApocConfig and the ExtensionFactory that Neo4j needs are
#    in apoc-common, so the pom names both. Dependencies that Neo4j's own
#    classpath already has (commons-lang3, commons-text, slf4j-api, asm) are
#    left out: Neo4j's versions come first on the classpath anyway.
t=$(now)
APOC_DIR="$ROOT/var/apoc-$APOC_VERSION"
if [ ! -f "$APOC_DIR/jars.done" ]; then
  log "APOC core $APOC_VERSION from Maven Central"
  mkdir -p "$APOC_DIR"
  cat >"$APOC_DIR/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by server/benchpeer.sh: APOC core for the peer's Neo4j. Nothing is built. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>de.cyberlotse</groupId>
  <artifactId>apoc-for-bench-peer</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j.procedure</groupId>
      <artifactId>apoc-core</artifactId>
      <version>$APOC_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.procedure</groupId>
      <artifactId>apoc-common</artifactId>
      <version>$APOC_VERSION</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  rm -rf "$APOC_DIR/jars"
  # Repository layout (group/artifact/version/) so that jars can be matched
  # by artifact against Neo4j's classpath below.
  timeout --foreground 10m mvn -B -q -Dstyle.color=never -f "$APOC_DIR/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$APOC_DIR/jars" -Dmdep.useRepositoryLayout=true -DincludeScope=runtime
  touch "$APOC_DIR/jars.done"
fi
phase "APOC jars (Maven Central)" "$t"

# 3. The Neo4j home and its cached classpath (the launcher's naming:
#    classpath-<first 6 bytes of sha256(pom.xml) in hex>.txt, reused while
#    every entry exists).
mkdir -p "$NEO4J_HOME_DIR/plugins"
HOME_ABS=$(cd "$NEO4J_HOME_DIR" && pwd -P)
CP_FILE="$HOME_ABS/classpath-$(sha256sum server/localneo4j/pom.xml | cut -c1-12).txt"
cp_valid() {
  [ -s "$CP_FILE" ] || return 1
  local p
  while IFS= read -r p; do [ -f "$p" ] || return 1; done < <(tr ':' '\n' <"$CP_FILE")
}
# neo4j_exec CMD…: CMD under the local Neo4j of the home (NEO4J_URI set),
# bounded by PEER_TIMEOUT. In the background with `wait`, so that Ctrl-C
# reaches the trap at once; timeout(1) runs in its own process group, and
# the cleanup's kill makes it end that whole group (servers included).
neo4j_exec() {
  NEO4J_LOCAL_HEAP_MB=2048 NEO4J_LOCAL_PAGECACHE_MB=1024 \
    timeout -k 60 "$PEER_TIMEOUT" "$BIN" neo4j exec --home "$NEO4J_HOME_DIR" -- "$@" &
  EXEC_PID=$!
  wait "$EXEC_PID"
  EXEC_PID=
}
PEER_SEEDED=
if ! cp_valid; then
  # First run (or the Maven jars moved): let the launcher resolve and cache
  # its classpath in a start without APOC (APOC in plugins/ but not on the
  # classpath would stop Neo4j from starting), loading the data meanwhile.
  t=$(now)
  log "Neo4j in $NEO4J_HOME_DIR without APOC: classpath, seed data, $BENCH_SCALE companies (first run: minutes)"
  rm -f "$NEO4J_HOME_DIR"/plugins/*.jar
  neo4j_exec bash -c "set -e; '$BIN' seed; '$BIN' seed --scale $BENCH_SCALE"
  [ -s "$CP_FILE" ] || die "the launcher did not write $CP_FILE: has server/localneo4j changed how it names its classpath cache? Adjust CP_FILE in $0."
  PEER_SEEDED=1
  phase "Neo4j classpath + seed (without APOC)" "$t"
fi
export PEER_SEEDED

# APOC into plugins/ and onto the classpath (absolute paths: the launcher
# checks them from the repository root, Java resolves them from the home).
if ! grep -q "/plugins/apoc-core-$APOC_VERSION.jar" "$CP_FILE"; then
  log "APOC into $NEO4J_HOME_DIR/plugins and onto $(basename "$CP_FILE")"
  rm -f "$NEO4J_HOME_DIR"/plugins/*.jar
  extra=
  while IFS= read -r jar; do
    artifact=$(basename "$(dirname "$(dirname "$jar")")")
    if tr ':' '\n' <"$CP_FILE" | grep -Eq "/$artifact/[^/]+/$artifact-[^/]+\.jar$"; then
      continue   # Neo4j has its own version of this library
    fi
    cp "$jar" "$HOME_ABS/plugins/"
    extra+=":$HOME_ABS/plugins/$(basename "$jar")"
  done < <(find "$APOC_DIR/jars" -name '*.jar' | sort)
  printf '%s' "$extra" >>"$CP_FILE"
fi

# 4. Everything else under Neo4j: the inner part of this script.
log "Neo4j in $NEO4J_HOME_DIR with APOC; benchmark"
now >"$RUN/t_exec"
neo4j_exec "$SELF" inner

# 5. The table.
{
  echo
  echo "### side by side (ratio: Cyberlotse req/s / peer req/s; p50 ours/peer: lower is better for us)"
  table_rc=0
  table || table_rc=$?
} >"$RUN/table.txt"
cat "$RUN/table.txt" >>"$RESULTS"
phase "total (make bench-peer after the build)" "$T_ALL"
{ echo; echo "### phases"; cat "$RUN/phases"; } >>"$RESULTS"
echo
cat "$RUN/table.txt"
echo
echo "raw output: $RESULTS"
[ "$table_rc" = 0 ] || die "some requests failed during the measured runs"
