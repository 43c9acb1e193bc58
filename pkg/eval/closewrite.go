package eval

import "errors"

// closeWriter reports, in the order they happened, the writes to the files of
// watched directories and the moments a changed file is complete: closed after
// writing, or moved in (renamed over). fsnotify does not export close-after-write;
// on Linux these events come from an inotify instance of its own
// (closewrite_linux.go). Elsewhere there is none, and Watch debounces in-place
// writes.
//
// The watcher's loop is the only reader: ready says events are queued, drain
// reads every event queued so far without blocking — also right after the file
// was read, so that a write that began before the read ended is always seen.
type closeWriter interface {
	add(dir string) error
	remove(dir string)
	// ready receives when events are queued; call drain, then ack.
	ready() <-chan struct{}
	ack()
	// drain passes every queued event to fn, without blocking.
	drain(fn func(fileEvent)) error
	// close stops the closeWriter and waits for its goroutine to exit.
	close() error
}

// fileEvent is one closeWriter event: the full path and what happened.
type fileEvent struct {
	name string
	op   fileOp
}

type fileOp uint8

const (
	fileWritten  fileOp = iota // written to: the file is incomplete until closed
	fileCreated                // created (by open, link or symlink)
	fileClosed                 // closed after writing: complete
	fileMovedIn                // renamed into place: complete
	fileRemoved                // removed or renamed away
	fileOverflow               // events were lost
)

// errQueueOverflow is IN_Q_OVERFLOW: events were lost.
var errQueueOverflow = errors.New("inotify: queue overflow")
