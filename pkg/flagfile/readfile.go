package flagfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotRegular reports a path that names something other than a regular file
// (a FIFO, a device, a directory, a socket): flag and configuration files are read
// only from regular files, so a planted FIFO cannot block a reader.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile reads the regular file at path, following symlinks, and at most limit
// bytes of it: a larger file is refused with ErrTooLarge after reading limit+1
// bytes, never read whole. A limit of 0 means MaxFileSize. Anything but a regular
// file is refused with ErrNotRegular without blocking (a FIFO is opened
// non-blocking and never read). Errors name the path.
func ReadFile(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = MaxFileSize
	}
	fd, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	st, err := fd.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s); name a flag file", path, ErrNotRegular, describeMode(st.Mode()))
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %w: %d bytes, the limit is %d", path, ErrTooLarge, st.Size(), limit)
	}
	buf := make([]byte, 0, st.Size()+1)
	data, err := readUpTo(fd, buf, limit+1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", path, ErrTooLarge, limit)
	}
	return data, nil
}

// readUpTo appends from r to buf until EOF or n bytes in all.
func readUpTo(r io.Reader, buf []byte, n int64) ([]byte, error) {
	lr := io.LimitReader(r, n-int64(len(buf)))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func describeMode(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	default:
		return "mode " + m.String()
	}
}
