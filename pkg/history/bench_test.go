package history

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLog10k reads the semantic history of 10,000 commits (each changes one
// gate of a 200-flag file), generated with git fast-import. Target: <= 5 s.
func BenchmarkLog10k(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Fatal("git not installed; run make test-deps")
	}
	dir := b.TempDir()
	run := func(stdin io.Reader, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Stdin = stdin
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run(nil, "init", "-q", "-b", "main")
	var s strings.Builder
	for i := 0; i < 10000; i++ {
		var file strings.Builder
		fmt.Fprintf(&file, "version: 1\nenvironment: production\nflags:\n  revision_enabled:\n    description: revision %d\n", i)
		for j := 0; j < 200; j++ {
			fmt.Fprintf(&file, "  flag_%03d_enabled:\n    owner: team-%d\n    enabled: %v\n", j, j%7, (i+j)%200 == 0 || j < i%200)
		}
		content := file.String()
		fmt.Fprintf(&s, "commit refs/heads/main\ncommitter Dev%d <dev%d@example.com> %d +0000\ndata %d\n%s\n",
			i%5, i%5, 1760000000+i*60, len(fmt.Sprint("change ", i)), fmt.Sprint("change ", i))
		fmt.Fprintf(&s, "M 100644 inline flags/production.yaml\ndata %d\n%s\n", len(content), content)
	}
	run(strings.NewReader(s.String()), "fast-import", "--quiet")
	os.WriteFile(filepath.Join(dir, ".flagctl.yaml"), []byte("environments: [production]\n"), 0o644)
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	files := []File{{Env: "production", Path: filepath.Join(dir, "flags", "production.yaml"), Expect: "production"}}
	b.ResetTimer()
	for b.Loop() {
		entries, err := r.History(files, LogOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(entries) != 10000 {
			b.Fatalf("%d entries, want 10000", len(entries))
		}
	}
}
