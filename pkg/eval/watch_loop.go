package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/fsnotify/fsnotify"
)

// loop is the watcher's goroutine: it turns events into checks (see classify
// and onFile for when) and runs every callback.
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
	pending := false      // a follow-up check waits for the throttle
	var lastEnd time.Time // when the last check ended
	run := func(poll bool) {
		w.check(poll)
		lastEnd = time.Now()
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
			if !pending { // else the follow-up check loads it
				if since := time.Since(lastEnd); since < minReloadGap {
					pending = true // right after another check: with what else comes
					throttle.Reset(minReloadGap - since)
				} else {
					run(false) // an atomic replacement, or a file closed after writing: at once
				}
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
