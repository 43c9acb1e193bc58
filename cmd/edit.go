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
// its lock. Problems in other flags do not block the edit (unless strict); they
// are printed as warnings.
func editOne(f *Factory, flag string, edits []flagfile.Edit, strict bool) error {
	_, t, err := f.oneEnv()
	if err != nil {
		return err
	}
	nf, changed, err := flagfile.Update(t.Path, flagfile.ParseOptions{Env: t.Expect, Strict: strict}, edits...)
	if err != nil {
		return editErr(t, err)
	}
	report(f, &loaded{target: t, File: nf}, flag, changed, edits)
	for _, p := range nf.Problems() {
		fmt.Fprintf(f.IO.ErrOut, "warning: %v (another flag; fix it, \"flagctl lint\" lists every problem)\n", p)
	}
	return nil
}

// editErr classifies an error from flagfile.Update: problems reading, parsing or
// writing the file exit 3; an edit that cannot apply (unknown flag, bad value) is
// a usage error.
func editErr(t target, err error) error {
	var list flagfile.ErrorList
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist) && t.Env != "":
		return fileErr(fmt.Errorf("%s: no flag file for environment %q; run \"flagctl init\" or create it", t.Path, t.Env))
	case errors.As(err, &list), errors.As(err, &pathErr), errors.Is(err, flagfile.ErrNotEditable):
		return fileErr(err)
	}
	return usageErr("%v", err)
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

// splitIDs accepts repeated and comma-separated values, trimming blanks.
func splitIDs(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func parsePercentFlag(name, v string) (flagfile.Percent, error) {
	p, err := flagfile.ParsePercent(v)
	if err != nil {
		return 0, flagErrorf("--%s: %v", name, err)
	}
	return p, nil
}
