package cmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// TestBlankOptionValues: an empty or blank value for any string option is a usage
// error that changes nothing; it never falls back to the no-option action.
func TestBlankOptionValues(t *testing.T) {
	tests := [][]string{
		{"disable", "new_checkout_enabled", "-e", "staging", "--actor", ""},
		{"disable", "new_checkout_enabled", "-e", "staging", "--group", " "},
		{"enable", "new_checkout_enabled", "-e", "staging", "--actor", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--actor", "user:1,"},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-time", "  "},
		{"clear", "new_checkout_enabled", "-e", "staging", "--group", ""},
		{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "\t"},
		{"enable", "new_checkout_enabled", "--env", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--config", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--dir", " "},
		{"list", "--file", ""},
		{"create", "x_enabled", "--owner", ""},
		{"create", "x_enabled", "--description", " "},
		{"create", "x_enabled", "--enable-in", ""},
		{"promote", "new_checkout_enabled", "--from", "staging", "--to", ""},
		{"list", "-o", ""},
		{"init", "--envs", ""},
	}
	for _, argv := range tests {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(argv...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, "empty") {
				t.Errorf("stderr does not say the value is empty: %s", stderr)
			}
			if p.read("flags/staging.yaml") != stagingFile || p.read("flags/production.yaml") != productionFile {
				t.Error("a refused command changed a file")
			}
		})
	}
}

// TestIDListsSplitOnNewlines: --actor "$(cat ids.txt)" enables every line's ID;
// invalid UTF-8 and control characters are refused before anything is locked.
func TestIDLists(t *testing.T) {
	tests := []struct {
		argv []string
		code int
		want []string // lines the staging file must contain afterwards
		msg  string
	}{
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:7\nuser:8"}, 0, []string{`"user:7": true`, `"user:8": true`}, ""},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:7\r\nuser:8\n"}, 0, []string{`"user:7": true`, `"user:8": true`}, ""},
		{[]string{"disable", "dark_mode_enabled", "-e", "staging", "--group", "a\nb,c"}, 0, []string{"a: false", "b: false", "c: false"}, ""},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "\xff"}, 2, nil, "UTF-8"},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--group", "user\x1b[31m"}, 2, nil, "control character"},
		{[]string{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "user:\xc3"}, 2, nil, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			got := p.read("flags/staging.yaml")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("staging.yaml lacks %q:\n%s", w, got)
				}
			}
			if tt.code != 0 && (got != stagingFile || !strings.Contains(stderr, tt.msg)) {
				t.Errorf("file changed or stderr lacks %q: %s", tt.msg, stderr)
			}
		})
	}
}

// TestLockHazards: a symlink planted at the lock path is refused (its target is
// never created); a writer waiting on a held lock says so on stderr and gives
// up after --lock-timeout with exit 3; temp files a killed run left behind are
// removed by the next write and ignored by the generated .gitignore.
func TestLockHazards(t *testing.T) {
	t.Run("symlink at the lock path", func(t *testing.T) {
		p := stdProject(t)
		victim := filepath.Join(p.dir, "victim")
		if err := os.Symlink(victim, filepath.Join(p.dir, "flags", ".production.yaml.lock")); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := p.run("enable", "dark_mode_enabled", "-e", "production")
		if code != ExitFile || !strings.Contains(stderr, "symbolic link") {
			t.Errorf("exit %d, stderr %q; want 3 and the symbolic link named", code, stderr)
		}
		if _, err := os.Lstat(victim); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("symlink target created: %v", err)
		}
		if p.read("flags/production.yaml") != productionFile {
			t.Error("file changed")
		}
	})
	t.Run("held lock", func(t *testing.T) {
		p := stdProject(t)
		unlock, err := flagfile.Lock(filepath.Join(p.dir, "flags", "production.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		io, _, errOut := TestStreams()
		f := NewFactory(io)
		f.WorkDir = p.dir
		f.lockNotice = time.Millisecond
		code := Run(f, []string{"enable", "dark_mode_enabled", "-e", "production", "--lock-timeout", "40ms"})
		stderr := errOut.String()
		if code != ExitFile {
			t.Errorf("exit %d, want 3; stderr: %s", code, stderr)
		}
		if !strings.Contains(stderr, "waiting for the lock") || !strings.Contains(stderr, ".production.yaml.lock") || !strings.Contains(stderr, "timed out") {
			t.Errorf("stderr does not say what it waits for and that it gave up: %s", stderr)
		}
		if p.read("flags/production.yaml") != productionFile {
			t.Error("file changed")
		}
	})
	t.Run("bad --lock-timeout", func(t *testing.T) {
		p := stdProject(t)
		if code, _, stderr := p.run("enable", "dark_mode_enabled", "-e", "production", "--lock-timeout", "soon"); code != ExitUsage {
			t.Errorf("exit %d, want 2; stderr: %s", code, stderr)
		}
	})
	t.Run("temp files of a killed run", func(t *testing.T) {
		p := newProject(t, nil)
		if code, _, stderr := p.run("init", "--envs", "staging,production"); code != 0 {
			t.Fatalf("init: %d %s", code, stderr)
		}
		left := filepath.Join(p.dir, "flags", ".production.yaml.tmp4242")
		os.WriteFile(left, []byte("version: 1\nflags:\n  half"), 0o644)
		gitCmd(t, p.dir, "init", "-q")
		if out := gitCmd(t, p.dir, "status", "--porcelain", "--untracked-files=all", "flags"); strings.Contains(out, ".tmp") || strings.Contains(out, ".lock") {
			t.Errorf("temp or lock files not ignored by the generated .gitignore:\n%s", out)
		}
		if code, _, stderr := p.run("create", "x_enabled"); code != 0 {
			t.Fatalf("create: %d %s", code, stderr)
		}
		if _, err := os.Stat(left); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale temp file not removed: %v", err)
		}
	})
}
