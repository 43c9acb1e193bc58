// Command benchcheck reads `go test -bench` output on stdin, echoes it, and checks
// the performance targets: each a ratio to a baseline benchmark from the same run
// (so it holds on a noisy machine), or an absolute bound. It exits 1 when a
// target that has its benchmarks in the input is missed.
//
// With -count N the lowest figure of each benchmark counts (the highest for
// counts of wrong answers, such as glitches).
//
// Usage: go test -run '^$' -bench . -benchmem -cpu 1,2 ./pkg/... | go run ./internal/benchcheck
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// target is one rule. Name and Base are benchmark names with the -cpu suffix
// ("BenchmarkEnabled" runs with -cpu 1, "BenchmarkEnabled-2" with 2). With Base
// set, Max bounds Name/Base for Metric; without, Max bounds Metric itself.
type target struct {
	Name, Base, Metric string
	Max                float64
	What               string
}

var targets = []target{
	{"BenchmarkEnabled", "BenchmarkLimitMapLookup", "ns/op", 2, "Enabled, boolean flag among 1,000"},
	{"BenchmarkEnabledForActor", "BenchmarkLimitMapLookup", "ns/op", 2, "EnabledFor by an actor gate among 1,000"},
	{"BenchmarkEnabledForGroup", "BenchmarkLimitMapLookup", "ns/op", 6, "EnabledFor by a group gate (5 gates, 3 groups)"},
	{"BenchmarkEnabledForPercentage", "BenchmarkLimitScore", "ns/op", 1.3, "EnabledFor by percentage_of_actors"},
	{"BenchmarkEnabledForRamp", "BenchmarkEnabledForPercentage", "ns/op", 1.3, "EnabledFor by a ramped percentage_of_actors vs the plain gate"},
	{"BenchmarkEnabledScheduled", "BenchmarkEnabled", "ns/op", 1.3, "Enabled of a scheduled flag vs the same flag unscheduled"},
	{"BenchmarkEnabledForRamp", "", "allocs/op", 0, "EnabledFor (ramp) allocations"},
	{"BenchmarkEnabledScheduled", "", "allocs/op", 0, "Enabled (scheduled) allocations"},
	{"BenchmarkEnabledParallel-2", "BenchmarkEnabledParallel", "ns/op", 0.6, "RunParallel Enabled, 2 vs 1 procs"},
	{"BenchmarkEnabledForActorParallel-2", "BenchmarkEnabledForActorParallel", "ns/op", 0.6, "RunParallel EnabledFor, 2 vs 1 procs"},
	{"BenchmarkFlagEnabled", "BenchmarkLimitMapLookup", "ns/op", 0.6, "Flag.Enabled (typed handle)"},
	{"BenchmarkFlagEnabledForActor", "BenchmarkLimitMapLookup", "ns/op", 1.5, "Flag.EnabledFor by an actor gate"},
	{"BenchmarkFlagEnabled", "", "allocs/op", 0, "Flag.Enabled allocations"},
	{"BenchmarkFlagEnabledForActor", "", "allocs/op", 0, "Flag.EnabledFor allocations"},
	{"BenchmarkEnabled", "", "allocs/op", 0, "Enabled allocations"},
	{"BenchmarkEnabledForActor", "", "allocs/op", 0, "EnabledFor (actor) allocations"},
	{"BenchmarkEnabledForGroup", "", "allocs/op", 0, "EnabledFor (group) allocations"},
	{"BenchmarkEnabledForPercentage", "", "allocs/op", 0, "EnabledFor (percentage) allocations"},
	{"BenchmarkEnabledForFlipperPercentage", "BenchmarkEnabledForPercentage", "ns/op", 1.2, "EnabledFor by percentage_of_actors, bucketing: flipper vs flagctl's"},
	{"BenchmarkEnabledForFlipperPercentage", "", "allocs/op", 0, "EnabledFor (bucketing: flipper) allocations"},
	{"BenchmarkLoad10k", "", "ns/op", 150e6, "Load + compile of 10,000 flags (ns)"},
	{"BenchmarkLoad10k", "", "live-MB", 20, "live heap after loading 10,000 flags (MB)"},
	{"BenchmarkReloadLatency/write=rename", "", "p99-ms", 5, "rename over → visible, p99 over 200 writes (ms)"},
	{"BenchmarkReloadLatency/write=recreate", "", "p99-ms", 5, "delete + create → visible, p99 over 200 writes (ms)"},
	{"BenchmarkReloadLatency/write=symlink", "", "p99-ms", 5, "symlink swap → visible, p99 over 200 writes (ms)"},
	{"BenchmarkReloadLatency/write=inplace", "", "p99-ms", 30, "in-place write → visible, p99 (ms; debounce + 5)"},
	{"BenchmarkReloadLatency/write=rename", "", "glitches", 0, "rename over: a flag in every version read as off"},
	{"BenchmarkReloadLatency/write=recreate", "", "glitches", 0, "delete + create: a flag in every version read as off"},
	{"BenchmarkReloadLatency/write=symlink", "", "glitches", 0, "symlink swap: a flag in every version read as off"},
	{"BenchmarkReloadLatency/write=inplace", "", "glitches", 0, "in-place write: a flag in every version read as off"},
	{"BenchmarkReloadBurst", "", "reloads/1000-writes", 250, "reloads caused by a burst of 1,000 renames"},
	{"BenchmarkReloadHeap10k", "", "snapshots", 2, "live heap after 1,000 reloads of 10,000 flags, in snapshots"},
	{"BenchmarkReload10k", "", "ns/op", 150e6, "reload of a 10,000-flag file (ns)"},
	{"BenchmarkEnabledDuringReloads-2", "BenchmarkEnabled-2", "ns/op", 1.5, "Enabled while reloading continuously vs idle"},
	{"BenchmarkCLIEnable5k", "", "ns/op", 40e6, "flagctl enable on 5,000 flags, process included (ns)"},
	{"BenchmarkCLIProject3x10k/op=create", "BenchmarkCLIProject3x10k/op=enable", "ns/file", 2, "flagctl create vs enable, per file, 3 x 10,000 flags"},
	{"BenchmarkCLIProject3x10k/op=remove", "BenchmarkCLIProject3x10k/op=enable", "ns/file", 2, "flagctl remove vs enable, per file, 3 x 10,000 flags"},
	{"BenchmarkApply5k", "BenchmarkParse5k", "B/op", 1.4, "parse + one edit vs a parse, 5,000 flags (bytes; a splice re-reads only the flags it changed)"},
	{"BenchmarkApply5k", "BenchmarkParse5k", "ns/op", 1.6, "parse + one edit vs a parse, 5,000 flags (time)"},
	{"BenchmarkCLILint3x10k", "", "ns/op", 1e9, "flagctl lint, 3 x 10,000 flags (ns)"},
	{"BenchmarkLog10k", "", "ns/op", 5e9, "flagctl log over 10,000 commits (ns)"},
	{"BenchmarkPeers/scenario=boolean/lib=flagctl-2", "BenchmarkPeers/scenario=boolean/lib=launchdarkly-2", "ns/op", 1.0 / 15, "flagctl vs launchdarkly, boolean (time ratio, >= 15x faster)"},
	{"BenchmarkPeers/scenario=boolean/lib=flagctl-2", "BenchmarkPeers/scenario=boolean/lib=growthbook-2", "ns/op", 1.0 / 15, "flagctl vs growthbook, boolean (time ratio, >= 15x faster)"},
	{"BenchmarkPeers/scenario=boolean/lib=flagctl-2", "", "allocs/op", 0, "flagctl allocations, boolean scenario"},
	{"BenchmarkPeers/scenario=actors/lib=flagctl-2", "BenchmarkPeers/scenario=actors/lib=launchdarkly-2", "ns/op", 1.0 / 15, "flagctl vs launchdarkly, actors (time ratio, >= 15x faster)"},
	{"BenchmarkPeers/scenario=actors/lib=flagctl-2", "BenchmarkPeers/scenario=actors/lib=growthbook-2", "ns/op", 1.0 / 15, "flagctl vs growthbook, actors (time ratio, >= 15x faster)"},
	{"BenchmarkPeers/scenario=actors/lib=flagctl-2", "", "allocs/op", 0, "flagctl allocations, actors scenario"},
	{"BenchmarkPeers/scenario=actors/lib=flagctl_name-2", "BenchmarkPeers/scenario=actors/lib=launchdarkly-2", "ns/op", 1.0 / 15, "flagctl by name vs launchdarkly, actors (>= 15x faster)"},
	{"BenchmarkPeers/scenario=actors/lib=flagctl_name-2", "BenchmarkPeers/scenario=actors/lib=growthbook-2", "ns/op", 1.0 / 15, "flagctl by name vs growthbook, actors (>= 15x faster)"},
	{"BenchmarkPeers/scenario=actors/lib=flagctl_name-2", "", "allocs/op", 0, "flagctl by name allocations, actors scenario"},
	{"BenchmarkPeers/scenario=group/lib=flagctl-2", "BenchmarkPeers/scenario=group/lib=launchdarkly-2", "ns/op", 1.0 / 8, "flagctl vs launchdarkly, group (time ratio, >= 8x faster)"},
	{"BenchmarkPeers/scenario=group/lib=flagctl-2", "BenchmarkPeers/scenario=group/lib=growthbook-2", "ns/op", 1.0 / 8, "flagctl vs growthbook, group (time ratio, >= 8x faster)"},
	{"BenchmarkPeers/scenario=group/lib=flagctl-2", "", "allocs/op", 0, "flagctl allocations, group scenario"},
	{"BenchmarkPeers/scenario=percentage/lib=flagctl-2", "BenchmarkPeers/scenario=percentage/lib=launchdarkly-2", "ns/op", 1.0 / 2.5, "flagctl vs launchdarkly, percentage (time ratio, >= 2.5x faster)"},
	{"BenchmarkPeers/scenario=percentage/lib=flagctl-2", "BenchmarkPeers/scenario=percentage/lib=growthbook-2", "ns/op", 1.0 / 2.5, "flagctl vs growthbook, percentage (time ratio, >= 2.5x faster)"},
	{"BenchmarkPeers/scenario=percentage/lib=flagctl-2", "", "allocs/op", 0, "flagctl allocations, percentage scenario"},
	{"BenchmarkImportRedis10k", "", "ns/op", 2e9, "flagctl import funwithflags: 10,000 flags x 10 actor gates from a real Redis (ns)"},
	{"BenchmarkImportFlipper10k", "", "ns/op", 1e9, "flagctl import flipper: a 10,000-feature export (ns)"},
	{"BenchmarkScanTree", "", "x-rg", 1.3, "stale scan vs rg -F -c -f, 50,000 files / 500 MB"},
	{"BenchmarkScanTree", "", "ns/op", 10e9, "stale scan, 50,000 files / 500 MB, 2,000 names (ns)"},
	{"BenchmarkServeSingle-2", "BenchmarkLimitBareHandler-2", "ns/op", 1 / 0.6, "serve: single flag over HTTP/1.1, 64 conns (requests/s >= 0.6x bare)"},
	{"BenchmarkServeBulk1000-2", "BenchmarkLimitEncode1000-2", "ns/op", 3, "serve: bulk of 1,000 flags vs encoding/json of 1,000 entries"},
	{"BenchmarkServeBulk304-2", "BenchmarkServeBulk1000-2", "ns/op", 0.2, "serve: bulk 304 (If-None-Match) vs full bulk"},
	{"BenchmarkCleanup1000-2", "", "ns/op", 2e9, "flagctl cleanup of a flag referenced 1,000 times in 200 files (ns)"},
	{"BenchmarkUIList3x1000-2", "", "ns/op", 50e6, "dashboard: list page, 1,000 flags x 3 environments (ns)"},
	{"BenchmarkUIList3x1000Cold-2", "", "ns/op", 50e6, "dashboard: the same right after every file changed (ns)"},
	{"BenchmarkUIToggle-2", "", "p99-ms", 150, "dashboard: toggle → file written → visible to eval.Watch, p99 (ms)"},
}

// diffs bound Name's Metric minus Base's: an absolute margin over a baseline.
var diffs = []target{
	{"BenchmarkServeSingle-2", "BenchmarkLimitBareHandler-2", "allocs/op", 10, "serve: allocations per single-flag request over the bare handler's"},
}

// countsFailures names the metrics that count wrong answers: for them the
// highest figure of -count N runs counts, not the lowest.
var countsFailures = map[string]bool{"glitches": true}

// anyCPU returns metric of the sub-benchmark name run with the -cpu suffix of
// the machine ("…/op=create-2" for name "…/op=create"): sub-benchmarks whose
// ratio is checked run with one GOMAXPROCS.
func anyCPU(results map[string]map[string]float64, name, metric string) (float64, bool) {
	for k, m := range results {
		if rest, ok := strings.CutPrefix(k, name+"-"); ok {
			if _, err := strconv.Atoi(rest); err == nil {
				v, ok := m[metric]
				return v, ok
			}
		}
	}
	return 0, false
}

func main() {
	results := map[string]map[string]float64{}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Println(line)
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		// With -count N, keep the best (lowest) figure of each metric: noise only
		// ever adds time.
		m := results[fields[0]]
		if m == nil {
			m = map[string]float64{}
			results[fields[0]] = m
		}
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				// Counts of wrong answers are not noise: the worst run counts.
				old, ok := m[fields[i+1]]
				keep := v < old
				if countsFailures[fields[i+1]] {
					keep = v > old
				}
				if !ok || keep {
					m[fields[i+1]] = v
				}
			}
		}
	}
	failed := false
	fmt.Println("\ntarget                                               measured    limit   ok")
	for _, t := range targets {
		got, ok := results[t.Name][t.Metric]
		if !ok && t.Base == "" && !strings.Contains(t.Name, "-") {
			got, ok = results[t.Name+"-2"][t.Metric] // benchmarks run only with -cpu 2
		}
		if !ok && t.Base != "" && strings.Contains(t.Name, "/") {
			got, ok = anyCPU(results, t.Name, t.Metric)
		}
		if !ok {
			continue
		}
		val := got
		if t.Base != "" {
			base, ok := results[t.Base][t.Metric]
			if !ok && strings.Contains(t.Base, "/") {
				base, ok = anyCPU(results, t.Base, t.Metric)
			}
			if !ok || base == 0 {
				continue
			}
			val = got / base
		}
		pass := val <= t.Max
		failed = failed || !pass
		mark := "yes"
		if !pass {
			mark = "NO"
		}
		unit := "x"
		if t.Base == "" {
			unit = ""
		}
		fmt.Printf("%-50s %10.3g%s %8.3g%s  %s\n", t.What, val, unit, t.Max, unit, mark)
	}
	for _, t := range diffs {
		got, ok1 := results[t.Name][t.Metric]
		base, ok2 := results[t.Base][t.Metric]
		if !ok1 || !ok2 {
			continue
		}
		pass := got-base <= t.Max
		failed = failed || !pass
		mark := "yes"
		if !pass {
			mark = "NO"
		}
		fmt.Printf("%-50s %+10.3g %+8.3g   %s\n", t.What, got-base, t.Max, mark)
	}
	for name, m := range results {
		if p99, ok := m["p99-µs"]; ok {
			fmt.Printf("%-50s %10.0fµs\n", "p99 latency "+name, p99)
		}
	}
	if failed {
		os.Exit(1)
	}
}
