package eval

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// ReloadInfo describes one successful reload.
type ReloadInfo struct {
	// Version is the SHA-256 (hex) of the content now served.
	Version string
	// Flags is the number of flags now served.
	Flags int
	// Invalid is the number of flags that are invalid in the file and are served
	// from their last good state (or are off, if they never had one).
	Invalid int
	// Took is the time from reading the file to publishing the snapshot.
	Took time.Duration
	// Changed names the flags whose gates changed, were added or were removed
	// (sorted; every flag on the first load; none when the file became valid again
	// with the content already served).
	Changed []string
}

// minReloadGap spaces the checks of a burst: a change loads at once when the
// last check ended at least this long ago; otherwise it loads this long after
// that check, together with every change that came in meanwhile (the last
// content always wins). So a burst costs about one reload per reload time plus
// this gap, and a single change waits for it only when it comes right after
// another one.
const minReloadGap = 1750 * time.Microsecond

// watcher is the running state of Watch.
type watcher struct {
	path string
	cfg  watchConfig
	e    *Evaluator

	fs       *fsnotify.Watcher
	cw       closeWriter  // close-after-write and moved-in events (Linux); nil elsewhere
	dirs     []watchedDir // the directories watched, with the identity each had then
	names    map[string]bool
	injected chan error // tests: simulated watcher errors
	cancel   context.CancelFunc
	done     chan struct{}

	loopID     atomic.Uint64 // goroutine of the loop (Close from a callback)
	inCallback atomic.Bool
	stopOnce   sync.Once
	closeOnce  sync.Once
	closeErr   error

	failed  string // the problem last reported: a content hash or an error text
	invalid int    // invalid flags in the content served

	// writing: the file was written in place and not closed yet (Linux): it is
	// not read until it is closed, or until a poll at least PollInterval after
	// the last write.
	writing   bool
	writtenAt time.Time
	touched   bool // a closeWriter event about a name on the way was drained
	loadSoon  bool // an event asks for a check at once
	quietSoon bool // an event asks for a check after the debounce
	lost      bool // the closeWriter lost events
}

// Watch loads the flag file at path and keeps the returned Evaluator current as
// the file changes, however it is changed: in-place writes, a rename over it
// (editors, flagctl, deploy tools), delete and re-create, git checkout, a symlink
// whose target changes, the directory (or a symlink to it) replaced as a whole,
// or a Kubernetes ConfigMap volume (..data symlink swap).
//
// Watch watches the directories on the way to the file (on Linux every ancestor
// of the path and of each symlink target; elsewhere their directories and
// parents) before it reads the file, follows the path
// rather than the inode when any of them is replaced, and reloads only when the
// content hash changed. Only regular files are read, at most
// flagfile.MaxFileSize bytes of them.
//
// When a change is loaded: an atomic replacement (a file renamed or a symlink
// swapped over the path, a directory replaced) at once; on Linux, a file written
// in place or created when its writer closes it, however long it pauses in
// between. A removal, and elsewhere an in-place write or a created file, once the
// path has been quiet for the Debounce. Content written by a writer that never
// closes the file is loaded by the PollInterval fallback, as it is at that moment.
//
// A file-level problem (unreadable, not YAML, wrong version, too large, not a
// regular file) makes the first load fail and later reloads keep the last good
// snapshot; a problem inside one flag keeps that flag's last good state (see
// Strict). Problems go to OnError, once per distinct content; nothing panics and
// readers never wait.
//
// Cancelling ctx or calling Close stops every goroutine; the Evaluator keeps
// serving its last snapshot.
func Watch(ctx context.Context, path string, opts ...WatchOption) (*Evaluator, error) {
	cfg := watchConfig{debounce: 25 * time.Millisecond, poll: 30 * time.Second}
	for _, o := range opts {
		o.applyWatch(&cfg)
	}
	w := &watcher{path: path, cfg: cfg, e: &Evaluator{observer: cfg.observer(), clock: cfg.clock}, injected: make(chan error, 1), done: make(chan struct{})}
	w.e.watch = w
	// Watch first, then read: a change made in between is seen by the loop.
	if !cfg.noEvents {
		fw, err := fsnotify.NewWatcher()
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", path, err)
		}
		w.fs = fw
		w.cw = newCloseWriter()
		if err := w.watchDirs(); err != nil {
			w.closeWatchers()
			return nil, err
		}
	}
	if err := w.reload(true); err != nil {
		w.closeWatchers()
		return nil, err
	}
	if cfg.afterFirst != nil {
		cfg.afterFirst()
	}
	ctx, w.cancel = context.WithCancel(ctx)
	go w.loop(ctx)
	return w.e, nil
}

// Close stops watching: it waits for a running OnReload or OnError callback to
// return and for every goroutine of the watcher to exit. Called from such a
// callback, it does not wait: the watcher stops when the callback returns.
// Evaluation keeps working with the last snapshot. Close returns an error when
// the file system watcher could not be stopped cleanly; it is safe to call more
// than once (later calls return the same error) and on an Evaluator that does
// not watch.
func (e *Evaluator) Close() error {
	if e.watch == nil {
		return nil
	}
	return e.watch.stop()
}

func (w *watcher) stop() error {
	w.stopOnce.Do(func() {
		w.cancel()
		if w.inCallback.Load() && goroutineID() == w.loopID.Load() {
			w.closeWatchers() // Close from a callback: the loop exits after it
			return
		}
		<-w.done
	})
	return w.closeErr
}

// closeWatchers stops the event sources, once, and records what failed.
func (w *watcher) closeWatchers() {
	w.closeOnce.Do(func() {
		var errs []error
		if w.fs != nil {
			errs = append(errs, w.fs.Close())
		}
		if w.cw != nil {
			errs = append(errs, w.cw.close())
		}
		if w.cfg.closeHook != nil {
			errs = append(errs, w.cfg.closeHook())
		}
		if err := errors.Join(errs...); err != nil {
			w.closeErr = fmt.Errorf("stop watching %s: %w", w.path, err)
		}
	})
}

// goroutineID returns the current goroutine's ID, from the first line of its
// stack ("goroutine 42 [running]:"). Only Close uses it, to know whether it runs
// inside a callback of the loop.
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return 0
	}
	var id uint64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}

// report calls the OnError callbacks.
func (w *watcher) report(err error) {
	if err == nil || len(w.cfg.onError) == 0 {
		return
	}
	w.inCallback.Store(true)
	defer w.inCallback.Store(false)
	for _, fn := range w.cfg.onError {
		fn(err)
	}
}

// reloaded calls the OnReload callbacks.
func (w *watcher) reloaded(r ReloadInfo) {
	if len(w.cfg.onReload) == 0 {
		return
	}
	w.inCallback.Store(true)
	defer w.inCallback.Store(false)
	for _, fn := range w.cfg.onReload {
		fn(r)
	}
}

// fail reports a problem unless it is the one reported last (the same broken
// content, the same read error): unrelated events do not repeat it.
func (w *watcher) fail(key string, err error) {
	if key != w.failed {
		w.failed = key
		w.report(err)
	}
}

// reload reads the file and, when its content changed, compiles and publishes
// it. On the first load every error is returned; later, file-level errors are
// reported once per distinct content, and flag-level problems once per reload.
func (w *watcher) reload(first bool) error {
	start := time.Now()
	if w.cfg.onRead != nil {
		w.cfg.onRead()
	}
	data, err := flagfile.ReadFile(w.path, 0)
	if w.changedWhileRead() && !first {
		return nil // read again once complete (the first load takes what is there)
	}
	if err != nil {
		if !first {
			w.fail("read:"+err.Error(), err)
		}
		return err
	}
	sum := flagfile.Hash(data)
	e := w.e
	e.mu.Lock()
	base := e.base
	e.mu.Unlock()
	if base != nil && base.sum == sum {
		if w.failed != "" { // valid again, with the content already served
			w.failed = ""
			w.reloaded(ReloadInfo{Version: base.version, Flags: len(base.flags), Invalid: w.invalid, Took: time.Since(start)})
		}
		return nil
	}
	key := "content:" + hex.EncodeToString(sum[:])
	if key == w.failed {
		return nil
	}
	f, err := flagfile.Parse(w.path, data, flagfile.ParseOptions{})
	if f == nil || err != nil && w.cfg.strict {
		if !first {
			w.fail(key, err)
		}
		return err
	}
	s := compile(f, base, data)
	e.install(s)
	w.failed = ""
	w.invalid = 0
	for _, fl := range f.Flags {
		if len(fl.Problems) > 0 {
			w.invalid++
		}
	}
	w.report(err) // flag-level problems: the rest of the file is served
	w.reloaded(ReloadInfo{Version: s.version, Flags: len(s.flags), Invalid: w.invalid, Took: time.Since(start), Changed: changedFlags(base, s)})
	return nil
}

// changedFlags lists the flags whose gates differ between two snapshots.
func changedFlags(old, cur *snapshot) []string {
	var out []string
	for name, c := range cur.flags {
		if old == nil || !c.sameGates(old.flags[name]) {
			out = append(out, name)
		}
	}
	if old != nil {
		for name := range old.flags {
			if cur.flags[name] == nil {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}
