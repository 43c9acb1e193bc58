package refscan

import (
	"syscall"
)

// readInto reads a whole file into buf's storage, growing it when needed. On
// Linux it makes the system calls directly — open, read, close, usually
// nothing more: os.Open would also try to register every file with the network
// poller, and the scan opens tens of thousands of them. A read that returns
// less than it was offered has reached the end of a regular file.
func readInto(path string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0) // a FIFO never blocks
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return buf[:0], err
	}
	defer syscall.Close(fd)
	if cap(buf) < 64<<10 {
		buf = make([]byte, 0, 64<<10)
	}
	buf = buf[:0]
	for {
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf, err
		}
		want := cap(buf) - len(buf)
		buf = buf[:len(buf)+n]
		if n < want {
			return buf, nil
		}
		buf = append(buf, 0)[:len(buf)] // full: make room (append doubles), read on
	}
}
