//go:build unix

package flagfile

import (
	"os"
	"syscall"
)

// openNonBlocking opens path read-only so that opening a FIFO does not wait for
// a writer (O_NONBLOCK has no effect on reads of regular files).
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
