//go:build !linux

package refscan

import (
	"io"
	"os"
)

// readInto reads a whole file into buf's storage, growing it when needed.
func readInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return buf[:0], err
	}
	size := int(st.Size()) + 1 // one more byte to see EOF in one read
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
	}
	buf = buf[:0]
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) { // the file grew
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
