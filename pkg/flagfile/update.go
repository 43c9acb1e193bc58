package flagfile

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

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
// overwritten. Then, for several files, it commits by writing a journal (see
// journalPrefix) and renames the temporary files over the originals; if a
// rename fails, the files already replaced are put back, and if the process
// dies, the next write of any of the files completes the renames (and the
// first thing UpdateAll does under the locks is complete such a journal and
// remove temporary files of uncommitted runs). It returns the new
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
	}
	// Finish what a killed writer committed, then drop what it did not.
	done := map[string]bool{}
	for _, real := range reals {
		if d := filepath.Dir(real); !done[d] {
			done[d] = true
			completeJournals(d)
		}
	}
	for _, real := range reals {
		removeStaleTemps(real)
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
	path, real  string
	before      []byte
	identity    fileIdentity
	tmp, backup string
	replaced    bool
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
		if f == nil {
			return nil, nil, "", fileError(c.Path, err)
		}
		// Problems in flags the edits do not touch do not block them (Apply
		// decides, and refuses with ParseOptions.Strict).
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
	var journals []string
	if len(ps) > 1 {
		// The commit point: from here on a killed run is completed by the next.
		if journals, err = writeJournals(ps); err != nil {
			return nil, nil, "", fileError(ps[0].path, fmt.Errorf("write %s: %w (nothing was written)", ps[0].path, err))
		}
	}
	dirs := map[string]bool{}
	for _, p := range ps {
		err := w.at(hookReplace, p.path)
		if err == nil {
			err = os.Rename(p.tmp, p.real)
		}
		if err != nil {
			removeAll(journals) // not to be completed: put back instead
			return nil, nil, "", fileError(p.path, rollback(ps, fmt.Errorf("write %s: %w", p.path, err)))
		}
		p.tmp, p.replaced = "", true
		dirs[filepath.Dir(p.real)] = true
	}
	for d := range dirs {
		syncDir(d)
	}
	removeAll(journals)
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
