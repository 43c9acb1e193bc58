package flagfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
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
		if timeout > 0 && waited >= timeout {
			return fmt.Errorf("%s: %w %s after %v: another process is editing the file; try again, or wait longer with --lock-timeout", path, ErrLockTimeout, lp, timeout)
		}
		if !notified && waited >= notice && w.OnWait != nil {
			w.OnWait(path, lp)
			notified = true
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
	unlock, err := w.Lock(path)
	if err != nil {
		return err
	}
	defer unlock()
	if real, err := resolve(path); err == nil {
		removeStaleTemps(real)
	}
	cur, err := ReadFile(path, 0)
	if err != nil {
		return fileError(path, err)
	}
	if Hash(cur) != old {
		return fileError(path, fmt.Errorf("%s: %w; run the command again", path, ErrConflict))
	}
	if bytes.Equal(cur, data) {
		return nil
	}
	return fileError(path, WriteFile(path, data))
}

// Update is a locked read-modify-write of the flag file at path with the zero
// Writer; see Writer.UpdateAll. It returns the new file and whether it changed.
func Update(path string, opts ParseOptions, edits ...Edit) (*File, bool, error) {
	return Writer{}.Update(path, opts, edits...)
}

// Update is Writer.UpdateAll for one file.
func (w Writer) Update(path string, opts ParseOptions, edits ...Edit) (*File, bool, error) {
	files, changed, err := w.UpdateAll([]Change{{Path: path, Opts: opts, Edits: edits}})
	if err != nil {
		return nil, false, err
	}
	return files[0], changed[0], nil
}

// Change is one file's part of a multi-file edit: the edits to apply to the flag
// file at Path, parsed with Opts.
type Change struct {
	Path  string
	Opts  ParseOptions
	Edits []Edit
}

// UpdateAll applies every change, writing every file or none. Under the locks of
// all the files (taken in path order, so concurrent writers serialize without
// deadlock) it removes temporary files left by a killed run, reads and parses
// every file, applies its edits (Apply re-parses and verifies the result) and
// writes every changed file to a synced temporary file. Just before replacing,
// it re-checks that no file changed since it was read (content hash and
// identity: device, inode, size, modification time) — a hand edit that does not
// take the lock, like an editor's save — and if one did, redoes every edit on
// the new content (at most 3 attempts, then ErrConflict): a hand edit is never
// overwritten. Then it renames the temporary files over the originals; if a
// rename fails, the files already replaced are put back. It returns the new
// files and which of them changed. Errors other than an edit's own are
// *FileError.
func (w Writer) UpdateAll(changes []Change) ([]*File, []bool, error) {
	reals := make([]string, len(changes))
	seen := map[string]bool{}
	for i, c := range changes {
		real, err := resolve(c.Path)
		if err != nil {
			return nil, nil, fileError(c.Path, err)
		}
		if seen[real] {
			return nil, nil, fmt.Errorf("%s: named twice in one update", c.Path)
		}
		seen[real], reals[i] = true, real
	}
	order := make([]int, len(changes))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return reals[order[a]] < reals[order[b]] })
	for _, i := range order {
		unlock, err := w.Lock(changes[i].Path)
		if err != nil {
			return nil, nil, err
		}
		defer unlock()
		removeStaleTemps(reals[i])
	}
	for attempt := 1; ; attempt++ {
		files, changed, conflict, err := w.updateOnce(changes, reals)
		if err != nil || conflict == "" {
			return files, changed, err
		}
		if attempt == maxAttempts {
			return nil, nil, &FileError{Path: conflict, Err: fmt.Errorf("%s: %w: it was edited while flagctl was writing it, %d times; nothing was written, run the command again", conflict, ErrConflict, attempt)}
		}
	}
}

// pending is one file's new content on its way to replacing the original.
type pending struct {
	path, real   string
	before       []byte
	identity     fileIdentity
	tmp, backup  string
	replaced     bool
	skipRollback bool
}

// fileIdentity is what tells a replaced or rewritten file apart.
type fileIdentity struct {
	dev, ino uint64
	size     int64
	mtime    time.Time
}

func identityOf(st fs.FileInfo) fileIdentity {
	id := fileIdentity{size: st.Size(), mtime: st.ModTime()}
	id.dev, id.ino = devIno(st)
	return id
}

// readState reads the file with its identity (stat before the read, so a file
// replaced during the read shows up as changed at the re-check).
func readState(path string) ([]byte, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	data, err := ReadFile(path, 0)
	return data, st, err
}

// updateOnce is one attempt of UpdateAll. conflict names a file that changed
// under it (nothing was written; try again).
func (w Writer) updateOnce(changes []Change, reals []string) (files []*File, changed []bool, conflict string, err error) {
	files, changed = make([]*File, len(changes)), make([]bool, len(changes))
	var ps []*pending
	defer func() {
		for _, p := range ps {
			if p.tmp != "" {
				os.Remove(p.tmp)
			}
			if p.backup != "" {
				os.Remove(p.backup)
			}
		}
	}()
	for i, c := range changes {
		data, st, err := readState(c.Path)
		if err != nil {
			return nil, nil, "", fileError(c.Path, err)
		}
		f, err := Parse(c.Path, data, c.Opts)
		if err != nil {
			return nil, nil, "", fileError(c.Path, err)
		}
		out, nf, err := f.Apply(c.Opts, c.Edits...)
		if err != nil {
			return nil, nil, "", err
		}
		files[i] = nf
		if bytes.Equal(out, data) {
			continue
		}
		changed[i] = true
		p := &pending{path: c.Path, real: reals[i], before: data, identity: identityOf(st)}
		ps = append(ps, p)
		if p.tmp, err = createTemp(p.real, out, st); err == nil {
			err = w.at(hookTemp, p.path)
		}
		if err != nil {
			return nil, nil, "", fileError(c.Path, fmt.Errorf("write %s: %w (nothing was written)", c.Path, err))
		}
	}
	if len(ps) == 0 {
		return files, changed, "", nil
	}
	if err := w.at(hookPrepared, ""); err != nil {
		return nil, nil, "", fileError(ps[0].path, err)
	}
	// Re-check: a hand edit since the read means redoing the edit on it.
	for _, p := range ps {
		data, st, err := readState(p.path)
		if err != nil {
			return nil, nil, "", fileError(p.path, err)
		}
		if identityOf(st) != p.identity || !bytes.Equal(data, p.before) {
			return nil, nil, p.path, nil
		}
	}
	if len(ps) > 1 {
		// Keep every original until all are replaced, to put them back.
		for _, p := range ps {
			if p.backup, err = backup(p); err != nil {
				return nil, nil, "", fileError(p.path, fmt.Errorf("write %s: %w (nothing was written)", p.path, err))
			}
		}
	}
	dirs := map[string]bool{}
	for _, p := range ps {
		err := w.at(hookReplace, p.path)
		if err == nil {
			err = os.Rename(p.tmp, p.real)
		}
		if err != nil {
			return nil, nil, "", fileError(p.path, rollback(ps, fmt.Errorf("write %s: %w", p.path, err)))
		}
		p.tmp, p.replaced = "", true
		dirs[filepath.Dir(p.real)] = true
	}
	for d := range dirs {
		syncDir(d)
	}
	return files, changed, "", nil
}

// backup keeps the original of p under a temporary name: a hard link (no copy,
// no space needed), else a synced copy.
func backup(p *pending) (string, error) {
	name := filepath.Join(filepath.Dir(p.real), fmt.Sprintf("%sorig-%d-%d", tempPrefix(p.real), os.Getpid(), time.Now().UnixNano()))
	if err := os.Link(p.real, name); err == nil {
		return name, nil
	}
	st, err := os.Stat(p.real)
	if err != nil {
		return "", err
	}
	return createTemp(p.real, p.before, st)
}

// rollback puts back the originals of the files already replaced.
func rollback(ps []*pending, cause error) error {
	var failed []string
	for _, p := range ps {
		if !p.replaced {
			continue
		}
		if err := os.Rename(p.backup, p.real); err != nil {
			failed = append(failed, fmt.Sprintf("%s (%v)", p.path, err))
			continue
		}
		p.backup = ""
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w; could not put back %s: restore it from git", cause, strings.Join(failed, ", "))
	}
	return fmt.Errorf("%w (every file is left as it was)", cause)
}
