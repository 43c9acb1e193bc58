package refscan

import (
	"syscall"
)

// readInto reads a whole file into buf's storage, growing it when needed. On
// Linux it uses the system calls directly (open, fstat, read, close): os.Open
// would also try to register every file with the network poller, and the
// scan opens tens of thousands of them.
func readInto(path string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return buf[:0], err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return buf[:0], err
	}
	size := int(st.Size) + 1 // one more byte: a short read then means EOF
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
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
		buf = buf[:len(buf)+n]
		if n == 0 || len(buf) >= size-1 && len(buf) < cap(buf) { // EOF, or a short read past the size
			return buf, nil
		}
		if len(buf) == cap(buf) { // the file grew: make room, read on
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
