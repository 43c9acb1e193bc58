package cmd

import (
	"fmt"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// editOne applies edits of one flag to the single environment the command works
// on and reports what changed.
func editOne(f *Factory, flag string, edits []flagfile.Edit) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	t, err := c.OneEnv()
	if err != nil {
		return err
	}
	l, err := load(t)
	if err != nil {
		return err
	}
	if l.File.Flag(flag) == nil {
		return unknownFlag(flag, l)
	}
	changed, err := applyAll([]*loaded{l}, func(*loaded) ([]flagfile.Edit, error) { return edits, nil })
	if err != nil {
		return err
	}
	report(f, l, flag, changed[0], edits)
	return nil
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
