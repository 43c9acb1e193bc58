package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/cleanup"
	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/goident"
	"github.com/flagctl/flagctl/pkg/stale"
)

// CleanupOptions are the inputs of `flagctl cleanup`.
type CleanupOptions struct {
	Name string
	// Value is "true", "false" or "" (the flag's state in the files).
	Value  string
	DryRun bool
	Check  bool
	Paths  []string

	// all refuses to write anything when a check would be left alone.
	all bool
}

// NewCmdCleanup builds `flagctl cleanup NAME [PATH…]`.
func NewCmdCleanup(f *Factory, runF func(*CleanupOptions) error) *cobra.Command {
	opts := &CleanupOptions{}
	cmd := &cobra.Command{
		Use:   "cleanup NAME [PATH...]",
		Short: "Remove a flag from the Go code: every check becomes its value, dead code goes",
		Long: `Rewrites the Go packages under PATH (default: the whole module of the project)
so that every check of the flag becomes its final value, then removes the code that
can no longer run: if/else branches, && and || operands, variables and imports left
unused, code after a return that now always happens, and unexported functions that
now only return the constant (exported ones are reported).

Checks are recognised by type: Evaluator.Enabled/EnabledFor/Explain(…).Enabled, typed
handles (generated fields and ev.Flag), the generated key constants, the OpenFeature
client's Boolean, BooleanValue and BooleanValueDetails(…).Value, and the names listed
in cleanup.calls of .flagctl.yaml (a function or method whose first string argument
is the flag name).

Without --value the value is the flag's state when it is fully on (or fully off) in
every environment; otherwise cleanup refuses. Checks it cannot rewrite safely (the
value stored in a field, passed to a function, used in a switch) are reported with
file:line and left alone (exit 1). The rewritten packages must type-check, or
nothing is written.`,
		Example: `  flagctl cleanup new_checkout_enabled --dry-run
  flagctl cleanup new_checkout_enabled --value true ./internal/checkout
  flagctl cleanup old_search_enabled --check`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return flagErrorf("expected the flag NAME (and optional PATHs), got 0 arguments")
			}
			return nil
		},
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if len(args) > 1 {
				opts.Paths = args[1:]
			}
			if opts.Value != "" && opts.Value != "true" && opts.Value != "false" {
				return flagErrorf("invalid --value %q: use true or false", opts.Value)
			}
			if opts.DryRun && opts.Check {
				return flagErrorf("--dry-run and --check are mutually exclusive")
			}
			if runF != nil {
				return runF(opts)
			}
			return cleanupRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Value, "value", "", "the value every check becomes: true|false (default: the flag's state in every environment)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "write nothing; print the changes as a unified diff")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; exit 1 if any file would change")
	return cmd
}

func cleanupRun(f *Factory, opts *CleanupOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	var files []*loaded
	if opts.Value == "" { // --value needs no flag file: the flag may be gone already
		if _, files, err = f.loadEnvs(false); err != nil {
			return err
		}
	}
	res, err := cleanupCode(f, c, files, opts)
	if err != nil {
		return err
	}
	if len(res.Skipped) > 0 || opts.Check && len(res.Changed) > 0 {
		return errFindings
	}
	return nil
}

// cleanupValue is the value checks of name become: --value, else the flag's
// state when it is the same for everyone in every environment.
func cleanupValue(files []*loaded, name, value string, now time.Time) (bool, error) {
	if value != "" {
		return strconv.ParseBool(value)
	}
	defined, allOn, allOff := false, true, true
	var states []string
	for _, l := range files {
		fl := l.File.Flag(name)
		defined = defined || fl != nil
		on, off := stale.IsFullyOn(fl, now), stale.EnablesNobody(fl, now)
		// stale counts percentage_of_actors at 100% as fully on, but a check
		// without an actor (ev.Enabled) still answers false: cleaning it as
		// true would change what that code does.
		actorsOnly := on && !onWithoutActor(fl, now)
		allOn, allOff = allOn && on && !actorsOnly, allOff && off
		switch {
		case actorsOnly:
			states = append(states, l.name()+": on for every actor, off when checked without one (percentage_of_actors 100%, no boolean gate on)")
		case on:
			states = append(states, l.name()+": on for everyone")
		case off:
			states = append(states, l.name()+": off for everyone")
		default:
			states = append(states, l.name()+": on for some")
		}
	}
	if !defined {
		return false, unknownFlag(name, files...)
	}
	switch {
	case allOn:
		return true, nil
	case allOff:
		return false, nil
	}
	return false, usageErr("%s is not fully on or fully off in every environment (%s): finish the rollout first, or pass --value true|false", name, strings.Join(states, "; "))
}

// onWithoutActor reports whether fl, as in effect at now, answers true to a
// check without an actor: its boolean gate on, or percentage_of_time at 100%.
func onWithoutActor(fl *flagfile.Flag, now time.Time) bool {
	if fl.Timed() {
		fl = fl.At(now)
	}
	return fl.BooleanOn() || fl.PercentageOfTime == flagfile.PercentMax
}

// cleanupCode rewrites the Go code for opts and reports what it did; it writes
// nothing with DryRun or Check.
func cleanupCode(f *Factory, c *Config, files []*loaded, opts *CleanupOptions) (*cleanup.Result, error) {
	value, err := cleanupValue(files, opts.Name, opts.Value, f.Now())
	if err != nil {
		return nil, err
	}
	// The module is the one holding the first PATH (default: the project).
	wd := f.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	var abs []string
	for _, p := range opts.Paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		abs = append(abs, filepath.Clean(p))
	}
	base := c.Root
	if len(abs) > 0 {
		base = abs[0]
	}
	gomod := findUp(base, "go.mod")
	if gomod == "" {
		return nil, usageErr("cleanup rewrites Go code, and %s is not in a Go module (no go.mod in it or a parent)", base)
	}
	modRoot := filepath.Dir(gomod)
	var patterns, only []string
	for i, p := range abs {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fileErr(err)
		}
		if !st.IsDir() {
			patterns = append(patterns, "file="+p)
			only = append(only, p)
			continue
		}
		rel, err := filepath.Rel(modRoot, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, usageErr("%s is outside the Go module of %s (%s): run cleanup once per module", opts.Paths[i], opts.Paths[0], modRoot)
		}
		patterns = append(patterns, "./"+filepath.ToSlash(rel)+"/...")
		only = append(only, p)
	}
	res, err := cleanup.Run(cleanup.Options{
		Flag: opts.Name, Value: value, Dir: modRoot, Patterns: patterns, Files: only, Idents: []string{generatedIdent(files, opts.Name)},
		Calls: splitList(c.v.GetStringSlice("cleanup.calls")),
	})
	var be *cleanup.BuildError
	switch {
	case errors.As(err, &be), errors.Is(err, cleanup.ErrNotCompiling):
		return nil, &ExitError{Code: ExitFindings, Err: err}
	case err != nil:
		return nil, fileErr(err)
	}
	// Messages name files relative to the working directory; a diff's headers
	// are relative to the project root, as git's are to the repository's.
	rel := f.displayPath
	for _, ch := range res.Changed {
		switch {
		case opts.DryRun:
			fmt.Fprint(f.IO.Out, cleanup.UnifiedDiff("a/"+relTo(c.Root, ch.Path), "b/"+relTo(c.Root, ch.Path), ch.Old, ch.New))
		case opts.Check:
			fmt.Fprintf(f.IO.Out, "%s: would change (run \"flagctl cleanup %s\")\n", rel(ch.Path), opts.Name)
		}
	}
	if opts.all && len(res.Skipped) > 0 {
		for _, s := range res.Skipped {
			s.Pos = s.Orig // nothing is written
			s.Pos.Filename = rel(s.Pos.Filename)
			fmt.Fprintf(f.IO.ErrOut, "%s %s\n", f.IO.red("error:"), s)
		}
		return nil, &ExitError{Code: ExitFindings, Err: fmt.Errorf("%d checks of %s cannot be rewritten safely (listed above); nothing was changed: rewrite them by hand, then run remove --cleanup again", len(res.Skipped), opts.Name)}
	}
	if !opts.DryRun && !opts.Check {
		// Every file must still be what was read, or nothing is written.
		for _, ch := range res.Changed {
			cur, err := flagfile.ReadFile(ch.Path, int64(len(ch.Old))+1)
			if err != nil || string(cur) != string(ch.Old) {
				return nil, fileErr(fmt.Errorf("%s changed while cleanup ran; nothing was written, run it again", rel(ch.Path)))
			}
		}
		for _, ch := range res.Changed {
			if err := flagfile.WriteFile(ch.Path, ch.New); err != nil {
				return nil, fileErr(err)
			}
		}
	}
	for _, s := range res.Skipped {
		if opts.DryRun || opts.Check {
			s.Pos = s.Orig // the files are not rewritten: show where it is now
		}
		s.Pos.Filename = rel(s.Pos.Filename)
		fmt.Fprintf(f.IO.ErrOut, "%s %s\n", f.IO.yellow("warning:"), s)
	}
	for _, n := range res.Notes {
		n.Pos.Filename = rel(n.Pos.Filename)
		fmt.Fprintf(f.IO.ErrOut, "note: %s\n", n)
	}
	verb := "rewrote"
	if opts.DryRun || opts.Check {
		verb = "would rewrite"
	}
	fmt.Fprintf(f.IO.ErrOut, "%s %s %s of %s as %v in %s", f.IO.green("✓"), verb, plural(res.Rewritten, "check"), opts.Name, value, plural(len(res.Changed), "file"))
	if len(res.Skipped) > 0 {
		fmt.Fprintf(f.IO.ErrOut, "; %d left alone (see the warnings)", len(res.Skipped))
	}
	fmt.Fprintln(f.IO.ErrOut)
	return res, nil
}

// removeCleanup is the code half of `remove --cleanup`: every environment's
// state decides the value, and every check must be rewritten.
func removeCleanup(f *Factory, name string, dryRun bool) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	if c.Env != "" || c.FlagFile != "" {
		return usageErr("--cleanup removes %s from the code, so it must leave every environment: drop --env/--file", name)
	}
	_, files, err := f.loadEnvs(false)
	if err != nil {
		return err
	}
	_, err = cleanupCode(f, c, files, &CleanupOptions{Name: name, DryRun: dryRun, all: true})
	return err
}

// regenerateGo rewrites every `flagctl generate go` output of the project (Go
// files starting with GeneratedHeader) from the current flag files.
func regenerateGo(f *Factory) error {
	c, files, err := f.loadEnvs(false)
	if err != nil {
		return err
	}
	var outs []string
	err = filepath.WalkDir(c.Root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if n := d.Name(); p != c.Root && (strings.HasPrefix(n, ".") || n == "vendor" || n == "node_modules" || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") && d.Type().IsRegular() {
			head, err := flagfile.ReadFile(p, 1<<20)
			if err == nil && strings.HasPrefix(string(head), GeneratedHeader+"\n// Source: flag files of ") {
				outs = append(outs, p)
			}
		}
		return nil
	})
	if err != nil {
		return fileErr(err)
	}
	for _, out := range outs {
		old, err := flagfile.ReadFile(out, 64<<20)
		if err != nil {
			return fileErr(err)
		}
		pkg := ""
		for _, line := range strings.Split(string(old), "\n") {
			if p, ok := strings.CutPrefix(line, "package "); ok {
				pkg = strings.TrimSpace(p)
				break
			}
		}
		src, _, err := generateGo(pkg, files, flagfile.DateOf(f.Now()))
		if err != nil {
			return err
		}
		if string(src) == string(old) {
			continue
		}
		if err := flagfile.WriteFile(out, src); err != nil {
			return fileErr(err)
		}
		fmt.Fprintf(f.IO.Out, "%s regenerated %s\n", f.IO.green("✓"), f.displayPath(out))
	}
	return nil
}

// plural writes "1 check", "2 checks".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// generatedIdent is the identifier `flagctl generate go` gives name among the
// project's flags (collision suffixes included).
func generatedIdent(files []*loaded, name string) string {
	names := []string{name}
	for _, l := range files {
		for _, fl := range l.File.Flags {
			names = append(names, fl.Name)
		}
	}
	ids, _ := goident.Assign(names)
	return ids[name]
}
