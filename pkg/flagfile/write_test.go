package flagfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func writeTemp(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriteFileKeepsModeAndSymlink(t *testing.T) {
	path := writeTemp(t, "staging.yaml", "version: 1\nflags: {}\n", 0o640)
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("version: 1\nflags:\n  a: true\n")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("link is no longer a symlink: %v", err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", st.Mode().Perm())
	}
	if got, _ := os.ReadFile(path); !strings.Contains(string(got), "a: true") {
		t.Errorf("target not written: %s", got)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temp file left: %s", e.Name())
		}
	}
}

func TestWriteFileFailureLeavesOriginal(t *testing.T) {
	if os.Geteuid() == 0 {
		// Root ignores directory permissions; make the rename fail instead by
		// writing over a directory.
		dir := t.TempDir()
		target := filepath.Join(dir, "flags.yaml")
		os.Mkdir(target, 0o755)
		os.WriteFile(filepath.Join(target, "keep"), []byte("x"), 0o644)
		if err := WriteFile(target, []byte("version: 1\n")); err == nil {
			t.Fatal("write over a non-empty directory succeeded")
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("temp file left behind: %v", entries)
		}
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "flags.yaml")
	os.WriteFile(path, []byte("original"), 0o644)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if err := WriteFile(path, []byte("new")); err == nil {
		t.Fatal("write into a read-only directory succeeded")
	}
	if got, _ := os.ReadFile(path); string(got) != "original" {
		t.Errorf("original changed: %q", got)
	}
}

func TestWriteIfUnchanged(t *testing.T) {
	path := writeTemp(t, "p.yaml", "one", 0o644)
	old := Hash([]byte("one"))
	os.WriteFile(path, []byte("two"), 0o644)
	if err := WriteIfUnchanged(path, old, []byte("three")); !errors.Is(err, ErrConflict) {
		t.Errorf("err = %v, want ErrConflict", err)
	}
	if err := WriteIfUnchanged(path, Hash([]byte("two")), []byte("three")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "three" {
		t.Errorf("got %q", got)
	}
}

// TestConcurrentUpdates: 50 writers, each with its own file handles, enable a
// different flag of one file at once; every update must survive.
func TestConcurrentUpdates(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "  # flag %d\n  f%02d_enabled: false\n", i, i)
	}
	path := writeTemp(t, "production.yaml", b.String(), 0o644)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := Update(path, ParseOptions{Env: "production"}, SetBoolean(fmt.Sprintf("f%02d_enabled", i), true)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	f := parseFile(t, path)
	for _, fl := range f.Flags {
		if !fl.BooleanOn() {
			t.Errorf("%s lost its update", fl.Name)
		}
	}
	if !strings.Contains(string(f.src), "# flag 49\n") {
		t.Error("comments lost")
	}
}

func TestUpdateErrorLeavesFile(t *testing.T) {
	const src = "version: 1\nflags:\n  a: true\n"
	path := writeTemp(t, "x.yaml", src, 0o644)
	if _, _, err := Update(path, ParseOptions{}, SetBoolean("b", true)); !errors.Is(err, ErrUnknownFlag) {
		t.Errorf("err = %v, want ErrUnknownFlag", err)
	}
	if got, _ := os.ReadFile(path); string(got) != src {
		t.Errorf("file changed: %q", got)
	}
	_, changed, err := Update(path, ParseOptions{}, SetBoolean("a", true))
	if err != nil || changed {
		t.Errorf("no-op update: changed=%v err=%v", changed, err)
	}
}
