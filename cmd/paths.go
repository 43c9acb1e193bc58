package cmd

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// workDir is the directory relative paths are printed against: Factory.WorkDir,
// else the process's working directory ("" if unknown).
func (f *Factory) workDir() string {
	if f.WorkDir != "" {
		return f.WorkDir
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return wd
}

// displayPath is how every verb prints a path: relative to the working
// directory, as git does ("flags/staging.yaml", "../flags/staging.yaml" from a
// subdirectory); a relative path stays as given; an absolute path with no
// relative form (another volume) stays absolute.
func (f *Factory) displayPath(p string) string {
	wd := f.workDir()
	if !filepath.IsAbs(p) || wd == "" {
		return filepath.ToSlash(p)
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

// relPaths rewrites, in a message, absolute paths under the working directory,
// the project root or the flag directory (an error naming
// "/home/me/repo/flags/staging.yaml:3:5") as displayPath prints them.
func (f *Factory) relPaths(msg string) string {
	var dirs []string
	if wd := f.workDir(); wd != "" {
		dirs = append(dirs, wd)
	}
	if f.cfg != nil {
		dirs = append(dirs, f.cfg.Root, f.cfg.Dir)
	}
	// Longest first, so a directory inside another is replaced whole.
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
	sep := string(filepath.Separator)
	for _, d := range dirs {
		if !filepath.IsAbs(d) || d == sep {
			continue
		}
		rel := f.displayPath(d)
		if rel == "." {
			rel = ""
		} else {
			rel += "/"
		}
		msg = strings.ReplaceAll(msg, d+sep, rel)
	}
	return msg
}

// annotationPath is how a GitHub annotation names a file: relative to the
// repository root (the nearest directory, from the project root up, holding
// .git), which is where GitHub resolves it whatever the working directory.
// Outside a repository it is relative to the project root.
func annotationPath(c *Config, p string) string {
	root := c.Root
	for dir := c.Root; ; {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			root = dir
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	abs := p
	if !filepath.IsAbs(abs) {
		if a, err := filepath.Abs(p); err == nil {
			abs = a
		}
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}
