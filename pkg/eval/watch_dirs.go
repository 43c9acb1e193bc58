package eval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// watchedDir is a directory being watched and the identity it had when the watch
// was added: when the path comes to name another directory (renamed over,
// removed and re-created, a symlink on the way swapped), the watch is moved.
type watchedDir struct {
	path   string
	info   os.FileInfo
	closes bool // the close writer watches it too
}

// maxLinks bounds the symlinks followed from the path, as the kernel does.
const maxLinks = 40

// chain returns the path and every symlink target on the way to the file, as
// absolute paths: the link targets as written (a ConfigMap's flags.yaml ->
// ..data/flags.yaml) and the fully resolved path.
func (w *watcher) chain() []string {
	abs, err := filepath.Abs(w.path)
	if err != nil {
		abs = filepath.Clean(w.path)
	}
	out := []string{abs}
	p := abs
	for range maxLinks {
		target, err := os.Readlink(p)
		if err != nil {
			break
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = filepath.Clean(target)
		out = append(out, p)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		out = append(out, real)
	}
	return out
}

// watchDirs watches the directories on the way to the file — the ancestors of
// the path and of each symlink target, up to watchParents levels above their
// directories — so that a replaced file, directory or symlink on the way is seen;
// and it notes the names on the way, the only ones whose events matter. A watch whose path now names another directory
// is moved to it. The error is about the file's own directory only; the others
// are retried on the next event.
func (w *watcher) watchDirs() error {
	chain := w.chain()
	names := map[string]bool{}
	var want []watchedDir
	var ownErr error
	for i, p := range chain {
		names[baseName(p)] = true
		for d, depth := filepath.Dir(p), 0; depth <= watchParents; d, depth = filepath.Dir(d), depth+1 {
			names[baseName(d)] = true
			fi, err := os.Stat(d)
			if err != nil {
				if i == 0 && d == filepath.Dir(p) && !errors.Is(err, fs.ErrNotExist) {
					ownErr = err // a missing directory is reported by the read
				}
			} else if !slices.ContainsFunc(want, func(x watchedDir) bool { return os.SameFile(x.info, fi) }) {
				want = append(want, watchedDir{path: d, info: fi})
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	w.names = names
	live := map[string]bool{}
	for _, p := range w.fs.WatchList() {
		live[p] = true
	}
	// Keep the watches still on the same directory; drop the others.
	var keep []watchedDir
	for _, old := range w.dirs {
		i := slices.IndexFunc(want, func(x watchedDir) bool { return x.path == old.path })
		if i >= 0 && live[old.path] && os.SameFile(old.info, want[i].info) {
			want[i].closes = old.closes
			want[i].info = nil // kept
			keep = append(keep, old)
			continue
		}
		w.fs.Remove(old.path) // gone already when its directory went
		if w.cw != nil && old.closes {
			w.cw.remove(old.path)
		}
	}
	for _, d := range want {
		if d.info == nil {
			continue
		}
		if err := w.fs.Add(d.path); err != nil {
			if d.path == filepath.Dir(chain[0]) && ownErr == nil && !errors.Is(err, fs.ErrNotExist) {
				ownErr = err
			}
			continue // an ancestor we may not read, or a directory just removed
		}
		if w.cw != nil {
			d.closes = w.cw.add(d.path) == nil
		}
		keep = append(keep, d)
	}
	w.dirs = keep
	if ownErr != nil {
		return fmt.Errorf("watch %s: %w", filepath.Dir(w.path), ownErr)
	}
	return nil
}

// unwatchAll drops every watch; the next watchDirs adds them again.
func (w *watcher) unwatchAll() {
	for _, d := range w.dirs {
		if w.fs != nil {
			w.fs.Remove(d.path)
		}
		if w.cw != nil && d.closes {
			w.cw.remove(d.path)
		}
	}
	w.dirs = nil
}

// closeEvents reports whether the close writer watches the directory of name.
func (w *watcher) closeEvents(name string) bool {
	dir := filepath.Dir(name)
	for _, d := range w.dirs {
		if d.path == dir {
			return d.closes
		}
	}
	return false
}

func baseName(p string) string { return filepath.Base(p) }
