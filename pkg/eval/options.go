package eval

import "time"

// WatchOption configures Watch. Every LoadOption is a WatchOption too; the other
// WatchOptions (OnReload, OnError, Debounce, PollInterval, Strict) configure
// watching only, and Load does not accept them.
type WatchOption interface{ applyWatch(*watchConfig) }

// LoadOption configures Load, New and Watch alike: Observe and Clock.
type LoadOption interface {
	WatchOption
	applyLoad(*loadConfig)
}

// watchFunc is a WatchOption that applies to Watch only.
type watchFunc func(*watchConfig)

func (f watchFunc) applyWatch(c *watchConfig) { f(c) }

// loadConfig is what Load and Watch share.
type loadConfig struct {
	observers []Observer
	clock     TimeSource // see Clock; nil is the system clock
}

type watchConfig struct {
	loadConfig
	onReload   []func(ReloadInfo)
	onError    []func(error)
	debounce   time.Duration
	poll       time.Duration
	strict     bool
	noEvents   bool         // tests: behave as on a filesystem without events
	afterFirst func()       // tests: runs after the first read, before Watch returns
	closeHook  func() error // tests: a failure to stop the watcher
	onRead     func()       // tests: runs before each read of the file
}

// OnReload registers fn, called after the first load and after every reload
// that changed the served content. It runs on the watcher's goroutine; several
// OnReload callbacks are called in the order given. The default is none.
func OnReload(fn func(ReloadInfo)) WatchOption {
	return watchFunc(func(c *watchConfig) { c.onReload = append(c.onReload, fn) })
}

// OnError registers fn, called with every problem: a flagfile.ErrorList of
// positioned parse or validation errors (the last good state keeps serving), or a
// watcher error. A problem is reported once per distinct content of the file, not
// on every event. It runs on the watcher's goroutine; several OnError callbacks
// are called in the order given. The default is none.
func OnError(fn func(error)) WatchOption {
	return watchFunc(func(c *watchConfig) { c.onError = append(c.onError, fn) })
}

// Debounce sets how long plain in-place writes must be quiet before the file is
// read again, where the platform cannot say when the writer closed the file (see
// Watch). Atomic replacements, and on Linux files closed after writing, are
// loaded at once. The default is 25 ms; 0 reads the file on every such event.
func Debounce(d time.Duration) WatchOption {
	return watchFunc(func(c *watchConfig) { c.debounce = d })
}

// PollInterval sets a fallback re-check of the file, for filesystems without
// change events and writers that never close the file. The default is 30 s; 0
// disables polling.
func PollInterval(d time.Duration) WatchOption {
	return watchFunc(func(c *watchConfig) { c.poll = d })
}

// Strict makes any problem in the file, even in a single flag, refuse the whole
// file: the first load fails and a reload keeps the last good snapshot. By
// default valid flags load and each invalid flag keeps its last good state.
func Strict() WatchOption { return watchFunc(func(c *watchConfig) { c.strict = true }) }
