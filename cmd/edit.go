package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// editOne applies edits of one flag to the environment the command works on
// (--env, default_env or the only one), or to every environment --env names
// (all of them or none), and reports what changed; with dryRun it prints the
// change and writes nothing. Problems in other flags do not block the edit
// (unless strict); they are printed as warnings.
func editOne(f *Factory, flag string, edits []flagfile.Edit, dryRun, strict bool) error {
	return editOneThen(f, flag, edits, dryRun, strict, nil)
}

// editOneThen is editOne that also hands every edited environment's flag, as
// edited, to after (when not nil): the file the edit read, so no verb reads it
// again to say more about the result.
func editOneThen(f *Factory, flag string, edits []flagfile.Edit, dryRun, strict bool, after func(l *loaded, fl *flagfile.Flag)) error {
	c, ts, err := f.editTargets(false)
	if err != nil {
		return err
	}
	if len(ts) == 1 && !dryRun && !setsPercentage(edits) {
		// One file: read, edit and write it once, under its lock (the
		// common case, kept as fast as a single parse allows).
		t := ts[0]
		nf, changed, err := f.writer(c).Update(t.Path, flagfile.ParseOptions{Env: t.Expect, Strict: strict}, edits...)
		if err != nil {
			return editErr(t, err)
		}
		l := &loaded{target: t, File: nf}
		report(f, l, nil, flag, changed, edits)
		warnOthers(f, nf)
		if after != nil && nf != nil {
			after(l, nf.Flag(flag))
		}
		return nil
	}
	files, err := loadEditable(ts)
	if err != nil {
		return err
	}
	for _, l := range files {
		l.strict = strict
	}
	var show func(l *loaded, nf *flagfile.File) []string
	if after != nil { // a dry run says the same as the edit would
		show = func(l *loaded, nf *flagfile.File) []string {
			after(l, nf.Flag(flag))
			var lines []string
			for _, ch := range flagdiff.Files(l.name(), l.File, nf) {
				lines = append(lines, changeText(ch))
			}
			return lines
		}
	}
	return applyEdits(f, c, files, dryRun, show, func(*loaded) ([]flagfile.Edit, error) { return edits, nil },
		func(l *loaded, nf *flagfile.File, changed bool) {
			report(f, l, l.File.Flag(flag), flag, changed, edits)
			if after != nil && nf != nil {
				after(l, nf.Flag(flag))
			}
		})
}

// warnOthers prints the problems an edited file still has, in flags the edit
// did not touch (an edit never leaves or adds one in the flags it touches).
func warnOthers(f *Factory, nf *flagfile.File) {
	if nf == nil {
		return
	}
	for _, p := range nf.Problems() {
		fmt.Fprintf(f.IO.ErrOut, "warning: %s (another flag; fix it, \"flagctl lint\" lists every problem)\n", f.relPaths(p.Error()))
	}
}

// setsPercentage reports whether an edit sets a percentage gate (which removes
// the other one: the success line says so, so the file is read first).
func setsPercentage(edits []flagfile.Edit) bool {
	for _, e := range edits {
		if percentKey(e) != "" {
			return true
		}
	}
	return false
}

// percentKey is the percentage gate an edit sets, as a value or a ramp
// ("percentage_of_actors", "percentage_of_time"), or "".
func percentKey(e flagfile.Edit) string {
	s := e.String()
	for _, k := range []string{"percentage_of_actors", "percentage_of_time"} {
		if strings.HasPrefix(s, k+" of ") { // flagfile.SetRamp
			return k
		}
		if _, w, _ := strings.Cut(s, ": "); strings.HasPrefix(w, k+" ") {
			return k
		}
	}
	return ""
}

// percentNote says what setting the percentage gate key removes from before:
// the other kind's value, and any ramp (a flag has one percentage gate).
func percentNote(before *flagfile.Flag, key string) string {
	var gone []string
	other := false
	for _, g := range []struct {
		key  string
		p    flagfile.Percent
		ramp *flagfile.Ramp
	}{{"percentage_of_actors", before.PercentageOfActors, before.RampOfActors}, {"percentage_of_time", before.PercentageOfTime, before.RampOfTime}} {
		switch {
		case g.ramp != nil:
			gone = append(gone, "the "+g.key+" ramp")
		case g.key != key && g.p != 0:
			gone = append(gone, fmt.Sprintf("%s %s", g.key, g.p))
		default:
			continue
		}
		other = other || g.key != key
	}
	if len(gone) == 0 {
		return ""
	}
	why := ""
	if other {
		why = ": a flag has one percentage gate"
	}
	return fmt.Sprintf(" (replaces %s%s)", strings.Join(gone, " and "), why)
}

// editTargets resolves the files an editing verb changes: --file; else every
// environment --env names (one, or several: --env a,b or --env a --env b);
// else every environment when all is set, or the one environment OneEnv
// resolves (default_env, or the only one).
func (f *Factory) editTargets(all bool) (*Config, []target, error) {
	c, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	if all || len(c.Envs) > 1 {
		ts, err := c.AllEnvs(true)
		return c, ts, err
	}
	t, err := c.OneEnv()
	return c, []target{t}, err
}

// editFiles is editTargets with every file loaded for an edit (strict:
// --strict).
func (f *Factory) editFiles(all, strict bool) (*Config, []*loaded, error) {
	c, ts, err := f.editTargets(all)
	if err != nil {
		return nil, nil, err
	}
	files, err := loadEditable(ts)
	setStrict(files, strict)
	return c, files, err
}

// applyEdits computes each file's edits and applies them all or none. With
// dryRun it prints the semantic change of every file (show, or the flagdiff
// lines when show is nil) and writes nothing; otherwise it writes and calls
// done for every file it was asked to edit. Either way, the problems of flags
// the edits did not touch are printed as warnings (see warnOthers).
func applyEdits(f *Factory, c *Config, files []*loaded, dryRun bool,
	show func(l *loaded, after *flagfile.File) []string,
	edits func(l *loaded) ([]flagfile.Edit, error),
	done func(l *loaded, after *flagfile.File, changed bool)) error {
	if dryRun {
		var lines []string
		for _, l := range files {
			es, err := edits(l)
			if err != nil {
				return err
			}
			if len(es) == 0 {
				continue
			}
			_, after, err := l.File.Apply(l.parseOpts(), es...)
			if err != nil {
				return editErr(l.target, fmt.Errorf("%s: %w", f.displayPath(l.Path), err))
			}
			warnOthers(f, after)
			if show != nil {
				lines = append(lines, show(l, after)...)
				continue
			}
			for _, ch := range flagdiff.Files(l.name(), l.File, after) {
				lines = append(lines, changeText(ch))
			}
		}
		if len(lines) == 0 {
			lines = append(lines, "nothing to change")
		}
		for _, ln := range lines {
			fmt.Fprintln(f.IO.Out, ln)
		}
		fmt.Fprintln(f.IO.Out, "(dry run: nothing written)")
		return nil
	}
	var asked []bool
	after, changed, err := applyAllFiles(f, c, files, func(l *loaded) ([]flagfile.Edit, error) {
		es, err := edits(l)
		asked = append(asked, len(es) > 0)
		return es, err
	})
	if err != nil {
		return err
	}
	for i, l := range files {
		if asked[i] {
			done(l, after[i], changed[i])
			warnOthers(f, after[i])
		}
	}
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
// Setting one percentage gate removes the other, and any ramp: given the flag
// as it was (before), the line says so.
func report(f *Factory, l *loaded, before *flagfile.Flag, flag string, changed bool, edits []flagfile.Edit) {
	var what []string
	for _, e := range edits {
		_, w, _ := strings.Cut(e.String(), ": ")
		what = append(what, w)
	}
	if changed {
		note := ""
		if before != nil {
			for _, e := range edits {
				if k := percentKey(e); k != "" {
					note = percentNote(before, k)
				}
			}
		}
		fmt.Fprintf(f.IO.Out, "%s %s: %s: %s%s\n", f.IO.green("✓"), l.name(), flag, strings.Join(what, ", "), note)
	} else {
		fmt.Fprintf(f.IO.Out, "%s: %s unchanged (already %s)\n", l.name(), flag, strings.Join(what, ", "))
	}
}

// parsePercentFlag parses a percentage option. A bare "1" is refused: as a
// fraction it is 100%, but whoever types it almost always means 1%, and reading
// it as 100% would turn the flag on for everyone.
func parsePercentFlag(name, v string) (flagfile.Percent, error) {
	if strings.TrimSpace(v) == "1" {
		return 0, flagErrorf("--%s 1 is ambiguous: write 1%% for one percent, or 100%% (the fraction 1.0) for everyone", name)
	}
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
	_, changed, err := applyAllFiles(f, c, files, edits)
	return changed, err
}

// applyAllFiles is applyAll, also returning each edited file as written (nil
// for the files left alone).
func applyAllFiles(f *Factory, c *Config, files []*loaded, edits func(l *loaded) ([]flagfile.Edit, error)) ([]*flagfile.File, []bool, error) {
	plan := make([][]flagfile.Edit, len(files))
	for i, l := range files {
		es, err := edits(l)
		if err != nil {
			return nil, nil, err
		}
		if len(es) > 0 {
			plan[i] = es
		}
	}
	// With several files, check every edit before writing any file, and hand
	// the verified results to UpdateAll as plans: a file unchanged since it
	// was loaded is not parsed and edited a second time. UpdateAll checks a
	// single file's edit itself.
	var plans []*flagfile.Plan
	if len(files) > 1 {
		var err error
		if plans, err = planAll(f, files, plan); err != nil {
			return nil, nil, err
		}
	}
	var changes []flagfile.Change
	var index []int
	for i, l := range files {
		switch {
		case plans != nil && plans[i] != nil:
			changes = append(changes, flagfile.Change{Path: l.Path, Plan: plans[i]})
			index = append(index, i)
		case plans == nil && plan[i] != nil:
			changes = append(changes, flagfile.Change{Path: l.Path, Opts: l.parseOpts(), Edits: plan[i]})
			index = append(index, i)
		}
	}
	changed := make([]bool, len(files))
	after := make([]*flagfile.File, len(files))
	if len(changes) == 0 {
		return after, changed, nil
	}
	nf, ch, err := f.writer(c).UpdateAll(changes)
	if err != nil {
		return nil, changed, editErrIn(files, err)
	}
	for k, i := range index {
		after[i], changed[i] = nf[k], ch[k]
	}
	return after, changed, nil
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

// dryRunFlag adds --dry-run to an editing verb.
func dryRunFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "dry-run", false, "print the change, write nothing")
}

// strictFlag is the --strict option of every editing verb.
func strictFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "strict", false, "refuse to edit a file in which any other flag has problems")
}

// changeText is one semantic change as printed: control characters of the values
// it shows (a hand-written description) escaped, so it cannot drive the terminal.
func changeText(ch flagdiff.FlagChange) string { return history.EscapeControl(ch.String()) }

// changeLines are the flagdiff lines of one file's edit.
func changeLines(l *loaded, after *flagfile.File) []string {
	var out []string
	for _, ch := range flagdiff.Files(l.name(), l.File, after) {
		out = append(out, changeText(ch))
	}
	return out
}
