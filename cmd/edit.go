package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// editOne applies edits of one flag to the single environment the command works
// on and reports what changed. The file is read, edited and written once, under
// its lock.
func editOne(f *Factory, flag string, edits []flagfile.Edit) error {
	c, t, err := f.oneEnv()
	if err != nil {
		return err
	}
	nf, changed, err := f.writer(c).Update(t.Path, flagfile.ParseOptions{Env: t.Expect}, edits...)
	if err != nil {
		return editErr(t, err)
	}
	report(f, &loaded{target: t, File: nf}, flag, changed, edits)
	return nil
}

// editErr classifies an error from flagfile.Update: problems reading, parsing or
// writing the file exit 3; an edit that cannot apply (unknown flag, bad value) is
// a usage error.
func editErr(t target, err error) error {
	var list flagfile.ErrorList
	var pathErr *fs.PathError
	var fe *flagfile.FileError
	switch {
	case errors.Is(err, fs.ErrNotExist) && t.Env != "":
		return fileErr(fmt.Errorf("%s: no flag file for environment %q; run \"flagctl init\" or create it: %w", t.Path, t.Env, err))
	case errors.As(err, &fe), errors.As(err, &list), errors.As(err, &pathErr), errors.Is(err, flagfile.ErrNotEditable):
		return fileErr(err)
	case isInternal(err):
		return internalErr(err)
	}
	return usageErr("%w", err)
}

// report prints one line per file: what was changed, or that nothing was.
func report(f *Factory, l *loaded, flag string, changed bool, edits []flagfile.Edit) {
	var what []string
	for _, e := range edits {
		_, w, _ := strings.Cut(e.String(), ": ")
		what = append(what, w)
	}
	if changed {
		fmt.Fprintf(f.IO.Out, "%s %s: %s: %s\n", f.IO.green("✓"), l.name(), flag, strings.Join(what, ", "))
	} else {
		fmt.Fprintf(f.IO.Out, "%s: %s unchanged (already %s)\n", l.name(), flag, strings.Join(what, ", "))
	}
}

func parsePercentFlag(name, v string) (flagfile.Percent, error) {
	p, err := flagfile.ParsePercent(v)
	if err != nil {
		return 0, flagErrorf("--%s: %w", name, err)
	}
	return p, nil
}

// writer is the flag file writer with the configured lock timeout; while it
// waits for a lock another process holds, it says so on stderr.
func (f *Factory) writer(c *Config) flagfile.Writer {
	timeout := c.LockTimeout
	if timeout == 0 {
		timeout = time.Nanosecond // do not wait: one try
	}
	return flagfile.Writer{
		LockTimeout: timeout,
		WaitNotice:  f.lockNotice,
		OnWait: func(path, lockPath string) {
			fmt.Fprintf(f.IO.ErrOut, "flagctl: waiting for the lock on %s (%s): another process is editing it; giving up after %v\n", path, lockPath, timeout)
		},
	}
}

// applyAll applies per-file edits to every loaded file and writes the ones that
// change, all of them or none. Every edit is first computed on every file, so a
// bad edit anywhere changes nothing; then every file is updated under its lock
// from its current content (flagfile.Writer.UpdateAll: all temp files written
// and verified before any file is replaced, replaced files put back if a later
// one fails), so concurrent commands serialize and lose nothing.
func applyAll(f *Factory, c *Config, files []*loaded, edits func(l *loaded) ([]flagfile.Edit, error)) ([]bool, error) {
	plan := make([][]flagfile.Edit, len(files))
	for i, l := range files {
		es, err := edits(l)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			continue
		}
		if _, _, err := l.File.Apply(flagfile.ParseOptions{Env: l.Expect}, es...); err != nil {
			return nil, editErr(l.target, fmt.Errorf("%s: %w", l.Path, err))
		}
		plan[i] = es
	}
	var changes []flagfile.Change
	var index []int
	for i, l := range files {
		if plan[i] != nil {
			changes = append(changes, flagfile.Change{Path: l.Path, Opts: flagfile.ParseOptions{Env: l.Expect}, Edits: plan[i]})
			index = append(index, i)
		}
	}
	changed := make([]bool, len(files))
	if len(changes) == 0 {
		return changed, nil
	}
	_, ch, err := f.writer(c).UpdateAll(changes)
	if err != nil {
		return changed, editErrIn(files, err)
	}
	for k, i := range index {
		changed[i] = ch[k]
	}
	return changed, nil
}

// editErrIn is editErr for an error of a multi-file update: it names the file
// the error is about.
func editErrIn(files []*loaded, err error) error {
	var fe *flagfile.FileError
	if errors.As(err, &fe) {
		for _, l := range files {
			if l.Path == fe.Path {
				return editErr(l.target, err)
			}
		}
		return fileErr(err)
	}
	return editErr(target{}, err)
}
