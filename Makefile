# flagctl — build, test, bench, fuzz.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/flagctl/flagctl/cmd.Version=$(VERSION)
FUZZTIME ?= 3s
SHELL := bash
.SHELLFLAGS := -o pipefail -c

.PHONY: all build test unit nested vet fmt-check fuzz-smoke fuzz bench bench-lib bench-reload bench-cli bench-stale bench-peers golden clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/flagctl .

# test: what CI runs. gofmt check, go vet, the race-enabled test suite and a
# short fuzz smoke of every fuzz target.
test: fmt-check vet unit nested fuzz-smoke

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
	$(GO) test -run '^$$' -bench Log10k -benchtime 3x ./pkg/history | $(GO) run ./internal/benchcheck

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
