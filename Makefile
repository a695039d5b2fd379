# Cyberlotse — the two commands a newcomer needs:
#   make run    set up and start everything (Neo4j, migrations, seeds, server)
#   make test   run every test against a throwaway Neo4j
SHELL := /bin/bash
, := ,
.DEFAULT_GOAL := help
GO    ?= go
BIN   := bin/server

.PHONY: help run test fuzz bench bench-growth bench-peer bench-live build web deps browser generate fmt vet clean

help:
	@echo "make run       start Cyberlotse on http://127.0.0.1:$${PORT:-8080} (local Neo4j, migrations, seeds)"
	@echo "make test      run all tests against a throwaway Neo4j"
	@echo "make bench     run the benchmarks against their own Neo4j (100,000 invented companies)"
	@echo "make bench-growth  latency at 10k, 30k and 100k companies"
	@echo "make bench-peer    side by side with @neo4j/graphql (../shared/peer) on the same data"
	@echo "make bench-live    one live session: 5,000 subscribers, 500 votes a second"
	@echo "make fuzz      fuzz every parser of outside input for FUZZTIME each (default 10s)"
	@echo "make generate  regenerate the gqlgen code after a schema change"

# deps installs what the local Neo4j needs (Java 17+ and Maven), browser
# what the browser tests need (Debian's Chromium; never a browser
# download), where missing and we may install (root with apt-get). Go
# modules come through `go build`, npm packages through `npm ci`.
APT_INSTALL = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's Chromium for the browser tests …"; \
	    apt-get update -qq && $(APT_INSTALL) chromium >/dev/null; \
	  else \
	    echo "Install Chromium (Debian package chromium) for the browser tests." >&2; exit 1; \
	  fi; \
	fi

deps:
	@if [ -z "$$NEO4J_URI" ] && ! { command -v java >/dev/null && command -v mvn >/dev/null; }; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Java 17 and Maven for the local Neo4j …"; \
	    apt-get update -qq && $(APT_INSTALL) openjdk-17-jre-headless maven >/dev/null; \
	  else \
	    echo "Install Java 17 and Maven, or set NEO4J_URI to use an existing Neo4j." >&2; exit 1; \
	  fi; \
	fi

# The web is built into the binary; without npm the binary still builds
# and serves a page that says how to build the web.
# npm 11 writes lock files without the other platforms' optional packages
# (rollup's native builds), and `npm ci` then refuses the lock as out of
# sync; `npm install --no-save` installs the locked versions all the same.
web:
	cd web && { npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund --no-save; } && npm run build

build: web
	$(GO) build -o $(BIN) ./server

run: deps build
	./$(BIN) serve --seed

# The test Neo4j lives in var/neo4j-test on a free port, fresh each run, so
# `make test` never touches the data of `make run` and both can run at once.
# The tests log at debug level into var/test-logs (the browser tests'
# server too); logscan then fails the run if any log line holds an
# attendee's e-mail address or name from the tests.
# The server package holds the database restart drill (its own Neo4j,
# killed and started again): on a loaded machine it needs more than go
# test's default 10 minutes.
test: deps browser build
	rm -rf var/test-logs && mkdir -p var/test-logs
	CYBERLOTSE_TEST_LOG_DIR=$(CURDIR)/var/test-logs ./$(BIN) neo4j exec --home var/neo4j-test --fresh -- \
	  bash -c 'set -e; ./$(BIN) seed; $(GO) test -count=1 -timeout 20m ./...; web/e2e/run.sh $(BIN); $(GO) run ./graph/neo4j/neo4jtest/logscan var/test-logs'

# make bench: its own Neo4j (var/neo4j-bench-SCALE, kept between runs so
# the data loads once), the seed data and BENCH_SCALE invented companies
# with events and registrations (server seed --scale), the server, then
# the load generator (90 s warm-up, then 16 clients for 30 s, then each query
# one at a time beside its direct store calls) and the Go benchmarks (among
# them the KWID advisories: 10,000 signed CSAF documents imported and
# matched against 396 municipalities × 50 products);
# results in bench/results/.
# make bench-growth: matchmaking, events near a place and search at 10k,
# 30k and 100k companies, and a table of how their latency grows.
BENCH_CLIENTS  ?= 16
BENCH_DURATION ?= 30s
# The warm-up lets the fresh Neo4j's JIT compile its hot paths and the
# server's start-up jobs (retention, reach) end: a fresh Neo4j's C2
# compiler used 95 s of CPU in its first minutes on 2 cores, so 90 s of
# warm-up measured the JIT, not the service.
BENCH_WARMUP   ?= 180s
BENCH_SCALE    ?= 100000
GROWTH_SCALES  ?= 10000 30000 100000
BENCH_NEO4J    = NEO4J_LOCAL_HEAP_MB=2048 NEO4J_LOCAL_PAGECACHE_MB=1024 ./$(BIN) neo4j exec --home var/neo4j-bench-$(1) --
# bench_run scale, loadgen flags: seed the scale, serve, drive the load.
define bench_run
$(call BENCH_NEO4J,$(1)) bash -c 'set -e; \
  ./$(BIN) seed --scale $(1); \
  port=$$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])"); \
  vardir=$$(mktemp -d); \
  PORT=$$port VAR_DIR=$$vardir TRUST_PROXY=true LOG_LEVEL=warn ./$(BIN) serve & pid=$$!; \
  trap "kill $$pid; wait $$pid" EXIT; \
  until curl -sf http://127.0.0.1:$$port/readyz >/dev/null; do sleep 0.2; done; \
  VAR_DIR=$$vardir ./$(BIN) loadgen --url http://127.0.0.1:$$port --scale $(1) $(2); \
  $(3)'
endef

bench: deps build
	mkdir -p bench/results
	$(call bench_run,$(BENCH_SCALE),--clients $(BENCH_CLIENTS) --warmup $(BENCH_WARMUP) --duration $(BENCH_DURATION) --json bench/results/$$(date +%Y%m%dT%H%M%S).json,$(GO) test -run XXX -bench . -benchtime 300x ./graph/ ./graph/readmodel/ && $(GO) test -run XXX -bench ImportCompanies -benchtime 1x ./server/ && $(GO) test -run XXX -bench AdvisoryMatching -benchtime 1x ./importers/csaf/)

bench-growth: deps build
	mkdir -p bench/results
	$(foreach n,$(GROWTH_SCALES),$(call bench_run,$(n),--only Matchmaking$(,)EventsNear$(,)SearchTypo --clients $(BENCH_CLIENTS) --warmup 15s --duration 20s --json bench/results/growth-$(n).json,true) &&) true
	./$(BIN) loadgen --growth $(foreach n,$(GROWTH_SCALES),bench/results/growth-$(n).json)

# make bench-peer: Cyberlotse side by side with its performance peer
# (@neo4j/graphql on Apollo, ../shared/peer) on one Neo4j with APOC core
# (var/neo4j-peer-SCALE, data loaded once), same queries, same load
# generator: a table per query for 1 and 16 clients, raw output in
# bench/results/peer-*.txt. PEER_SERVER_BIN=path benchmarks another
# Cyberlotse binary on the same data (before/after). See server/benchpeer.sh.
bench-peer: deps build
	BIN=$(BIN) BENCH_SCALE=$(BENCH_SCALE) GO=$(GO) PEER_SERVER_BIN=$(PEER_SERVER_BIN) server/benchpeer.sh

# make bench-live: one live session with 5,000 subscribers (graphql-ws and
# graphql-sse), 500 votes and 1 question a second for 60 s, on loopback
# against its own seeded Neo4j (var/neo4j-live): on one server, then on
# two replicas sharing one NATS (2,500 subscribers each). LIVE_ARGS=
# "--subscribers 500 --duration 10s" for a quicker run. See
# server/benchlive.sh.
bench-live: deps build
	BIN=$(BIN) LIVE_ARGS="$(LIVE_ARGS)" LIVE_REPLICAS=1 server/benchlive.sh
	BIN=$(BIN) LIVE_ARGS="$(LIVE_ARGS)" LIVE_REPLICAS=2 server/benchlive.sh

# make fuzz: each fuzz target for FUZZTIME (their seeds run in make test).
# A finding is an input the fuzzer saved under testdata/fuzz; a failure
# without one is Go 1.26's coordinator race at the deadline
# (golang/go#75804), reported but not counted.
FUZZTIME ?= 10s
FUZZ_TARGETS = FuzzParseAGS:. FuzzCheckToken:. FuzzParsePostcode:. FuzzParseEmail:. FuzzParseReminderOffset:. FuzzDecodeCursor:. \
  FuzzParseGlobalID:./graph/ FuzzSearchText:./graph/search/ FuzzReader:./importers/csvin/ FuzzParseNumber:./importers/csvin/ \
  FuzzParse:./importers/ics/ FuzzImportMeasures:./importers/ FuzzAuthenticate:./server/
fuzz:
	@mkdir -p var; fail=0; for t in $(FUZZ_TARGETS); do \
	  name=$${t%%:*}; pkg=$${t#*:}; log=var/fuzz-$$name.log; corpus=$$pkg/testdata/fuzz/$$name; \
	  before=$$(ls $$corpus 2>/dev/null | wc -l); \
	  if $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg > $$log 2>&1; then result="no finding"; \
	  elif [ "$$(ls $$corpus 2>/dev/null | wc -l)" -gt "$$before" ]; then fail=1; result="FINDING, saved in $$corpus"; \
	  else result="no finding (stopped by golang/go#75804 at the deadline)"; fi; \
	  echo "$$name: $$(grep -oE 'execs: [0-9]+' $$log | tail -1), $$result"; \
	done; exit $$fail

generate:
	$(GO) run github.com/99designs/gqlgen generate

fmt:
	gofmt -l -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

clean:
	rm -rf bin var/neo4j-test var/test-logs
