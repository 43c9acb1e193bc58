package eval

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
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

// minReloadGap spaces the checks of a burst of atomic replacements: a
// replacement after a quiet moment loads at once, the ones that follow within
// this gap of a check, or come in during it, load together once it has passed
// (the last content always wins).
const minReloadGap = time.Millisecond

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
// Watch watches the directories on the way to the file (every ancestor of the
// path and of each symlink target) before it reads the file, follows the path
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
	w := &watcher{path: path, cfg: cfg, e: &Evaluator{observer: cfg.observer()}, injected: make(chan error, 1), done: make(chan struct{})}
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

func (w *watcher) loop(ctx context.Context) {
	w.loopID.Store(goroutineID())
	defer close(w.done)
	defer w.closeWatchers()
	var events <-chan fsnotify.Event
	var errs <-chan error
	var files <-chan struct{}
	if w.fs != nil {
		events, errs = w.fs.Events, w.fs.Errors
	}
	if w.cw != nil {
		files = w.cw.ready()
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
	throttle := time.NewTimer(time.Hour)
	throttle.Stop()
	defer throttle.Stop()
	pending := false // a follow-up check waits for the throttle
	var last time.Time
	run := func(poll bool) {
		last = time.Now()
		w.check(poll)
		// Changes that came in during the check are loaded together, once
		// minReloadGap has passed: a burst costs few reloads, the last one wins.
		for drained := false; !drained; {
			select {
			case ev, ok := <-events:
				if !ok {
					events = nil
				} else {
					w.fsEvent(ev)
				}
			default:
				drained = true
			}
		}
		w.drainFiles()
		if w.loadSoon && !pending {
			pending = true
			throttle.Reset(minReloadGap)
		}
		w.loadSoon = false
	}
	for ctx.Err() == nil {
		if w.lost {
			w.lost = false
			w.watcherError(errQueueOverflow)
		}
		if w.quietSoon {
			w.quietSoon = false
			debounce.Reset(w.cfg.debounce)
		}
		if w.loadSoon {
			w.loadSoon = false
			if since := time.Since(last); pending {
				// the follow-up check will load it
			} else if since < minReloadGap {
				pending = true
				throttle.Reset(minReloadGap - since)
			} else {
				run(false) // an atomic replacement, or a file closed after writing: at once
			}
		}
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			w.fsEvent(ev)
		case <-files:
			w.drainFiles()
			w.cw.ack()
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			w.watcherError(err)
		case err := <-w.injected:
			w.watcherError(err)
		case <-throttle.C:
			pending = false
			run(false)
		case <-debounce.C:
			run(false)
		case <-poll:
			run(true)
		}
	}
}

// fsEvent schedules the check an fsnotify event asks for.
func (w *watcher) fsEvent(ev fsnotify.Event) {
	switch w.classify(ev) {
	case loadNow:
		w.writing = false // what was written in place is no longer at the path
		w.loadSoon = true
	case loadQuiet:
		w.quietSoon = true
	}
}

// timing says when an event is loaded.
type timing uint8

const (
	ignore    timing = iota // not about the file, or its close event will come
	loadNow                 // an atomic replacement
	loadQuiet               // after the debounce
)

// classify decides when an event is loaded. Events about names that are not on
// the way to the file are ignored (a log file written next to it).
func (w *watcher) classify(ev fsnotify.Event) timing {
	if !w.names[baseName(ev.Name)] {
		return ignore
	}
	quiet := loadQuiet
	if w.cfg.debounce <= 0 {
		quiet = loadNow
	}
	closes := w.cw != nil && w.closeEvents(ev.Name)
	if closes && ev.Op != fsnotify.Chmod {
		return ignore // the closeWriter reports it, in order with the writes
	}
	switch {
	case ev.Has(fsnotify.Create):
		fi, err := os.Lstat(ev.Name)
		if err != nil {
			return quiet
		}
		if !fi.Mode().IsRegular() {
			return loadNow // a symlink or a directory appears complete
		}
		return quiet
	}
	return quiet // removed, renamed away, attributes changed
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
	w.unwatchAll()
	w.writing = false // its close may have been lost
	w.check(false)
}

// drainFiles handles the queued closeWriter events.
func (w *watcher) drainFiles() {
	if w.cw == nil {
		return
	}
	if err := w.cw.drain(w.onFile); err != nil {
		w.lost = true
	}
}

// onFile tracks in-place writers from the closeWriter's ordered events: a file
// written or created is incomplete until its writer closes it.
func (w *watcher) onFile(fe fileEvent) {
	if fe.op == fileOverflow {
		w.lost = true
		return
	}
	if !w.names[baseName(fe.name)] {
		return
	}
	w.touched = true
	switch fe.op {
	case fileWritten:
		w.writing, w.writtenAt = true, time.Now()
	case fileCreated:
		if fi, err := os.Lstat(fe.name); err == nil && fi.Mode().IsRegular() {
			w.writing, w.writtenAt = true, time.Now() // empty until written and closed
		} else {
			w.loadSoon = true // a symlink or a directory appears complete
		}
	case fileRemoved:
		w.writing = false
		if w.cfg.debounce <= 0 {
			w.loadSoon = true
		} else {
			w.quietSoon = true // half of a delete and re-create, or the file is gone
		}
	case fileClosed, fileMovedIn:
		w.writing = false
		w.loadSoon = true
	}
}

// check re-watches the directories on the way and reloads if the content
// changed, unless the file is being written in place (see writing).
func (w *watcher) check(poll bool) {
	if w.fs != nil {
		if err := w.watchDirs(); err != nil {
			w.fail("watch:"+err.Error(), err)
		}
	}
	w.drainFiles()
	if w.writing {
		if !poll || time.Since(w.writtenAt) < w.cfg.poll {
			return
		}
		w.writing = false // a writer that never closes: load what is there
	}
	w.reload(false)
}

// changedWhileRead reports whether the file was written, created, closed or
// moved in while it was being read: the content read may then be half of a
// write, and the check is done again when the write is complete.
func (w *watcher) changedWhileRead() bool {
	if w.cw == nil {
		return false
	}
	w.touched = false
	w.drainFiles()
	return w.touched && (w.writing || w.loadSoon)
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
