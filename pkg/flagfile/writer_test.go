package flagfile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envFiles writes one flag file per environment into a new directory.
func envFiles(t *testing.T, envs ...string) (dir string, paths []string, orig []string) {
	t.Helper()
	dir = t.TempDir()
	for _, e := range envs {
		src := fmt.Sprintf("# %s flags\nversion: 1\nenvironment: %s\nflags:\n  a_enabled: false  # kept\n", e, e)
		p := filepath.Join(dir, e+".yaml")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths, orig = append(paths, p), append(orig, src)
	}
	return dir, paths, orig
}

func addFlagChanges(paths []string, envs ...string) []Change {
	var cs []Change
	for i, p := range paths {
		on := false
		cs = append(cs, Change{Path: p, Opts: ParseOptions{Env: envs[i]}, Edits: []Edit{AddFlag(&Flag{Name: "b_enabled", Boolean: &on})}})
	}
	return cs
}

// tempFiles lists the writer's temporary files left in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestUpdateAllAllOrNothing: a multi-file edit that fails at any stage — a temp
// file that cannot be written, a replace that fails half-way — leaves every file
// byte for byte as it was and no temporary file behind.
func TestUpdateAllAllOrNothing(t *testing.T) {
	envs := []string{"development", "staging", "production"}
	tests := []struct {
		name  string
		stage string
		nth   int // fail the nth call of that stage (1-based)
	}{
		{"second temp write fails", hookTemp, 2},
		{"last temp write fails", hookTemp, 3},
		{"first replace fails", hookReplace, 1},
		{"second replace fails", hookReplace, 2},
		{"third replace fails", hookReplace, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, paths, orig := envFiles(t, envs...)
			calls := 0
			w := Writer{hook: func(stage, path string) error {
				if stage == tt.stage {
					calls++
					if calls == tt.nth {
						return fmt.Errorf("injected failure at %s of %s", stage, filepath.Base(path))
					}
				}
				return nil
			}}
			_, _, err := w.UpdateAll(addFlagChanges(paths, envs...))
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			for i, p := range paths {
				if got, _ := os.ReadFile(p); string(got) != orig[i] {
					t.Errorf("%s changed:\n%s", p, got)
				}
			}
			if left := tempFiles(t, dir); len(left) > 0 {
				t.Errorf("temp files left: %v", left)
			}
			// And without the failure every file is written.
			if _, changed, err := (Writer{}).UpdateAll(addFlagChanges(paths, envs...)); err != nil || !changed[0] || !changed[2] {
				t.Fatalf("retry: changed=%v err=%v", changed, err)
			}
			for _, p := range paths {
				if got, _ := os.ReadFile(p); !strings.Contains(string(got), "b_enabled:") {
					t.Errorf("%s not written:\n%s", p, got)
				}
			}
		})
	}
}

// TestStaleTempFilesRemoved: temp files left by a killed run (before any
// replace) are removed by the next write of the file.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir, paths, orig := envFiles(t, "staging", "production")
	for _, name := range []string{".staging.yaml.tmp123456", ".production.yaml.tmp987", ".production.yaml.tmp-orig42"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("half a fi"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(dir, ".other.yaml.tmp1") // another file's: not ours to remove
	os.WriteFile(other, nil, 0o644)
	if _, _, err := (Writer{}).UpdateAll(addFlagChanges(paths, "staging", "production")); err != nil {
		t.Fatal(err)
	}
	if left := tempFiles(t, dir); len(left) != 1 || left[0] != ".other.yaml.tmp1" {
		t.Errorf("temp files left: %v", left)
	}
	if got, _ := os.ReadFile(paths[0]); string(got) == orig[0] {
		t.Error("staging not written")
	}
}

// bigFile is a flag file of n flags.
func bigFile(n int) string {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := range n {
		fmt.Fprintf(&b, "  f%05d_enabled: false\n", i)
	}
	return b.String()
}

// TestUpdateNeverClobbersHandEdit: a hand edit (an editor's rename-over, or an
// in-place write like `sed -i` without rename) that lands while an edit of a
// 20,000-flag file is being written is kept: the edit is redone on the new
// content. An edit that keeps losing the race gives up with ErrConflict and
// leaves the hand edit in place.
func TestUpdateNeverClobbersHandEdit(t *testing.T) {
	handEdits := map[string]func(path, content string) error{
		"rename": func(path, content string) error {
			tmp := path + ".swp"
			if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, path)
		},
		"in place":            func(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) },
		"in place, same size": func(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) },
	}
	src := bigFile(20000)
	for name, handEdit := range handEdits {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "production.yaml")
			os.WriteFile(path, []byte(src), 0o644)
			hand := strings.Replace(src, "f00002_enabled: false", "f00002_enabled: true", 1)
			if name == "in place, same size" {
				hand = strings.Replace(src, "f00002_enabled: false\n", "f00002_enabled: true \n", 1)
			}
			edited := 0
			w := Writer{hook: func(stage, p string) error {
				if stage == hookPrepared && edited == 0 {
					edited++
					return handEdit(path, hand)
				}
				return nil
			}}
			if _, changed, err := w.Update(path, ParseOptions{Env: "production"}, SetBoolean("f19999_enabled", true)); err != nil || !changed {
				t.Fatalf("changed=%v err=%v", changed, err)
			}
			got, _ := os.ReadFile(path)
			if !strings.Contains(string(got), "f00002_enabled: true") {
				t.Error("the hand edit was clobbered")
			}
			if !strings.Contains(string(got), "f19999_enabled: true") {
				t.Error("the edit was lost")
			}
		})
	}
	t.Run("always racing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "production.yaml")
		os.WriteFile(path, []byte(src), 0o644)
		n := 0
		var last string
		w := Writer{hook: func(stage, p string) error {
			if stage == hookPrepared {
				n++
				last = strings.Replace(src, "f00003_enabled: false", fmt.Sprintf("f00003_enabled: false  # hand edit %d", n), 1)
				return os.WriteFile(path, []byte(last), 0o644)
			}
			return nil
		}}
		_, _, err := w.Update(path, ParseOptions{Env: "production"}, SetBoolean("f19999_enabled", true))
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("err = %v, want ErrConflict", err)
		}
		if got, _ := os.ReadFile(path); string(got) != last {
			t.Error("the last hand edit was clobbered")
		}
		if n < 2 || n > 5 {
			t.Errorf("%d attempts, want a few (bounded)", n)
		}
	})
}

// TestLockFileSymlinkRefused: a symlink planted at the lock path is never
// followed, so flagctl cannot be made to create or truncate its target.
func TestLockFileSymlinkRefused(t *testing.T) {
	dir, paths, orig := envFiles(t, "production")
	victim := filepath.Join(dir, "victim")
	if err := os.Symlink(victim, filepath.Join(dir, ".production.yaml.lock")); err != nil {
		t.Fatal(err)
	}
	_, _, err := Update(paths[0], ParseOptions{}, SetBoolean("a_enabled", true))
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("err = %v, want a refusal naming the symbolic link", err)
	}
	if _, err := os.Lstat(victim); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the symlink's target was created: %v", err)
	}
	if got, _ := os.ReadFile(paths[0]); string(got) != orig[0] {
		t.Error("file changed")
	}
}

// TestLockTimeout: a writer waiting on a held lock says what it waits for and
// gives up with ErrLockTimeout, changing nothing.
func TestLockTimeout(t *testing.T) {
	_, paths, orig := envFiles(t, "production")
	unlock, err := Lock(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	var waited []string
	w := Writer{LockTimeout: 30 * time.Millisecond, WaitNotice: time.Millisecond, OnWait: func(path, lock string) {
		waited = append(waited, path+" "+lock)
	}}
	_, _, err = w.Update(paths[0], ParseOptions{}, SetBoolean("a_enabled", true))
	if !errors.Is(err, ErrLockTimeout) || !strings.Contains(err.Error(), ".production.yaml.lock") {
		t.Fatalf("err = %v, want ErrLockTimeout naming the lock file", err)
	}
	if len(waited) != 1 || !strings.HasSuffix(waited[0], ".production.yaml.lock") {
		t.Errorf("OnWait calls = %q, want one naming the lock file", waited)
	}
	if got, _ := os.ReadFile(paths[0]); string(got) != orig[0] {
		t.Error("file changed")
	}
}

// TestWriteIfUnchangedKeepsHandEdit: `fmt`'s write refuses (ErrConflict) when
// a hand edit lands between its read and its rename, keeping the hand edit.
func TestWriteIfUnchangedKeepsHandEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	src := bigFile(20000)
	os.WriteFile(path, []byte(src), 0o644)
	hand := strings.Replace(src, "f00002_enabled: false", "f00002_enabled: true", 1)
	w := Writer{hook: func(stage, _ string) error {
		if stage == hookPrepared {
			return os.WriteFile(path, []byte(hand), 0o644)
		}
		return nil
	}}
	err := w.WriteIfUnchanged(path, Hash([]byte(src)), []byte(src+"  # formatted\n"))
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if got, _ := os.ReadFile(path); string(got) != hand {
		t.Error("the hand edit was clobbered")
	}
	if left := tempFiles(t, filepath.Dir(path)); len(left) > 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// TestKilledWriterHelper is the writer TestKilledWriter kills: it runs only in
// the child process that test starts (FLAGFILE_KILL_DIR set), and dies with
// os.Exit — no deferred clean-up, like SIGKILL — at FLAGFILE_KILL_AT.
func TestKilledWriterHelper(t *testing.T) {
	dir := os.Getenv("FLAGFILE_KILL_DIR")
	if dir == "" {
		return // not the child process
	}
	var stage string
	var nth int
	fmt.Sscanf(os.Getenv("FLAGFILE_KILL_AT"), "%s %d", &stage, &nth)
	envs := strings.Fields(os.Getenv("FLAGFILE_KILL_ENVS"))
	var paths []string
	for _, e := range envs {
		paths = append(paths, filepath.Join(dir, e+".yaml"))
	}
	calls := 0
	w := Writer{hook: func(s, _ string) error {
		if s == stage {
			if calls++; calls == nth {
				os.Exit(3)
			}
		}
		return nil
	}}
	w.UpdateAll(addFlagChanges(paths, envs...))
	os.Exit(0)
}

// TestKilledWriter: a multi-file update killed at any point reaches every file
// or none once the next write of any one of them has run: killed before its
// commit point (temp files being written) it changed nothing and its temp files
// are removed; killed after (between two replaces) the next write completes it.
func TestKilledWriter(t *testing.T) {
	envs := []string{"development", "staging", "production"}
	tests := []struct {
		killAt  string
		partial bool // the kill leaves some files replaced and others not
		want    bool // every file has the new flag in the end (else none)
	}{
		{hookTemp + " 2", false, false},
		{hookPrepared + " 1", false, false},
		{hookReplace + " 1", false, true},
		{hookReplace + " 2", true, true},
		{hookReplace + " 3", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.killAt, func(t *testing.T) {
			dir, paths, orig := envFiles(t, envs...)
			cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterHelper$")
			cmd.Env = append(os.Environ(), "FLAGFILE_KILL_DIR="+dir, "FLAGFILE_KILL_AT="+tt.killAt, "FLAGFILE_KILL_ENVS="+strings.Join(envs, " "))
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Fatalf("child: %v\n%s", err, out)
			}
			replaced := 0
			for i, p := range paths {
				if got, _ := os.ReadFile(p); string(got) != orig[i] {
					replaced++
				}
			}
			if partial := replaced > 0 && replaced < len(paths); partial != tt.partial {
				t.Fatalf("after the kill %d of %d files were replaced; want partial=%v", replaced, len(paths), tt.partial)
			}
			// The next write of any one file.
			if _, _, err := Update(paths[1], ParseOptions{Env: envs[1]}, SetBoolean("a_enabled", true)); err != nil {
				t.Fatal(err)
			}
			for _, p := range paths {
				got, _ := os.ReadFile(p)
				if has := strings.Contains(string(got), "b_enabled:"); has != tt.want {
					t.Errorf("%s has the new flag: %v, want %v:\n%s", filepath.Base(p), has, tt.want, got)
				}
			}
			if !tt.want {
				// Uncommitted: each file's temp files go with its next write.
				for i, p := range paths {
					if _, _, err := Update(p, ParseOptions{Env: envs[i]}, SetBoolean("a_enabled", true)); err != nil {
						t.Fatal(err)
					}
				}
			}
			if left := tempFiles(t, dir); len(left) > 0 {
				t.Errorf("temp files left: %v", left)
			}
		})
	}
}
