package flagfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Hash returns the SHA-256 of data; WriteIfUnchanged compares it under the lock.
func Hash(data []byte) [32]byte { return sha256.Sum256(data) }

// Defaults of Writer.
const (
	// DefaultLockTimeout is how long a writer waits for a held lock (10 s).
	DefaultLockTimeout = 10 * time.Second
	// DefaultWaitNotice is how long a writer waits before calling OnWait (1 s).
	DefaultWaitNotice = time.Second
	// maxAttempts bounds how often an edit is redone on a file that a hand edit
	// changed while it was being written.
	maxAttempts = 3
)

// ErrLockTimeout is returned when a flag file's lock stayed held by another
// process for longer than Writer.LockTimeout.
var ErrLockTimeout = errors.New("timed out waiting for the lock")

// FileError is a failure to lock, read, parse or write the flag file at Path, as
// opposed to an edit that does not apply to it (an unknown flag, a bad value).
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

func fileError(path string, err error) error {
	var fe *FileError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	return &FileError{Path: path, Err: err}
}

// Writer writes flag files under their advisory lock. The zero Writer waits up
// to DefaultLockTimeout for a held lock and reports nothing while it waits.
type Writer struct {
	// LockTimeout is how long to wait for a lock another process holds before
	// giving up with ErrLockTimeout; 0 means DefaultLockTimeout, a negative
	// value waits forever.
	LockTimeout time.Duration
	// WaitNotice is how long to wait before calling OnWait; 0 means
	// DefaultWaitNotice.
	WaitNotice time.Duration
	// OnWait, when set, is called once when the lock of path (lock file
	// lockPath) has been held by another process for WaitNotice.
	OnWait func(path, lockPath string)

	// hook, set by tests, is called at each stage of a write (hookTemp,
	// hookPrepared, hookReplace); an error it returns fails the write there.
	hook func(stage, path string) error
}

// Stages of a write, for Writer.hook.
const (
	hookTemp     = "temp"     // a temp file was written and synced
	hookPrepared = "prepared" // every temp file is written; next: re-check, then replace
	hookReplace  = "replace"  // a file is about to be replaced
)

func (w Writer) at(stage, path string) error {
	if w.hook == nil {
		return nil
	}
	return w.hook(stage, path)
}

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

// tempPrefix is the name prefix of the writer's temporary files for real
// (".NAME.tmp…"); the generated .gitignore ignores them.
func tempPrefix(real string) string { return "." + filepath.Base(real) + ".tmp" }

// Lock takes the advisory write lock of the flag file at path (following
// symlinks) with the zero Writer's settings and returns the function that
// releases it.
func Lock(path string) (unlock func(), err error) { return Writer{}.Lock(path) }

// Lock takes the advisory write lock of the flag file at path (following
// symlinks to the file, never for the lock file itself: a symlink planted at
// the lock path is refused). It waits up to w.LockTimeout for another holder.
func (w Writer) Lock(path string) (unlock func(), err error) {
	real, err := resolve(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	lp := lockPath(real)
	lf, err := openLockFile(lp)
	if err != nil {
		return nil, fileError(path, fmt.Errorf("lock %s: %w", path, err))
	}
	if err := w.waitLock(lf, path, lp); err != nil {
		lf.Close()
		return nil, fileError(path, err)
	}
	return func() {
		unlockFile(lf)
		lf.Close()
	}, nil
}

// waitLock polls for the lock until it is free or the timeout passes.
func (w Writer) waitLock(lf *os.File, path, lp string) error {
	timeout, notice := w.LockTimeout, w.WaitNotice
	if timeout == 0 {
		timeout = DefaultLockTimeout
	}
	if notice == 0 {
		notice = DefaultWaitNotice
	}
	start, delay, notified := time.Now(), time.Millisecond, false
	for {
		ok, err := tryLockFile(lf)
		if err != nil {
			return fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return nil
		}
		waited := time.Since(start)
		if !notified && waited >= notice && w.OnWait != nil {
			w.OnWait(path, lp) // before giving up, so a slow first try still says why
			notified = true
		}
		if timeout > 0 && waited >= timeout {
			return fmt.Errorf("%s: %w %s after %v: another process is editing the file; try again, or wait longer with --lock-timeout", path, ErrLockTimeout, lp, timeout)
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// removeStaleTemps removes temporary files of real left by a killed write. It
// is called with real's lock held, so no live writer owns them.
func removeStaleTemps(real string) {
	dir, prefix := filepath.Dir(real), tempPrefix(real)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// createTemp writes data to a new temporary file beside real with the mode,
// owner and group of orig (0644 and the process's for a new file), synced to
// disk, and returns its name.
func createTemp(real string, data []byte, orig fs.FileInfo) (name string, err error) {
	mode := fs.FileMode(0o644)
	if orig != nil {
		mode = orig.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(real), tempPrefix(real)+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return "", err
	}
	if err = tmp.Chmod(mode); err != nil {
		return "", err
	}
	if orig != nil {
		if err = keepOwner(tmp, orig); err != nil {
			return "", err
		}
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	return tmp.Name(), tmp.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// WriteFile replaces the file at path with data atomically: a temporary file in the
// same directory, fsync, rename over the original, fsync of the directory. The
// original mode, owner and group are kept (where the process may chown; 0644
// for a new file); a symlink stays a symlink and its target is replaced. On
// failure the original is intact and no temporary file is left. WriteFile does
// not lock; see Update and WriteIfUnchanged.
func WriteFile(path string, data []byte) error {
	real, err := resolve(path)
	if err != nil {
		return err
	}
	var orig fs.FileInfo
	if st, err := os.Stat(real); err == nil {
		orig = st
	}
	tmp, err := createTemp(real, data, orig)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, real); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(filepath.Dir(real))
	return nil
}

// WriteIfUnchanged writes data to path under the file's lock, but only when the
// file still hashes to old (the content it was read from); otherwise it returns
// ErrConflict and writes nothing.
func WriteIfUnchanged(path string, old [32]byte, data []byte) error {
	return Writer{}.WriteIfUnchanged(path, old, data)
}

// WriteIfUnchanged is the package's WriteIfUnchanged with w's lock settings.
func (w Writer) WriteIfUnchanged(path string, old [32]byte, data []byte) error {
	real, err := resolve(path)
	if err != nil {
		return fileError(path, err)
	}
	unlock, err := w.Lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	completeJournals(filepath.Dir(real))
	removeStaleTemps(real)
	cur, st, err := readState(path)
	if err != nil {
		return fileError(path, err)
	}
	conflict := fileError(path, fmt.Errorf("%s: %w; run the command again", path, ErrConflict))
	if Hash(cur) != old {
		return conflict
	}
	if bytes.Equal(cur, data) {
		return nil
	}
	tmp, err := createTemp(real, data, st)
	if err == nil {
		err = w.at(hookPrepared, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fileError(path, fmt.Errorf("write %s: %w", path, err))
	}
	// Re-check just before replacing: a hand edit since the read is kept.
	again, st2, err := readState(path)
	if err != nil || identityOf(st2) != identityOf(st) || !bytes.Equal(again, cur) {
		os.Remove(tmp)
		return conflict
	}
	if err := os.Rename(tmp, real); err != nil {
		os.Remove(tmp)
		return fileError(path, fmt.Errorf("write %s: %w", path, err))
	}
	syncDir(filepath.Dir(real))
	return nil
}
