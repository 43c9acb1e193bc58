//go:build unix

package flagfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openLockFile opens (creating) the lock file without following a symlink at
// its path and refuses anything but a regular file.
func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link; flagctl never follows one for its lock file: remove it", path)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("%s: %w (%s); remove it", path, ErrNotRegular, describeMode(st.Mode()))
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// tryLockFile takes the exclusive lock if it is free.
func tryLockFile(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch err {
		case nil:
			return true, nil
		case syscall.EWOULDBLOCK:
			return false, nil
		case syscall.EINTR:
			continue
		}
		return false, err
	}
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// keepOwner gives f the owner and group of orig where the process may (root
// may; others may only keep their own uid and pick one of their groups).
func keepOwner(f *os.File, orig fs.FileInfo) error {
	sys, ok := orig.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	err := f.Chown(int(sys.Uid), int(sys.Gid))
	if errors.Is(err, fs.ErrPermission) {
		return nil
	}
	return err
}

// devIno returns the device and inode of a file.
func devIno(st fs.FileInfo) (dev, ino uint64) {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(sys.Dev), uint64(sys.Ino)
	}
	return 0, 0
}
