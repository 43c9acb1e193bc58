//go:build !linux

package eval

// newCloseWriter returns nil: only Linux reports close-after-write here.
func newCloseWriter() closeWriter { return nil }
