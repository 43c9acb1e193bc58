package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// renameOver writes content next to path and renames it over path.
func renameOver(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	writeFile(t, tmp, content)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestWatchStartupWindow: a change made right after the first read (before
// Watch returns) is loaded without polling: the watches exist before the read.
func TestWatchStartupWindow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "false"))
	ev := startWatch(t, path, PollInterval(0), watchFunc(func(c *watchConfig) {
		c.afterFirst = func() { renameOver(t, path, flagsFile("a", "true")) }
	}))
	eventually(t, "the write made during start-up", func() bool { return ev.Enabled("a") })
}

// TestWatchDirectoryLifecycle: the file's directory removed and re-created,
// replaced as a whole by a rename, or reached through a symlink that is swapped
// (Capistrano's current -> releases/N): the path is followed, not the inode, and
// later edits are seen too. No polling: events alone must do it.
func TestWatchDirectoryLifecycle(t *testing.T) {
	tests := []struct {
		name string
		// setup returns the path to watch and a function that replaces what is
		// at the path with content for version i.
		setup func(t *testing.T, root string) (string, func(i int, content string))
	}{
		{"rm -rf, mkdir, write", func(t *testing.T, root string) (string, func(int, string)) {
			dir := filepath.Join(root, "flags")
			os.Mkdir(dir, 0o755)
			path := filepath.Join(dir, "production.yaml")
			return path, func(_ int, content string) {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				os.Mkdir(dir, 0o755)
				writeFile(t, path, content)
			}
		}},
		{"mv flags flags.old; mv flags.new flags", func(t *testing.T, root string) (string, func(int, string)) {
			dir := filepath.Join(root, "flags")
			os.Mkdir(dir, 0o755)
			path := filepath.Join(dir, "production.yaml")
			return path, func(i int, content string) {
				next := filepath.Join(root, "flags.new")
				os.Mkdir(next, 0o755)
				writeFile(t, filepath.Join(next, "production.yaml"), content)
				old := filepath.Join(root, fmt.Sprintf("flags.old%d", i))
				if err := os.Rename(dir, old); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(next, dir); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"current -> releases/N symlink swap", func(t *testing.T, root string) (string, func(int, string)) {
			os.MkdirAll(filepath.Join(root, "releases", "0"), 0o755)
			os.Symlink(filepath.Join("releases", "0"), filepath.Join(root, "current"))
			path := filepath.Join(root, "current", "production.yaml")
			return path, func(i int, content string) {
				rel := filepath.Join(root, "releases", fmt.Sprint(i))
				os.MkdirAll(rel, 0o755)
				writeFile(t, filepath.Join(rel, "production.yaml"), content)
				tmp := filepath.Join(root, "current.tmp")
				os.Symlink(filepath.Join("releases", fmt.Sprint(i)), tmp)
				if err := os.Rename(tmp, filepath.Join(root, "current")); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, replace := tt.setup(t, t.TempDir())
			writeFile(t, path, flagsFile("v0", "true"))
			ev := startWatch(t, path, PollInterval(0))
			for i := 1; i <= 3; i++ {
				replace(i, flagsFile(fmt.Sprintf("v%d", i), "true"))
				eventually(t, fmt.Sprintf("replacement %d", i), func() bool { return ev.Enabled(fmt.Sprintf("v%d", i)) })
				// A later edit in the new directory, in place.
				writeFile(t, path, flagsFile(fmt.Sprintf("v%d", i), "true", "edit", fmt.Sprint(i%2 == 1)))
				eventually(t, fmt.Sprintf("edit after replacement %d", i), func() bool { return ev.Enabled("edit") == (i%2 == 1) && ev.Explain("edit", nil).Gate != GateUndefined })
			}
		})
	}
}

// TestWatchSlowInPlaceWriter: a writer that pauses for longer than the debounce
// in the middle of an in-place write has its half-written file not served; the
// file is loaded when the writer closes it.
func TestWatchSlowInPlaceWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("stable", "true", "a", "false"))
	var reloads atomic.Int64
	ev := startWatch(t, path, PollInterval(0), Debounce(5*time.Millisecond), OnReload(func(ReloadInfo) { reloads.Add(1) }))
	var bad atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if !ev.Enabled("stable") {
				bad.Add(1)
			}
		}
	}()
	for v := 1; v <= 3; v++ {
		content := flagsFile("a", fmt.Sprint(v%2 == 1), "b", "true", "stable", "true")
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			t.Fatal(err)
		}
		half := strings.Index(content, "stable")
		fh.WriteString(content[:half])
		time.Sleep(50 * time.Millisecond) // ten debounces
		fh.WriteString(content[half:])
		fh.Close()
		eventually(t, fmt.Sprintf("version %d", v), func() bool { return ev.Enabled("a") == (v%2 == 1) && ev.Enabled("b") })
	}
	close(stop)
	wg.Wait()
	if n := bad.Load(); n > 0 {
		t.Errorf("stable read as off %d times: a half-written file was served", n)
	}
}

// TestWatchCloseFromCallback: Close called from OnReload or OnError returns (and
// stops the watcher); no deadlock.
func TestWatchCloseFromCallback(t *testing.T) {
	for _, from := range []string{"OnReload", "OnError"} {
		t.Run(from, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "production.yaml")
			writeFile(t, path, flagsFile("a", "false"))
			var evp atomic.Pointer[Evaluator]
			returned := make(chan error, 1)
			closeNow := func() {
				if ev := evp.Load(); ev != nil {
					returned <- ev.Close()
				}
			}
			ev := startWatch(t, path, OnReload(func(ReloadInfo) { closeNow() }), OnError(func(error) { closeNow() }))
			evp.Store(ev)
			if from == "OnReload" {
				renameOver(t, path, flagsFile("a", "true"))
			} else {
				renameOver(t, path, "version: 1\nflags: [\n")
			}
			select {
			case err := <-returned:
				if err != nil {
					t.Errorf("Close from %s: %v", from, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Close from %s deadlocks", from)
			}
			select {
			case <-ev.watch.done:
			case <-time.After(5 * time.Second):
				t.Fatal("the watcher did not stop after the callback returned")
			}
			if err := ev.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

// TestWatchErrorOncePerContent: while the file is broken, unrelated events in
// its directory and events that leave its content as it is do not report the
// same error again; a different broken content does.
func TestWatchErrorOncePerContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	writeFile(t, path, flagsFile("a", "true"))
	var rec recorder
	ev := startWatch(t, path, append(rec.opts(), Debounce(0), PollInterval(0))...)
	renameOver(t, path, "version: 1\nflags: [\n")
	eventually(t, "the first error", func() bool { return len(rec.errors()) == 1 })
	for i := 0; i < 5; i++ {
		writeFile(t, filepath.Join(dir, "app.log"), strings.Repeat("log line\n", i+1))
		writeFile(t, filepath.Join(dir, fmt.Sprintf("other%d", i)), "x")
		now := time.Now().Add(time.Duration(i) * time.Second)
		os.Chtimes(path, now, now) // an event on the file itself, same content
		renameOver(t, path, "version: 1\nflags: [\n")
	}
	renameOver(t, path, "version: 1\nflags: {\n") // another broken content
	eventually(t, "the second error", func() bool { return len(rec.errors()) >= 2 })
	if errs := rec.errors(); len(errs) != 2 {
		t.Errorf("%d errors, want 2 (one per broken content): %v", len(errs), errs)
	}
	if !ev.Enabled("a") {
		t.Error("the last good snapshot was dropped")
	}
	// Back to the content already served: the callbacks hear it is valid again.
	n := rec.count()
	writeFile(t, path, flagsFile("a", "true"))
	eventually(t, "valid again", func() bool { return rec.count() > n })
}

// TestWatchCloseReportsFailure: Close returns the failure to stop the watcher.
func TestWatchCloseReportsFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true"))
	boom := errors.New("boom")
	ev, err := Watch(context.Background(), path, watchFunc(func(c *watchConfig) { c.closeHook = func() error { return boom } }))
	if err != nil {
		t.Fatal(err)
	}
	if err := ev.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want the failure", err)
	}
	if err := ev.Close(); !errors.Is(err, boom) {
		t.Errorf("second Close = %v, want the same failure", err)
	}
}

// TestWatchReaderConsistency: flags x and y are written together in every version
// (both carry the version number). Readers checking x, then y, then x again must
// see versions that never go back and y between the two reads of x: no check
// ever sees a half-written file or a mix of two versions across successive reads.
// 8 readers, 1,000 reloads, every kind of writer, among them an in-place writer
// that pauses between x and y for longer than the debounce.
func TestWatchReaderConsistency(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	version := func(i int) string {
		p := fmt.Sprintf("%d.%03d%%", i/1000, i%1000)
		return flagsFile("x", "{percentage_of_time: "+p+"}", "pad", "{description: \""+strings.Repeat("p", i%300)+"\"}", "y", "{percentage_of_time: "+p+"}")
	}
	writeFile(t, path, version(1))
	var reloads atomic.Int64
	ev := startWatch(t, path, PollInterval(0), Debounce(5*time.Millisecond), OnReload(func(ReloadInfo) { reloads.Add(1) }))
	read := func(flag string) int {
		d := ev.Explain(flag, nil)
		if d.Gate != GatePercentageOfTime {
			return -1
		}
		return int(math.Round(d.Percentage * float64(flagfile.PercentMax)))
	}
	var stop atomic.Bool
	var bad atomic.Int64
	var firstBad atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for !stop.Load() {
				x1, y, x2 := read("x"), read("y"), read("x")
				if x1 < last || y < x1 || x2 < y {
					if bad.Add(1) == 1 {
						firstBad.Store(fmt.Sprintf("last %d, then x %d, y %d, x %d", last, x1, y, x2))
					}
				}
				last = x2
			}
		}()
	}
	for i := 2; i <= 1001; i++ {
		switch {
		case i%50 == 25: // slow in place: x written, a pause, then y
			content := version(i)
			fh, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			half := strings.Index(content, "  y:")
			fh.WriteString(content[:half])
			time.Sleep(20 * time.Millisecond)
			fh.WriteString(content[half:])
			fh.Close()
		case i%3 == 0:
			renameOver(t, path, version(i))
		case i%3 == 1:
			writeFile(t, path, version(i)) // in place, closed at once
		default:
			os.Remove(path)
			writeFile(t, path, version(i)) // created after delete
		}
		if i%50 == 0 {
			eventually(t, fmt.Sprintf("version %d", i), func() bool { return read("y") >= i })
		}
	}
	eventually(t, "the last version", func() bool { return read("x") == 1001 })
	stop.Store(true)
	wg.Wait()
	if n := bad.Load(); n > 0 {
		t.Errorf("%d reads saw versions out of order or mixed; first: %v", n, firstBad.Load())
	}
	if reloads.Load() < 20 {
		t.Errorf("only %d reloads", reloads.Load())
	}
}

// TestWatchNoGoroutineLeft: after Close (or a cancelled context), no goroutine
// of pkg/eval or fsnotify is left, judged by stack content.
func TestWatchNoGoroutineLeft(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true"))
	for i := 0; i < 3; i++ {
		ev, err := Watch(context.Background(), path, PollInterval(time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		renameOver(t, path, flagsFile("a", "true", "n", fmt.Sprint(i%2 == 0)))
		if err := ev.Close(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		ev, err = Watch(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		<-ev.watch.done
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var left []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "flagctl/pkg/eval.Test") {
				continue // this test
			}
			if strings.Contains(g, "flagctl/pkg/eval.") || strings.Contains(g, "fsnotify") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left after Close:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
