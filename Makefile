# flagctl — build, test, bench, fuzz.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/flagctl/flagctl/cmd.Version=$(VERSION)
FUZZTIME ?= 3s
SHELL := bash
.SHELLFLAGS := -o pipefail -c

.PHONY: all build test unit nested vet fmt-check fuzz-smoke fuzz bench bench-lib bench-reload bench-reload-heap bench-cli bench-stale bench-peers bench-serve bench-ui test-interop test-deps test-deps-go test-deps-system test-deps-interop bench-cleanup bench-import golden clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/flagctl .

# test: what CI runs. Installs what the tests run for real (test-deps), then the
# gofmt check, go vet, the race-enabled test suite, the nested modules, a short
# fuzz smoke of every fuzz target and the JavaScript/browser interoperability tests.
test: test-deps fmt-check vet unit nested fuzz-smoke test-interop

# test-deps: everything the tests use for real, installed when missing: the Go
# modules of the nested modules (cleanup's tests build modules offline against
# them), Debian's redis-server and PostgreSQL (import tests start their own
# servers), Node.js, npm and chromium, and the npm packages pinned by
# test/interop/package-lock.json. apt-get needs root (or sudo). A test whose tool
# is missing fails; it never skips.
test-deps: test-deps-go test-deps-system test-deps-interop

test-deps-go:
	$(GO) mod download
	cd openfeature && $(GO) mod download

CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
test-deps-system:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing postgresql"; \
	command -v psql >/dev/null || missing="$$missing postgresql-client"; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -tags purego ./pkg/eval

# nested: modules with their own go.mod (peer SDKs stay out of the main module).
nested:
	cd openfeature && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# test-interop: the OpenFeature JavaScript server SDK (Node) and web SDK (headless
# Chromium) against a real `flagctl serve` (test/interop, npm packages pinned by
# package-lock.json). Installs Node, npm and Debian's chromium when missing
# (needs root for apt-get) and the npm packages with `npm ci`.
test-deps-interop: test-deps-system
	@if ! cmp -s test/interop/package-lock.json test/interop/node_modules/.flagctl-installed-lock; then \
		cd test/interop && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.flagctl-installed-lock; fi

test-interop: build test-deps-interop
	cd test/interop && FLAGCTL_BIN=$(CURDIR)/bin/flagctl CHROMIUM=$(CHROMIUM) npm test

fuzz-smoke:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./pkg/flagfile
	$(GO) test -run '^$$' -fuzz '^FuzzFastParse$$' -fuzztime $(FUZZTIME) ./pkg/flagfile
	$(GO) test -run '^$$' -fuzz '^FuzzSpliceFast$$' -fuzztime $(FUZZTIME) ./pkg/flagfile
	$(GO) test -run '^$$' -fuzz '^FuzzSyntaxProblem$$' -fuzztime $(FUZZTIME) ./pkg/flagfile
	$(GO) test -run '^$$' -fuzz '^FuzzEval$$' -fuzztime $(FUZZTIME) ./pkg/eval
	$(GO) test -run '^$$' -fuzz '^FuzzParseRequest$$' -fuzztime $(FUZZTIME) ./pkg/serve
	$(GO) test -run '^$$' -fuzz '^FuzzReaders$$' -fuzztime $(FUZZTIME) ./pkg/importer

fuzz:
	$(MAKE) fuzz-smoke FUZZTIME=2m

# bench: the performance targets, each a ratio to a baseline in the same run or an
# absolute bound, checked by internal/benchcheck (exit 1 on a miss).
bench: bench-lib bench-reload bench-reload-heap bench-cli bench-stale bench-serve bench-cleanup bench-import bench-ui

bench-lib:
	$(GO) test -run '^$$' -bench . -skip 'Reload|ScanTree|Log10k|Serve|LimitBareHandler|LimitEncode1000|UI' -benchmem -cpu 1,2 -count 5 ./pkg/... | $(GO) run ./internal/benchcheck

# bench-reload: hot-reload latency and glitches per kind of write, bursts, reload
# cost, and Enabled during reloads.
bench-reload:
	$(GO) test -run '^$$' -bench 'Reload|^BenchmarkEnabled$$' -skip ReloadHeap -benchmem -cpu 2 -count 3 ./pkg/eval | $(GO) run ./internal/benchcheck

# bench-reload-heap: live heap of a watched 10,000-flag file after 1,000 reloads
# (minutes: each reload parses 10,000 flags).
bench-reload-heap:
	$(GO) test -run '^$$' -bench ReloadHeap10k -benchtime 1x -timeout 30m ./pkg/eval | $(GO) run ./internal/benchcheck

bench-cli:
	$(GO) test -run '^$$' -bench CLI -benchtime 20x ./cmd | $(GO) run ./internal/benchcheck
	$(GO) test -run '^$$' -bench Log10k -benchtime 3x ./pkg/history | $(GO) run ./internal/benchcheck

# bench-import: importing 10,000 flags from a real Redis (<= 2 s) and from a
# 10,000-feature Flipper export (<= 1 s); a "bucketing: flipper" check against a
# FunWithFlags (SHA-256) percentage check (<= 1.2x, 0 allocs).
bench-import: test-deps-system
	$(GO) test -run '^$$' -bench 'Import(Redis|Flipper)10k' -benchtime 3x ./pkg/importer | $(GO) run ./internal/benchcheck
	$(GO) test -run '^$$' -bench 'EnabledFor(Flipper)?Percentage$$' -benchmem -cpu 1 -count 5 ./pkg/eval | $(GO) run ./internal/benchcheck

# bench-stale: the source scan against ripgrep on a generated 50,000-file / 500 MB
# tree (installs Debian's ripgrep when it is missing; needs root for apt-get).
bench-stale:
	command -v rg >/dev/null || (apt-get update -qq && apt-get install -y -qq ripgrep)
	$(GO) test -run '^$$' -bench ScanTree -benchtime 3x -timeout 30m ./pkg/refscan | $(GO) run ./internal/benchcheck

# bench-serve: flagctl serve against a bare net/http handler (single flag over
# HTTP/1.1 keep-alive at concurrency 64, allocations), encoding/json (bulk of
# 1,000 flags) and itself (304), ratios in the same run.
bench-serve:
	$(GO) test -run '^$$' -bench 'LimitBareHandler|ServeSingle|ServeBulk|LimitEncode1000' -benchmem -cpu 2 -count 5 ./pkg/serve | $(GO) run ./internal/benchcheck

# bench-cleanup: flagctl cleanup of a flag referenced 1,000 times across 200 files
# (package loading, type-checking every round and formatting included), <= 2 s.
bench-cleanup:
	$(GO) test -run '^$$' -bench Cleanup1000 -benchtime 5x -count 3 -cpu 2 ./pkg/cleanup | $(GO) run ./internal/benchcheck

# bench-ui: the dashboard's list page (1,000 flags x 3 environments, <= 50 ms)
# and a toggle until eval.Watch sees it (p99 <= 150 ms; with --commit reported).
bench-ui:
	$(GO) test -run '^$$' -bench 'UIList|UIToggle' -benchmem -cpu 2 -count 3 ./pkg/serve | $(GO) run ./internal/benchcheck

# bench-peers: flagctl against the LaunchDarkly and GrowthBook Go SDKs on the same
# scenarios (nested module bench/, so the main module never depends on them).
bench-peers:
	cd bench && $(GO) test -count=1 . && $(GO) test -run '^$$' -bench Peers -benchmem -count 5 . | $(GO) run ../internal/benchcheck

golden:
	$(GO) test ./pkg/flagfile -run 'Golden|Invalid|Format' -update
	$(GO) test ./pkg/cleanup -run Golden -update
	$(GO) test ./cmd -update

clean:
	rm -rf bin
