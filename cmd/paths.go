package cmd

import (
	"os"
	"path/filepath"
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
// directory when it lies inside it ("flags/staging.yaml"), else as it is.
func (f *Factory) displayPath(p string) string {
	return relTo(f.workDir(), p)
}

// relPaths rewrites absolute paths under the working directory in a message
// (an error naming "/home/me/repo/flags/staging.yaml:3:5") as relative ones.
func (f *Factory) relPaths(msg string) string {
	wd := f.workDir()
	if wd == "" || !filepath.IsAbs(wd) || wd == string(filepath.Separator) {
		return msg
	}
	return strings.ReplaceAll(msg, wd+string(filepath.Separator), "")
}
