//go:build unix

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNonRegularFiles: every read of a flag, config or test file is bounded and
// refuses what is not a regular file — quickly, with exit 3 — instead of
// reading /dev/zero forever, blocking on a FIFO or reading 3 GiB.
func TestNonRegularFiles(t *testing.T) {
	p := stdProject(t)
	fifo := filepath.Join(p.dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(p.dir, "huge.yaml")
	if err := os.WriteFile(huge, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 3<<30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	fifoDir := newProject(t, map[string]string{".flagctl.yaml": "environments: [staging]\n"})
	if err := os.MkdirAll(filepath.Join(fifoDir.dir, "flags"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(fifoDir.dir, "flags", "staging.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifoConfig := newProject(t, nil)
	if err := syscall.Mkfifo(filepath.Join(fifoConfig.dir, ".flagctl.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		p    *project
		argv []string
		msg  string
	}{
		{p, []string{"--file", "/dev/zero", "list"}, "not a regular file"},
		{p, []string{"--file", "/dev/zero", "enable", "a_enabled"}, "not a regular file"},
		{p, []string{"--config", "/dev/zero", "list"}, "not a regular file"},
		{p, []string{"--config", fifo, "list"}, "not a regular file"},
		{p, []string{"--file", fifo, "enable", "a_enabled"}, "not a regular file"},
		{p, []string{"--file", fifo, "show", "a_enabled"}, "not a regular file"},
		{p, []string{"--file", huge, "list"}, "too large"},
		{p, []string{"--file", huge, "disable", "a_enabled"}, "too large"},
		{p, []string{"--config", huge, "list"}, "too large"},
		{fifoDir, []string{"enable", "a_enabled"}, "not a regular file"},
		{fifoDir, []string{"create", "a_enabled"}, "not a regular file"},
		{fifoConfig, []string{"list"}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			type result struct {
				code   int
				stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, _, stderr := tt.p.run(tt.argv...)
				done <- result{code, stderr}
			}()
			select {
			case r := <-done:
				if r.code != ExitFile || !strings.Contains(r.stderr, tt.msg) {
					t.Errorf("exit %d, stderr %q; want 3 and %q", r.code, r.stderr, tt.msg)
				}
			case <-time.After(time.Minute): // a guard against hanging forever, not a speed check
				t.Fatal("flagctl blocked on the file")
			}
		})
	}
}
