package eval

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"unsafe"
)

// inotifyCloser is the Linux closeWriter: an inotify instance watching the same
// directories as fsnotify, for writes, creations, removals, moves and
// close-after-write, so that all of them come in one ordered stream.
type inotifyCloser struct {
	fd     int      // the inotify descriptor, owned by f
	f      *os.File // non-blocking, so that close wakes the waiting goroutine
	rc     syscall.RawConn
	buf    []byte
	readyc chan struct{}
	acks   chan struct{}
	quit   chan struct{}
	done   chan struct{}

	mu     sync.Mutex
	closed bool
	wds    map[string]int
	paths  map[int]string
}

// watchParents is how many levels above the file's directory (and each symlink
// target's) Watch watches: on Linux every ancestor, up to the root — an inotify
// watch costs one kernel object and events are filtered by name.
const watchParents = math.MaxInt

// inotifyMask is what the close writer listens for.
const inotifyMask = syscall.IN_MODIFY | syscall.IN_CREATE | syscall.IN_CLOSE_WRITE | syscall.IN_MOVED_TO | syscall.IN_MOVED_FROM | syscall.IN_DELETE

// newCloseWriter starts an inotify instance, or returns nil when inotify is not
// available (Watch then debounces in-place writes as on other platforms).
func newCloseWriter() closeWriter {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil
	}
	f := os.NewFile(uintptr(fd), "inotify")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	c := &inotifyCloser{fd: fd, f: f, rc: rc, buf: make([]byte, 64<<10), readyc: make(chan struct{}), acks: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{}), wds: map[string]int{}, paths: map[int]string{}}
	go c.wait()
	return c
}

// queued returns the number of bytes of events queued on an inotify descriptor
// (FIONREAD), or -1 on failure.
func queued(fd uintptr) int {
	var n int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno != 0 {
		return -1
	}
	return int(n)
}

// wait signals ready whenever events are queued, without reading them: the
// loop is the only reader.
func (c *inotifyCloser) wait() {
	defer close(c.done)
	for {
		if err := c.rc.Read(func(fd uintptr) bool { return queued(fd) != 0 }); err != nil {
			return // closed
		}
		select {
		case c.readyc <- struct{}{}:
		case <-c.quit:
			return
		}
		select {
		case <-c.acks:
		case <-c.quit:
			return
		}
	}
}

func (c *inotifyCloser) ready() <-chan struct{} { return c.readyc }

func (c *inotifyCloser) ack() {
	select {
	case c.acks <- struct{}{}:
	default:
	}
}

func (c *inotifyCloser) add(dir string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return os.ErrClosed
	}
	wd, err := syscall.InotifyAddWatch(c.fd, dir, inotifyMask|syscall.IN_ONLYDIR)
	if err != nil {
		return &os.PathError{Op: "inotify_add_watch", Path: dir, Err: err}
	}
	if old, ok := c.wds[dir]; ok && old != wd {
		delete(c.paths, old)
	}
	c.wds[dir], c.paths[wd] = wd, dir
	return nil
}

func (c *inotifyCloser) remove(dir string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wd, ok := c.wds[dir]
	if !ok || c.closed {
		return
	}
	delete(c.wds, dir)
	delete(c.paths, wd)
	syscall.InotifyRmWatch(c.fd, uint32(wd)) // fails when the directory went first
}

func (c *inotifyCloser) close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.quit)
	err := c.f.Close() // wakes the waiting goroutine
	<-c.done
	return err
}

// drain reads every queued event without blocking and passes each to fn.
func (c *inotifyCloser) drain(fn func(fileEvent)) error {
	for {
		var n int
		var rerr error
		// Control, not Read: Read would queue behind the waiting goroutine.
		err := c.rc.Control(func(fd uintptr) { n, rerr = syscall.Read(int(fd), c.buf) })
		if err != nil {
			return nil // closed
		}
		if rerr == syscall.EAGAIN || rerr == syscall.EINTR || n == 0 && rerr == nil {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("read inotify events: %w", rerr)
		}
		c.parse(c.buf[:n], fn)
	}
}

// parse decodes a buffer of inotify events.
func (c *inotifyCloser) parse(b []byte, fn func(fileEvent)) {
	for off := 0; off+syscall.SizeofInotifyEvent <= len(b); {
		wd := int(int32(binary.NativeEndian.Uint32(b[off:])))
		mask := binary.NativeEndian.Uint32(b[off+4:])
		size := int(binary.NativeEndian.Uint32(b[off+12:]))
		name := b[off+syscall.SizeofInotifyEvent : min(off+syscall.SizeofInotifyEvent+size, len(b))]
		off += syscall.SizeofInotifyEvent + size
		for len(name) > 0 && name[len(name)-1] == 0 {
			name = name[:len(name)-1]
		}
		switch {
		case mask&syscall.IN_Q_OVERFLOW != 0:
			fn(fileEvent{op: fileOverflow})
		case mask&syscall.IN_IGNORED != 0:
			c.mu.Lock()
			if dir, ok := c.paths[wd]; ok {
				delete(c.paths, wd)
				if c.wds[dir] == wd {
					delete(c.wds, dir)
				}
			}
			c.mu.Unlock()
		case mask&inotifyMask != 0 && len(name) > 0:
			c.mu.Lock()
			dir, ok := c.paths[wd]
			c.mu.Unlock()
			if !ok {
				continue
			}
			ev := fileEvent{name: filepath.Join(dir, string(name))}
			switch {
			case mask&syscall.IN_CLOSE_WRITE != 0:
				ev.op = fileClosed
			case mask&syscall.IN_MOVED_TO != 0:
				ev.op = fileMovedIn
			case mask&syscall.IN_CREATE != 0:
				ev.op = fileCreated
			case mask&(syscall.IN_DELETE|syscall.IN_MOVED_FROM) != 0:
				ev.op = fileRemoved
			default:
				ev.op = fileWritten
			}
			fn(ev)
		}
	}
}
