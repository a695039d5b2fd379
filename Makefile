# Cyberlotse — the two commands a newcomer needs:
#   make run    set up and start everything (Neo4j, migrations, seeds, server)
#   make test   run every test against a throwaway Neo4j
SHELL := /bin/bash
.DEFAULT_GOAL := help
GO    ?= go
BIN   := bin/server

.PHONY: help run test bench build web deps browser generate fmt vet clean

help:
	@echo "make run       start Cyberlotse on http://127.0.0.1:$${PORT:-8080} (local Neo4j, migrations, seeds)"
	@echo "make test      run all tests against a throwaway Neo4j"
	@echo "make bench     run the benchmarks against a throwaway Neo4j"
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
test: deps browser build
	./$(BIN) neo4j exec --home var/neo4j-test --fresh -- \
	  bash -c 'set -e; ./$(BIN) seed; $(GO) test -count=1 ./...; web/e2e/run.sh $(BIN)'

# Benchmarks (latency percentiles of the GraphQL queries over the seeded
# data) against their own throwaway Neo4j, like the tests.
# make bench: its own Neo4j (var/neo4j-bench, kept between runs so the
# data loads once), the seed data and BENCH_SCALE invented companies with
# events and registrations (server seed --scale), the server, then the load generator
# (16 clients, 30 s) and the Go benchmarks; results in bench/results/.
BENCH_CLIENTS  ?= 16
BENCH_DURATION ?= 30s
BENCH_SCALE    ?= 100000
bench: deps build
	mkdir -p bench/results
	NEO4J_LOCAL_HEAP_MB=2048 NEO4J_LOCAL_PAGECACHE_MB=1024 ./$(BIN) neo4j exec --home var/neo4j-bench -- bash -c 'set -e; \
	  ./$(BIN) seed --scale $(BENCH_SCALE); \
	  port=$$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])"); \
	  vardir=$$(mktemp -d); \
	  PORT=$$port VAR_DIR=$$vardir TRUST_PROXY=true LOG_LEVEL=warn ./$(BIN) serve & pid=$$!; \
	  trap "kill $$pid; wait $$pid" EXIT; \
	  until curl -sf http://127.0.0.1:$$port/readyz >/dev/null; do sleep 0.2; done; \
	  VAR_DIR=$$vardir ./$(BIN) loadgen --url http://127.0.0.1:$$port --clients $(BENCH_CLIENTS) --duration $(BENCH_DURATION) \
	    --json bench/results/$$(date +%Y%m%dT%H%M%S).json; \
	  $(GO) test -run XXX -bench . -benchtime 300x ./graph/'

generate:
	$(GO) run github.com/99designs/gqlgen generate

fmt:
	gofmt -l -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

clean:
	rm -rf bin var/neo4j-test
