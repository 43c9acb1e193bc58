package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

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
