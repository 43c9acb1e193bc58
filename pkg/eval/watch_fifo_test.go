//go:build unix

package eval

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// TestWatchRefusesNonRegular: a FIFO renamed over the file neither blocks the
// watcher nor Close, and is reported; a huge sparse file is refused without being
// read; the next good file is served.
func TestWatchRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	writeFile(t, path, flagsFile("a", "true"))
	var rec recorder
	ev := startWatch(t, path, rec.opts()...)

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(fifo, path); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the FIFO reported", func() bool {
		errs := rec.errors()
		return len(errs) > 0 && errors.Is(errs[len(errs)-1], flagfile.ErrNotRegular)
	})
	if _, err := Load(path); !errors.Is(err, flagfile.ErrNotRegular) {
		t.Errorf("Load of a FIFO: %v", err)
	}

	huge := filepath.Join(dir, "huge")
	fh, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := fh.Truncate(3 << 30); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	if err := os.Rename(huge, path); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the huge file reported", func() bool {
		errs := rec.errors()
		return len(errs) > 0 && errors.Is(errs[len(errs)-1], flagfile.ErrTooLarge)
	})
	if !ev.Enabled("a") {
		t.Error("the last good snapshot was dropped")
	}
	renameOver(t, path, flagsFile("a", "false", "b", "true"))
	eventually(t, "the next good file", func() bool { return ev.Enabled("b") })
	closed := make(chan error)
	go func() { closed <- ev.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs")
	}
}
