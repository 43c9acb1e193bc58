package eval

import (
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Benchmarks of ramps and schedules. Targets (internal/benchcheck), each a ratio to
// the same flag without a ramp or schedule, in the same run:
//   EnabledFor, percentage_of_actors ramp    <= 1.3x EnabledForPercentage, 0 allocs
//   Enabled, boolean gate with a schedule    <= 1.3x Enabled,              0 allocs

func benchTimed(b *testing.B, special string) *Evaluator {
	f, err := flagfile.Parse("bench.yaml", []byte(benchFile(1000, special)), flagfile.ParseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	clock := NewFakeClock(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC))
	return New(f, Clock(clock))
}

// BenchmarkEnabledForRamp is BenchmarkEnabledForPercentage with the gate ramping
// from 1% to 100% (at about 30% now).
func BenchmarkEnabledForRamp(b *testing.B) {
	ev := benchTimed(b, "    percentage_of_actors:\n      ramp:\n        from: 1%\n        to: 100%\n        start: 2026-12-07T00:00:00Z\n        end: 2026-12-17T00:00:00Z\n")
	var a Actor = Subject{ID: "user:123456"}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.EnabledFor("flag_0500_enabled", a)
	}
}

// BenchmarkEnabledScheduled is BenchmarkEnabled with a schedule that turns the
// flag off later.
func BenchmarkEnabledScheduled(b *testing.B) {
	ev := benchTimed(b, "    enabled: true\n    schedule:\n      - at: 2026-12-24T18:00:00+01:00\n        enabled: false\n")
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.Enabled("flag_0500_enabled")
	}
}
