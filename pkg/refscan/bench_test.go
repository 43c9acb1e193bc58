package refscan

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkScanTree scans a generated tree — 50,000 files, 500 MB by default
// (FLAGCTL_BENCH_FILES scales it) — for 2,000 flag names, and runs
// `rg -F -c -f names.txt` (ripgrep; `make bench-stale` installs it) on the same
// tree in the same run, with the default patterns (one call in ten split
// across lines); every reference must be found. It reports rg-ms and the ratio
// x-rg (fastest of each), and x-rg-cpu, the ratio of CPU times, which a busy
// machine disturbs less (informational). Targets: x-rg <= 1.3, and <= 10 s.
func BenchmarkScanTree(b *testing.B) {
	nFiles := 50000
	if s := os.Getenv("FLAGCTL_BENCH_FILES"); s != "" {
		nFiles, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	names := make([]string, 2000)
	for i := range names {
		names[i] = fmt.Sprintf("feature_%04d_enabled", i)
	}
	os.WriteFile(filepath.Join(dir, "names.txt"), []byte(strings.Join(names, "\n")+"\n"), 0o644)
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"func", "return", "if", "err", "nil", "ctx", "user", "value", "handler", "config", "flags", "request", "response", "string", "int", "for", "range", "var", "const", "package"}
	var files []string
	calls := 0 // references written, each a call with its name on its own line
	line := make([]byte, 0, 128)
	for i := 0; i < nFiles; i++ {
		sub := filepath.Join(dir, "src", fmt.Sprintf("d%03d", i%500))
		if i < 500 {
			os.MkdirAll(sub, 0o755)
		}
		var sb strings.Builder
		for sb.Len() < 10000 {
			line = line[:0]
			for w := 0; w < 8; w++ {
				line = append(line, words[rng.IntN(len(words))]...)
				line = append(line, ' ')
			}
			if rng.IntN(50) == 0 {
				// One call in ten is split after its parenthesis.
				if rng.IntN(10) == 0 {
					line = append(line, "flags.EnabledFor(\n\t\""...)
				} else {
					line = append(line, `flags.Enabled("`...)
				}
				line = append(line, names[rng.IntN(len(names))]...)
				line = append(line, `")`...)
				calls++
			}
			sb.Write(line)
			sb.WriteByte('\n')
		}
		p := filepath.Join(sub, fmt.Sprintf("f%05d.go", i))
		os.WriteFile(p, []byte(sb.String()), 0o644)
		files = append(files, p)
	}
	// The default stale.patterns (pkg/stale.DefaultPatterns).
	opts := Options{
		Names: names,
		Patterns: []*regexp.Regexp{
			regexp.MustCompile(`(?:Enabled|EnabledFor)\(\s*"([a-z][a-z0-9_]*)"`),
			regexp.MustCompile(`BooleanValue\([^,()]*,\s*"([a-z][a-z0-9_]*)"`),
			regexp.MustCompile("[\"'`]([a-z][a-z0-9_]*_enabled)[\"'`]"),
		},
	}
	Scan(files, opts) // warm the page cache for both tools
	// Each iteration times rg and the scan back to back; the ratio compares the
	// fastest of each, which on a shared machine is the least disturbed.
	var rgBest, scanBest, rgCPU, scanCPU time.Duration
	rg, rgErr := exec.LookPath("rg")
	for b.Loop() {
		b.StopTimer()
		if rgErr == nil {
			start := time.Now()
			cmd := exec.Command(rg, "-F", "-c", "-f", filepath.Join(dir, "names.txt"), filepath.Join(dir, "src"))
			if out, err := cmd.Output(); err != nil && len(out) == 0 {
				b.Fatalf("rg: %v", err)
			}
			if took := time.Since(start); rgBest == 0 || took < rgBest {
				rgBest = took
			}
			if c := childCPU(cmd); rgCPU == 0 || c < rgCPU {
				rgCPU = c
			}
		}
		b.StartTimer()
		start, cpu := time.Now(), selfCPU()
		res := Scan(files, opts)
		if took := time.Since(start); scanBest == 0 || took < scanBest {
			scanBest = took
		}
		if c := selfCPU() - cpu; scanCPU == 0 || c < scanCPU {
			scanCPU = c
		}
		refs := 0
		for _, r := range res.Refs {
			refs += len(r)
		}
		// No finding lost: every call is a reference and a checked name.
		if res.Files != nFiles || refs != calls || len(res.Checked) != calls {
			b.Fatalf("scanned %d files, %d references and %d checked names; want %d, %d and %d", res.Files, refs, len(res.Checked), nFiles, calls, calls)
		}
	}
	if rgBest > 0 {
		b.ReportMetric(float64(rgBest.Milliseconds()), "rg-ms")
		b.ReportMetric(float64(scanBest.Milliseconds()), "scan-ms")
		b.ReportMetric(scanBest.Seconds()/rgBest.Seconds(), "x-rg")
		// CPU time, for a machine shared with other work (not a target).
		if rgCPU > 0 && scanCPU > 0 {
			b.ReportMetric(scanCPU.Seconds()/rgCPU.Seconds(), "x-rg-cpu")
		}
	}
}
