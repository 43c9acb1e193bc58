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
// tree in the same run. It reports rg-ms and the ratio x-rg. Targets: x-rg <= 2,
// and <= 10 s.
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
				line = append(line, `flags.Enabled("`...)
				line = append(line, names[rng.IntN(len(names))]...)
				line = append(line, `")`...)
			}
			sb.Write(line)
			sb.WriteByte('\n')
		}
		p := filepath.Join(sub, fmt.Sprintf("f%05d.go", i))
		os.WriteFile(p, []byte(sb.String()), 0o644)
		files = append(files, p)
	}
	opts := Options{
		Names:    names,
		Patterns: []*regexp.Regexp{regexp.MustCompile(`(?:Enabled|EnabledFor)\(\s*"([a-z][a-z0-9_]*)"`)},
	}
	Scan(files, opts) // warm the page cache for both tools
	var rgTime time.Duration
	rg, rgErr := exec.LookPath("rg")
	for b.Loop() {
		b.StopTimer()
		if rgErr == nil {
			start := time.Now()
			cmd := exec.Command(rg, "-F", "-c", "-f", filepath.Join(dir, "names.txt"), filepath.Join(dir, "src"))
			if out, err := cmd.Output(); err != nil && len(out) == 0 {
				b.Fatalf("rg: %v", err)
			}
			rgTime = time.Since(start)
		}
		b.StartTimer()
		start := time.Now()
		res := Scan(files, opts)
		took := time.Since(start)
		if res.Files != nFiles || len(res.Refs) == 0 {
			b.Fatalf("scanned %d files, %d flags referenced", res.Files, len(res.Refs))
		}
		if rgTime > 0 {
			b.ReportMetric(float64(rgTime.Milliseconds()), "rg-ms")
			b.ReportMetric(took.Seconds()/rgTime.Seconds(), "x-rg")
		}
	}
}
