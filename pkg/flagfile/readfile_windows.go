//go:build windows

package flagfile

import "os"

// openNonBlocking opens path read-only (Windows named pipes do not live in the
// file system namespace a flag file path can name).
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
