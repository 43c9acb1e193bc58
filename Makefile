# flagctl — build, test, bench, fuzz.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/flagctl/flagctl/cmd.Version=$(VERSION)
FUZZTIME ?= 3s
SHELL := bash
.SHELLFLAGS := -o pipefail -c

.PHONY: all build test test-deps bench-import unit nested vet fmt-check fuzz-smoke fuzz bench bench-lib bench-reload bench-cli bench-stale bench-peers golden clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/flagctl .

# test: what CI runs. gofmt check, go vet, the race-enabled test suite and a
# short fuzz smoke of every fuzz target.
test: test-deps fmt-check vet unit nested fuzz-smoke

# test-deps: the real servers the import tests start (redis-server, PostgreSQL and
# psql, Debian packages; apt-get needs root). The tests fail, never skip, without them.
test-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing postgresql"; \
	command -v psql >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then echo "installing$$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

# nested: modules with their own go.mod (peer SDKs stay out of the main module).
nested:
	cd openfeature && $(GO) vet ./... && $(GO) test -race -count=1 ./...

fuzz-smoke:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./pkg/flagfile
	$(GO) test -run '^$$' -fuzz '^FuzzFastParse$$' -fuzztime $(FUZZTIME) ./pkg/flagfile
	$(GO) test -run '^$$' -fuzz '^FuzzEval$$' -fuzztime $(FUZZTIME) ./pkg/eval
	$(GO) test -run '^$$' -fuzz '^FuzzReaders$$' -fuzztime $(FUZZTIME) ./pkg/importer

fuzz:
	$(MAKE) fuzz-smoke FUZZTIME=2m

# bench: the performance targets, each a ratio to a baseline in the same run or an
# absolute bound, checked by internal/benchcheck (exit 1 on a miss).
bench: bench-lib bench-reload bench-cli bench-stale

bench-lib:
	$(GO) test -run '^$$' -bench . -skip 'Reload|ScanTree' -benchmem -cpu 1,2 -count 5 ./pkg/... | $(GO) run ./internal/benchcheck

# bench-reload: hot-reload latency, reload cost, and Enabled during reloads.
bench-reload:
	$(GO) test -run '^$$' -bench 'Reload|^BenchmarkEnabled$$' -benchmem -cpu 2 -count 3 ./pkg/eval | $(GO) run ./internal/benchcheck

bench-cli:
	$(GO) test -run '^$$' -bench CLI -benchtime 20x ./cmd | $(GO) run ./internal/benchcheck
	$(GO) test -run '^$$' -bench Log10k -benchtime 3x ./cmd | $(GO) run ./internal/benchcheck

# bench-import: importing 10,000 flags from a real Redis (<= 2 s) and from a
# 10,000-feature Flipper export (<= 1 s); a "bucketing: flipper" check against a
# FunWithFlags (SHA-256) percentage check (<= 1.2x, 0 allocs).
bench-import: test-deps
	$(GO) test -run '^$$' -bench 'Import(Redis|Flipper)10k' -benchtime 3x ./pkg/importer | $(GO) run ./internal/benchcheck
	$(GO) test -run '^$$' -bench 'EnabledFor(Flipper)?Percentage$$' -benchmem -cpu 1 -count 5 ./pkg/eval | $(GO) run ./internal/benchcheck

# bench-stale: the source scan against ripgrep on a generated 50,000-file / 500 MB
# tree (installs Debian's ripgrep when it is missing; needs root for apt-get).
bench-stale:
	command -v rg >/dev/null || (apt-get update -qq && apt-get install -y -qq ripgrep)
	$(GO) test -run '^$$' -bench ScanTree -benchtime 3x -timeout 30m ./pkg/refscan | $(GO) run ./internal/benchcheck

# bench-peers: flagctl against the LaunchDarkly and GrowthBook Go SDKs on the same
# scenarios (nested module bench/, so the main module never depends on them).
bench-peers:
	cd bench && $(GO) test -count=1 . && $(GO) test -run '^$$' -bench Peers -benchmem -count 5 . | $(GO) run ../internal/benchcheck

golden:
	$(GO) test ./pkg/flagfile -run 'Golden|Invalid|Format' -update
	$(GO) test ./cmd -update

clean:
	rm -rf bin
