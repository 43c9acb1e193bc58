package eval

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Benchmarks. Targets are ratios to the two baselines, which run in the same
// invocation (see cmd/benchcheck and `make bench`):
//   Enabled (boolean, 1,000 flags)           <= 2x   LimitMapLookup, 0 allocs
//   EnabledFor actor gate (1,000 actors)     <= 2x   LimitMapLookup, 0 allocs
//   EnabledFor group gate (5 gates, 3 groups) <= 6x  LimitMapLookup, 0 allocs
//   EnabledFor percentage_of_actors          <= 1.3x LimitScore,     0 allocs
//   *Parallel with -cpu 2                    <= 0.6x the same with -cpu 1
//   Load of 10,000 flags                     <= 150 ms, <= 20 MB live heap

var sinkBool bool

// BenchmarkLimitMapLookup is the baseline: an atomic pointer load and one lookup in
// a map[string]bool of 1,000 keys.
func BenchmarkLimitMapLookup(b *testing.B) {
	m := make(map[string]bool, 1000)
	for i := 0; i < 1000; i++ {
		m[fmt.Sprintf("flag_%04d_enabled", i)] = i%2 == 0
	}
	var p atomic.Pointer[map[string]bool]
	p.Store(&m)
	key := "flag_0500_enabled"
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = (*p.Load())[key]
	}
}

// BenchmarkLimitScore is the baseline for percentages: SHA-256 of actor ID + flag
// name, the first two bytes over 65536, compared with 0.3.
func BenchmarkLimitScore(b *testing.B) {
	actor, flag := "user:123456", "flag_0500_enabled"
	b.ReportAllocs()
	for b.Loop() {
		var buf [64]byte
		n := copy(buf[:], actor)
		n += copy(buf[n:], flag)
		sum := sha256.Sum256(buf[:n])
		sinkBool = float64(uint16(sum[0])<<8|uint16(sum[1]))/65536 <= 0.3
	}
}

// benchFile builds a file of n flags; flag_0500_enabled carries the gates of the
// scenario.
func benchFile(n int, special string) string {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("flag_%04d_enabled", i)
		if i == 500 {
			b.WriteString("  " + name + ":\n" + special)
			continue
		}
		fmt.Fprintf(&b, "  %s: %v\n", name, i%2 == 0)
	}
	return b.String()
}

func benchEval(b *testing.B, special string) *Evaluator {
	f, err := flagfile.Parse("bench.yaml", []byte(benchFile(1000, special)), flagfile.ParseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return New(f)
}

func actorGates(n int) string {
	var b strings.Builder
	b.WriteString("    actors:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "      \"user:%d\": true\n", i)
	}
	return b.String()
}

const groupGates = "    groups:\n      g1: false\n      g2: false\n      g3: true\n      g4: true\n      g5: true\n"

func BenchmarkEnabled(b *testing.B) {
	ev := benchEval(b, "    enabled: true\n")
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.Enabled("flag_0500_enabled")
	}
	if !sinkBool {
		b.Fatal("wrong answer")
	}
}

func BenchmarkEnabledForActor(b *testing.B) {
	ev := benchEval(b, actorGates(1000))
	var a Actor = Subject{ID: "user:777"}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.EnabledFor("flag_0500_enabled", a)
	}
	if !sinkBool {
		b.Fatal("wrong answer")
	}
}

func BenchmarkEnabledForGroup(b *testing.B) {
	ev := benchEval(b, groupGates)
	var a Actor = Subject{ID: "user:777", Groups: []string{"x", "y", "g4"}}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.EnabledFor("flag_0500_enabled", a)
	}
	if !sinkBool || ev.Explain("flag_0500_enabled", a).Gate != GateGroup {
		b.Fatal("wrong answer")
	}
}

func BenchmarkEnabledForPercentage(b *testing.B) {
	ev := benchEval(b, "    percentage_of_actors: 30%\n")
	var a Actor = Subject{ID: "user:123456"}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.EnabledFor("flag_0500_enabled", a)
	}
	if ev.Explain("flag_0500_enabled", a).Gate != GatePercentageOfActors {
		b.Fatal("wrong gate")
	}
}

func BenchmarkEnabledParallel(b *testing.B) {
	ev := benchEval(b, "    enabled: true\n")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !ev.Enabled("flag_0500_enabled") {
				b.Error("wrong answer")
				return
			}
		}
	})
}

func BenchmarkEnabledForActorParallel(b *testing.B) {
	ev := benchEval(b, actorGates(1000))
	var a Actor = Subject{ID: "user:777"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !ev.EnabledFor("flag_0500_enabled", a) {
				b.Error("wrong answer")
				return
			}
		}
	})
}

// largeFile is 10,000 flags with 10 actor gates and 3 group gates each.
func largeFile(tb testing.TB) string {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, "  flag_%05d_enabled:\n    description: Flag number %d\n    owner: team-%d\n    kind: release\n    enabled: false\n    actors:\n", i, i, i%20)
		for j := 0; j < 10; j++ {
			fmt.Fprintf(&b, "      \"user:%d\": true\n", i*10+j)
		}
		b.WriteString("    groups:\n      beta: true\n      staff: true\n      banned: false\n    percentage_of_actors: 10%\n")
	}
	return b.String()
}

// BenchmarkLoad10k loads and compiles a 10,000-flag file and reports the live heap
// the evaluator holds (live-MB).
func BenchmarkLoad10k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "production.yaml")
	if err := os.WriteFile(path, []byte(largeFile(b)), 0o644); err != nil {
		b.Fatal(err)
	}
	var live float64
	for b.Loop() {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		ev, err := Load(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		live = float64(after.HeapAlloc-before.HeapAlloc) / 1e6
		if !ev.EnabledFor("flag_09999_enabled", Subject{ID: "user:99990"}) {
			b.Fatal("wrong answer")
		}
		runtime.KeepAlive(ev)
		b.StartTimer()
	}
	b.ReportMetric(live, "live-MB")
}

// BenchmarkFlagEnabled: a typed handle's Enabled. Target: <= 0.6x LimitMapLookup.
func BenchmarkFlagEnabled(b *testing.B) {
	ev := benchEval(b, "    enabled: true\n")
	h := ev.Flag("flag_0500_enabled")
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = h.Enabled()
	}
	if !sinkBool {
		b.Fatal("wrong answer")
	}
}

// BenchmarkFlagEnabledForActor: a handle's EnabledFor decided by an actor gate
// among 1,000. Target: <= 1.5x LimitMapLookup.
func BenchmarkFlagEnabledForActor(b *testing.B) {
	ev := benchEval(b, actorGates(1000))
	h := ev.Flag("flag_0500_enabled")
	var a Actor = Subject{ID: "user:777"}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = h.EnabledFor(a)
	}
	if !sinkBool {
		b.Fatal("wrong answer")
	}
}
