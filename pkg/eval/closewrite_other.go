//go:build !linux

package eval

// watchParents is how many levels above the file's directory (and each symlink
// target's) Watch watches: one, the parent, which sees the directory replaced.
// Higher ancestors are not watched here: kqueue holds a descriptor for every
// entry of a watched directory.
const watchParents = 1

// newCloseWriter returns nil: only Linux reports close-after-write here.
func newCloseWriter() closeWriter { return nil }
