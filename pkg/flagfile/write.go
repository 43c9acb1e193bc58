package flagfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Hash returns the SHA-256 of data; WriteIfUnchanged compares it under the lock.
func Hash(data []byte) [32]byte { return sha256.Sum256(data) }

// resolve follows symlinks so that writes replace the target, keeping the link.
func resolve(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	return real, err
}

// lockPath is the advisory lock file beside path: ".NAME.lock". It is created on
// first use and never renamed or deleted, so every writer locks the same inode.
func lockPath(real string) string {
	return filepath.Join(filepath.Dir(real), "."+filepath.Base(real)+".lock")
}

// Lock takes the advisory write lock of the flag file at path (following
// symlinks) and returns the function that releases it.
func Lock(path string) (unlock func(), err error) {
	real, err := resolve(path)
	if err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(lockPath(real), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := lockFile(lf); err != nil {
		lf.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		unlockFile(lf)
		lf.Close()
	}, nil
}

// WriteFile replaces the file at path with data atomically: a temporary file in the
// same directory, fsync, rename over the original, fsync of the directory. The
// original mode is kept (0644 for a new file); a symlink stays a symlink and its
// target is replaced. On failure the original is intact and no temporary file is
// left. WriteFile does not lock; see Update and WriteIfUnchanged.
func WriteFile(path string, data []byte) (err error) {
	real, err := resolve(path)
	if err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(real); err == nil {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(real)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(real)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), real); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteIfUnchanged writes data to path under the file's lock, but only when the
// file still hashes to old (the content it was read from); otherwise it returns
// ErrConflict and writes nothing.
func WriteIfUnchanged(path string, old [32]byte, data []byte) error {
	unlock, err := Lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if Hash(cur) != old {
		return fmt.Errorf("%s: %w; run the command again", path, ErrConflict)
	}
	if bytes.Equal(cur, data) {
		return nil
	}
	return WriteFile(path, data)
}

// Update is a locked read-modify-write of the flag file at path: under the lock it
// reads and parses the file (with opts), applies the edits and, when the content
// changed, writes it atomically. Concurrent Updates of one file serialize, so no
// update is lost. It returns the new file and whether it changed.
func Update(path string, opts ParseOptions, edits ...Edit) (*File, bool, error) {
	unlock, err := Lock(path)
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, err
	}
	f, err := Parse(path, data, opts)
	if f == nil {
		return nil, false, err
	}
	out, nf, err := f.Apply(opts, edits...)
	if err != nil {
		return nil, false, err
	}
	if bytes.Equal(out, data) {
		return nf, false, nil
	}
	if err := WriteFile(path, out); err != nil {
		return nil, false, err
	}
	return nf, true, nil
}
