package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
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
	// (sorted; every flag on the first load).
	Changed []string
}

// WatchOption configures Watch.
type WatchOption func(*watchConfig)

type watchConfig struct {
	onReload  func(ReloadInfo)
	onError   func(error)
	debounce  time.Duration
	poll      time.Duration
	strict    bool
	noEvents  bool // tests: behave as on a filesystem without events
	observers []Observer
	clock     TimeSource // see Clock; nil is the system clock
}

// OnReload registers fn, called after the first load and after every reload
// that changed the served content. It runs on the watcher's goroutine. The
// default is no callback.
func OnReload(fn func(ReloadInfo)) WatchOption { return func(c *watchConfig) { c.onReload = fn } }

// OnError registers fn, called with every problem: a flagfile.ErrorList of
// positioned parse or validation errors (the last good state keeps serving), or a
// watcher error. The default is no callback.
func OnError(fn func(error)) WatchOption { return func(c *watchConfig) { c.onError = fn } }

// Debounce sets how long a change must be quiet before the file is read again.
// The default is 25 ms; 0 reads the file on every event.
func Debounce(d time.Duration) WatchOption { return func(c *watchConfig) { c.debounce = d } }

// PollInterval sets a fallback re-check of the file, for filesystems without
// change events. The default is 30 s; 0 disables polling.
func PollInterval(d time.Duration) WatchOption { return func(c *watchConfig) { c.poll = d } }

// Strict makes any problem in the file, even in a single flag, refuse the whole
// file: the first load fails and a reload keeps the last good snapshot. By
// default valid flags load and each invalid flag keeps its last good state.
func Strict() WatchOption { return func(c *watchConfig) { c.strict = true } }

// watcher is the running state of Watch.
type watcher struct {
	path string
	cfg  watchConfig
	e    *Evaluator

	fs       *fsnotify.Watcher
	dirs     map[string]bool // directories being watched
	injected chan error      // tests: simulated watcher errors
	cancel   context.CancelFunc
	done     chan struct{}
	once     sync.Once
}

// Watch loads the flag file at path and keeps the returned Evaluator current as
// the file changes, however it is changed: in-place writes, a rename over it
// (editors, flagctl, deploy tools), delete and re-create, git checkout, a symlink
// whose target changes, or a Kubernetes ConfigMap volume (..data symlink swap).
//
// Watch watches the directory, not the file, resolves symlinks on every event,
// and reloads only when the content hash changed. A file-level problem
// (unreadable, not YAML, wrong version, too large) makes the first load fail and
// later reloads keep the last good snapshot; a problem inside one flag keeps that
// flag's last good state (see Strict). Problems go to OnError; nothing panics and
// readers never wait.
//
// Cancelling ctx or calling Close stops every goroutine; the Evaluator keeps
// serving its last snapshot.
func Watch(ctx context.Context, path string, opts ...WatchOption) (*Evaluator, error) {
	cfg := watchConfig{debounce: 25 * time.Millisecond, poll: 30 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	w := &watcher{path: path, cfg: cfg, e: &Evaluator{observer: cfg.observer(), clock: cfg.clock}, dirs: map[string]bool{}, injected: make(chan error, 1), done: make(chan struct{})}
	w.e.watch = w
	if _, err := w.reload(true); err != nil {
		return nil, err
	}
	if !cfg.noEvents {
		fw, err := fsnotify.NewWatcher()
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", path, err)
		}
		w.fs = fw
		if err := w.watchDirs(); err != nil {
			fw.Close()
			return nil, err
		}
	}
	ctx, w.cancel = context.WithCancel(ctx)
	go w.loop(ctx)
	return w.e, nil
}

// Close stops watching. Evaluation keeps working with the last snapshot. Close
// is safe to call more than once and on an Evaluator that does not watch.
func (e *Evaluator) Close() error {
	if e.watch == nil {
		return nil
	}
	e.watch.stop()
	return nil
}

func (w *watcher) stop() {
	w.once.Do(func() {
		if w.cancel != nil {
			w.cancel()
			<-w.done
		}
	})
}

// watchDirs watches the directory of the path and of every link on the way to
// its target (a ConfigMap's flags.yaml -> ..data/flags.yaml -> ..2026_…/flags.yaml).
func (w *watcher) watchDirs() error {
	want := map[string]bool{filepath.Dir(w.path): true}
	p := w.path
	for i := 0; i < 40; i++ {
		target, err := os.Readlink(p)
		if err != nil {
			break
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		want[filepath.Dir(target)] = true
		p = target
	}
	if real, err := filepath.EvalSymlinks(w.path); err == nil {
		want[filepath.Dir(real)] = true
	}
	for d := range want {
		if w.dirs[d] {
			continue
		}
		if err := w.fs.Add(d); err != nil {
			if w.dirs[filepath.Dir(w.path)] || d != filepath.Dir(w.path) {
				continue // a target directory that vanished; the next event retries
			}
			return fmt.Errorf("watch %s: %w", d, err)
		}
		w.dirs[d] = true
	}
	return nil
}

func (w *watcher) loop(ctx context.Context) {
	defer close(w.done)
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w.fs != nil {
		defer w.fs.Close()
		events, errs = w.fs.Events, w.fs.Errors
	}
	var poll <-chan time.Time
	if w.cfg.poll > 0 {
		t := time.NewTicker(w.cfg.poll)
		defer t.Stop()
		poll = t.C
	}
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	defer debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.cfg.debounce <= 0 {
				w.check()
				continue
			}
			debounce.Reset(w.cfg.debounce)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			w.watcherError(err)
		case err := <-w.injected:
			w.watcherError(err)
		case <-debounce.C:
			w.check()
		case <-poll:
			w.check()
		}
	}
}

// watcherError reports a watcher error (an event overflow among them) and does a
// full re-read, re-adding the watches: events may have been lost.
func (w *watcher) watcherError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		err = fmt.Errorf("watch %s: events were lost (%w); re-read the file", w.path, err)
	} else {
		err = fmt.Errorf("watch %s: %w", w.path, err)
	}
	w.report(err)
	if w.fs != nil {
		for d := range w.dirs {
			w.fs.Remove(d)
		}
		w.dirs = map[string]bool{}
	}
	w.check()
}

// check re-watches symlink targets and reloads if the content changed.
func (w *watcher) check() {
	if w.fs != nil {
		if err := w.watchDirs(); err != nil {
			w.report(err)
		}
	}
	if _, err := w.reload(false); err != nil {
		w.report(err)
	}
}

func (w *watcher) report(err error) {
	if w.cfg.onError != nil && err != nil {
		w.cfg.onError(err)
	}
}

// reload reads the file and, when its content changed, compiles and publishes
// it. On the first load every error is returned; later, file-level errors are
// returned (the caller reports them) and flag-level problems are reported here.
func (w *watcher) reload(first bool) (bool, error) {
	start := time.Now()
	data, err := os.ReadFile(w.path)
	if err != nil {
		return false, err
	}
	sum := flagfile.Hash(data)
	e := w.e
	e.mu.Lock()
	base := e.base
	e.mu.Unlock()
	if base != nil && base.sum == sum {
		return false, nil
	}
	f, err := flagfile.Parse(w.path, data, flagfile.ParseOptions{})
	if f == nil || err != nil && w.cfg.strict {
		return false, err
	}
	s := compile(f, base, data)
	e.install(s)
	invalid := 0
	for _, fl := range f.Flags {
		if len(fl.Problems) > 0 {
			invalid++
		}
	}
	if err != nil {
		w.report(err) // flag-level problems: the rest of the file is served
	}
	if w.cfg.onReload != nil {
		w.cfg.onReload(ReloadInfo{Version: s.version, Flags: len(s.flags), Invalid: invalid, Took: time.Since(start), Changed: changedFlags(base, s)})
	}
	return true, nil
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
