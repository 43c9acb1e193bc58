package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

func flagsFile(pairs ...string) string {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(&b, "  %s: %s\n", pairs[i], pairs[i+1])
	}
	return b.String()
}

// eventually waits until cond holds (at most 5 s). It checks outcomes, not speed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

type recorder struct {
	mu      sync.Mutex
	errs    []error
	reloads int
}

func (r *recorder) opts() []WatchOption {
	return []WatchOption{
		OnError(func(err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() }),
		OnReload(func(ReloadInfo) { r.mu.Lock(); r.reloads++; r.mu.Unlock() }),
	}
}

func (r *recorder) errors() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reloads
}

func startWatch(t *testing.T, path string, opts ...WatchOption) *Evaluator {
	t.Helper()
	ev, err := Watch(context.Background(), path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ev.Close() })
	return ev
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchInPlaceWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "false"))
	var rec recorder
	ev := startWatch(t, path, rec.opts()...)
	// Truncate, then write in chunks with pauses: an empty and a truncated moment.
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	content := flagsFile("a", "true", "b", "true")
	for i := 0; i < len(content); i += 16 {
		fh.WriteString(content[i:min(i+16, len(content))])
		fh.Sync()
		time.Sleep(3 * time.Millisecond)
	}
	fh.Close()
	eventually(t, "a and b on", func() bool { return ev.Enabled("a") && ev.Enabled("b") })
}

func TestWatchRenameOver(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	writeFile(t, path, flagsFile("a", "false"))
	ev := startWatch(t, path)
	for i := 1; i <= 3; i++ {
		want := i%2 == 1
		tmp := filepath.Join(dir, fmt.Sprintf(".tmp%d", i))
		writeFile(t, tmp, flagsFile("a", fmt.Sprint(want), fmt.Sprintf("n%d", i), "true"))
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
		eventually(t, fmt.Sprintf("rename %d", i), func() bool { return ev.Enabled("a") == want && ev.Enabled(fmt.Sprintf("n%d", i)) })
	}
	// flagctl's own writer.
	if _, _, err := flagfile.Update(path, flagfile.ParseOptions{}, flagfile.SetBoolean("a", false), flagfile.SetBoolean("n3", false)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "flagfile.Update", func() bool { return !ev.Enabled("a") && !ev.Enabled("n3") })
}

func TestWatchSedDeleteRecreateGit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	writeFile(t, path, flagsFile("a", "false"))
	ev := startWatch(t, path)
	if sed, err := exec.LookPath("sed"); err == nil {
		if out, err := exec.Command(sed, "-i", "s/a: false/a: true/", path).CombinedOutput(); err != nil {
			t.Fatalf("sed: %v %s", err, out)
		}
		eventually(t, "sed -i", func() bool { return ev.Enabled("a") })
	}
	os.Remove(path)
	time.Sleep(20 * time.Millisecond)
	writeFile(t, path, flagsFile("a", "false", "b", "true"))
	eventually(t, "delete and re-create", func() bool { return !ev.Enabled("a") && ev.Enabled("b") })

	if _, err := exec.LookPath("git"); err != nil {
		return
	}
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@e", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@e", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", "production.yaml")
	git("commit", "-qm", "one")
	writeFile(t, path, flagsFile("a", "true", "c", "true"))
	git("commit", "-qam", "two")
	eventually(t, "commit two", func() bool { return ev.Enabled("c") })
	git("checkout", "-q", "HEAD~1")
	eventually(t, "git checkout", func() bool { return !ev.Enabled("c") && ev.Enabled("b") })
}

func TestWatchSymlinkTarget(t *testing.T) {
	dir := t.TempDir()
	other := t.TempDir()
	v1, v2 := filepath.Join(other, "v1.yaml"), filepath.Join(other, "v2.yaml")
	writeFile(t, v1, flagsFile("a", "true"))
	writeFile(t, v2, flagsFile("a", "false", "b", "true"))
	link := filepath.Join(dir, "production.yaml")
	os.Symlink(v1, link)
	ev := startWatch(t, link)
	if !ev.Enabled("a") {
		t.Fatal("initial load through the symlink")
	}
	tmp := filepath.Join(dir, ".link.tmp")
	os.Symlink(v2, tmp)
	os.Rename(tmp, link)
	eventually(t, "symlink retargeted", func() bool { return ev.Enabled("b") && !ev.Enabled("a") })
	// Writes to the new target are seen too.
	writeFile(t, v2, flagsFile("a", "true", "b", "true"))
	eventually(t, "write to the new target", func() bool { return ev.Enabled("a") })
}

// TestWatchConfigMap reproduces the Kubernetes ConfigMap volume layout and its
// atomic update: a new ..2026_… directory, a ..data_tmp symlink renamed over ..data.
func TestWatchConfigMap(t *testing.T) {
	dir := t.TempDir()
	publish := func(stamp, content string) {
		ts := filepath.Join(dir, "..2026_11_21_"+stamp)
		os.Mkdir(ts, 0o755)
		writeFile(t, filepath.Join(ts, "flags.yaml"), content)
		os.Symlink(filepath.Base(ts), filepath.Join(dir, "..data_tmp"))
		if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
	}
	publish("10_00_00.1", flagsFile("a", "false"))
	os.Symlink("..data/flags.yaml", filepath.Join(dir, "flags.yaml"))
	ev := startWatch(t, filepath.Join(dir, "flags.yaml"))
	for i, stamp := range []string{"10_01_00.2", "10_02_00.3", "10_03_00.4"} {
		want := i%2 == 0
		old, _ := os.Readlink(filepath.Join(dir, "..data"))
		publish(stamp, flagsFile("a", fmt.Sprint(want), "v"+fmt.Sprint(i), "true"))
		os.RemoveAll(filepath.Join(dir, old)) // kubelet removes the old version
		eventually(t, "ConfigMap update "+stamp, func() bool { return ev.Enabled("a") == want && ev.Enabled("v"+fmt.Sprint(i)) })
	}
}

// TestWatchStorm: a storm of 100 writes (in place and renamed over) that comes in
// while a reload runs costs one more read of the file, which serves the last
// content. The first reload is held in its callback during the storm, so that
// every write comes in while it runs: no timing decides the outcome.
func TestWatchStorm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("n0", "true"))
	var reloads, reads atomic.Int64
	var holding atomic.Bool
	entered, release := make(chan struct{}), make(chan struct{})
	ev := startWatch(t, path, watchFunc(func(c *watchConfig) { c.onRead = func() { reads.Add(1) } }), OnReload(func(ReloadInfo) {
		reloads.Add(1)
		if holding.CompareAndSwap(true, false) {
			entered <- struct{}{}
			<-release
		}
	}))
	holding.Store(true)
	renameOver(t, path, flagsFile("n1", "true"))
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("no reload")
	}
	for i := 2; i <= 100; i++ {
		if i%2 == 0 {
			writeFile(t, path, flagsFile(fmt.Sprintf("n%d", i), "true"))
		} else {
			renameOver(t, path, flagsFile(fmt.Sprintf("n%d", i), "true"))
		}
	}
	before, readsBefore := reloads.Load(), reads.Load()
	close(release)
	eventually(t, "final content", func() bool { return ev.Enabled("n100") && reloads.Load() > before })
	if n := reloads.Load() - before; n != 1 || ev.Enabled("n99") || ev.Len() != 1 {
		t.Errorf("%d reloads after a storm of 100 writes, want 1 serving the last content", n)
	}
	// The debounce (25 ms) may add one read where fsnotify alone decides.
	if n := reads.Load() - readsBefore; n > 2 {
		t.Errorf("%d reads of the file after a storm of 100 writes, want 1 (2 with the debounce)", n)
	}
}

func TestWatchInvalidKeepsLastGood(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true", "b", "true"))
	var rec recorder
	ev := startWatch(t, path, rec.opts()...)
	for _, bad := range []string{"version: 1\nflags:\n  a: [\n", ""} {
		n := len(rec.errors())
		writeFile(t, path, bad)
		eventually(t, "OnError", func() bool { return len(rec.errors()) > n })
		if !ev.Enabled("a") || !ev.Enabled("b") {
			t.Fatal("a bad file replaced the last good snapshot")
		}
		var list flagfile.ErrorList
		if err := rec.errors()[n]; !errors.As(err, &list) || list[0].Pos.Line == 0 {
			t.Errorf("error %v is not positioned", err)
		}
	}
	writeFile(t, path, flagsFile("a", "false", "b", "true"))
	eventually(t, "next valid write", func() bool { return !ev.Enabled("a") })

	// One invalid flag: the others update; it keeps its last good state.
	writeFile(t, path, flagsFile("a", "yes", "b", "false", "c", "true"))
	eventually(t, "partial update", func() bool { return !ev.Enabled("b") && ev.Enabled("c") })
	if ev.Enabled("a") {
		t.Error("invalid flag a lost its last good state (false)")
	}
	d := ev.Explain("a", nil)
	if !d.LastGood || !strings.Contains(d.String(), "last good state") {
		t.Errorf("Explain(a) = %v, want last good state", d)
	}
	errs := rec.errors()
	if !strings.Contains(errs[len(errs)-1].Error(), ":4:6:") {
		t.Errorf("flag-level error not positioned: %v", errs[len(errs)-1])
	}
	// A flag invalid from the start is off.
	writeFile(t, path, flagsFile("a", "true", "new", "on"))
	eventually(t, "a fixed", func() bool { return ev.Enabled("a") })
	if ev.Enabled("new") || ev.Explain("new", nil).Gate != GateUndefined {
		t.Error("a flag that was never valid is not off")
	}
}

func TestWatchStrict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true", "b", "yes"))
	if _, err := Watch(context.Background(), path, Strict()); err == nil {
		t.Fatal("Strict accepted a file with an invalid flag")
	}
	ev, err := Watch(context.Background(), path)
	if err != nil {
		t.Fatalf("default mode refused a file with one invalid flag: %v", err)
	}
	defer ev.Close()
	if !ev.Enabled("a") || ev.Enabled("b") {
		t.Error("default mode: valid flags must load, invalid ones stay off")
	}
	// Problem names the invalid flag's first problem, without the file's path.
	if p := ev.Problem("b"); !strings.HasPrefix(p, "line ") || strings.Contains(p, path) {
		t.Errorf("Problem(b) = %q, want its line and column, no path", p)
	}
	if p := ev.Problem("a") + ev.Problem("nope"); p != "" {
		t.Errorf("Problem of a sound or unknown flag = %q, want none", p)
	}
	writeFile(t, path, "version: 1\nflags: [\n")
	if _, err := Watch(context.Background(), path); err == nil {
		t.Error("a file-level error must fail the first load")
	}
	if _, err := Watch(context.Background(), filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestWatchPollWithoutEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "false"))
	ev := startWatch(t, path, PollInterval(20*time.Millisecond), watchFunc(func(c *watchConfig) { c.noEvents = true }))
	if ev.watch.fs != nil {
		t.Fatal("test watcher receives events")
	}
	writeFile(t, path, flagsFile("a", "true"))
	eventually(t, "poll picks up the change", func() bool { return ev.Enabled("a") })
}

func TestWatchErrorRereads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "false"))
	var rec recorder
	// No events and no polling: only the watcher error can trigger the re-read.
	ev := startWatch(t, path, append(rec.opts(), PollInterval(0), watchFunc(func(c *watchConfig) { c.noEvents = true }))...)
	writeFile(t, path, flagsFile("a", "true"))
	time.Sleep(50 * time.Millisecond)
	if ev.Enabled("a") {
		t.Fatal("reloaded without a trigger")
	}
	ev.watch.injected <- fsnotify.ErrEventOverflow
	eventually(t, "re-read after overflow", func() bool { return ev.Enabled("a") })
	if errs := rec.errors(); len(errs) == 0 || !errors.Is(errs[0], fsnotify.ErrEventOverflow) {
		t.Errorf("overflow not reported: %v", errs)
	}
}

// TestWatchConsistency: readers never see half a file. Flags x and y are always
// equal in every version written; 8 goroutines check it during 1,000 reloads.
func TestWatchConsistency(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	writeFile(t, path, flagsFile("x", "false", "y", "false"))
	var reloads atomic.Int64
	ev := startWatch(t, path, Debounce(0), OnReload(func(ReloadInfo) { reloads.Add(1) }))
	var stop atomic.Bool
	var bad atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				// Both flags from one snapshot, as one check sees them.
				s := ev.snap.Load()
				x, _, _ := s.flags["x"].decide(nil)
				y, _, _ := s.flags["y"].decide(nil)
				if x != y {
					bad.Add(1)
				}
			}
		}()
	}
	for i := 1; i <= 1000; i++ {
		v := fmt.Sprint(i%2 == 1)
		tmp := filepath.Join(dir, ".tmp")
		// v<i> is on in version i only: a checkpoint waits for that very version.
		writeFile(t, tmp, flagsFile("x", v, "y", v, fmt.Sprintf("v%d", i), "true"))
		os.Rename(tmp, path)
		if i%50 == 0 {
			name := fmt.Sprintf("v%d", i)
			eventually(t, "reload", func() bool { return ev.Enabled(name) })
		}
	}
	stop.Store(true)
	wg.Wait()
	if bad.Load() > 0 {
		t.Errorf("%d checks saw x != y", bad.Load())
	}
	if reloads.Load() < 20 {
		t.Errorf("only %d reloads", reloads.Load())
	}
}

func TestReloadInfoChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true", "b", "false", "c", "{description: x}"))
	infos := make(chan ReloadInfo, 10)
	startWatch(t, path, OnReload(func(r ReloadInfo) { infos <- r }))
	if first := <-infos; strings.Join(first.Changed, ",") != "a,b,c" {
		t.Errorf("first load changed %v", first.Changed)
	}
	writeFile(t, path, flagsFile("a", "true", "b", "true", "c", "{description: y}", "d", "false"))
	select {
	case r := <-infos:
		if strings.Join(r.Changed, ",") != "b,d" {
			t.Errorf("changed %v, want b,d (c changed metadata only)", r.Changed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reload")
	}
}

// TestWatchCallbacksCompose: several OnReload and OnError options are all called,
// in the order given (the OpenFeature provider adds its own before the user's).
func TestWatchCallbacksCompose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true", "b", "yes"))
	var mu sync.Mutex
	var calls []string
	call := func(s string) { mu.Lock(); calls = append(calls, s); mu.Unlock() }
	startWatch(t, path,
		OnReload(func(ReloadInfo) { call("reload1") }), OnError(func(error) { call("error1") }),
		OnReload(func(ReloadInfo) { call("reload2") }), OnError(func(error) { call("error2") }))
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(calls, ","); got != "error1,error2,reload1,reload2" {
		t.Errorf("calls %s, want error1,error2,reload1,reload2", got)
	}
}
