package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// LintOptions are the inputs of `flagctl lint`.
type LintOptions struct {
	Format string
	Strict bool
}

// Finding is one lint result; its JSON form is documented in README.
type Finding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"` // error | warning
	Rule     string `json:"rule"`
	Flag     string `json:"flag,omitempty"`
	Message  string `json:"message"`
}

// MaxActorGates is the number of actor gates above which lint suggests a group.
const MaxActorGates = 1000

// NewCmdLint builds `flagctl lint`.
func NewCmdLint(f *Factory, runF func(*LintOptions) error) *cobra.Command {
	opts := &LintOptions{}
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Validate every environment file and the set of them",
		Long: `Checks every rule of the file format in every environment file, then the set of
files: a flag missing from some environments (error), metadata that differs
between environments, the naming convention (lint.naming, default "_enabled$"),
missing description or owner, redundant gates, and flags with more than 1,000
actor gates (warnings).

Exit 1 when there are errors (and warnings, with --strict); 3 when a file cannot
be read.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat("format", opts.Format, "text", "json", "github"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return lintRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "text|json|github (GitHub Actions annotations)")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "exit 1 on warnings too")
	return cmd
}

func lintRun(f *Factory, opts *LintOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	ts, err := c.AllEnvs(true)
	if err != nil {
		return err
	}
	naming, err := regexp.Compile(c.Naming)
	if err != nil {
		return usageErr("lint.naming %q: %v", c.Naming, err)
	}
	var tests []string
	if c.FlagFile == "" {
		tests = testFiles(c)
	}
	findings, err := lintFiles(ts, naming, tests, f.Now())
	if err != nil {
		return err
	}
	if err := printFindings(f, opts.Format, findings); err != nil {
		return err
	}
	for _, fd := range findings {
		if fd.Severity == "error" || opts.Strict {
			return errFindings
		}
	}
	return nil
}

// lintFiles runs every check. Only unreadable files are errors (exit 3); problems
// in the files are findings.
func lintFiles(ts []target, naming *regexp.Regexp, tests []string, now time.Time) ([]Finding, error) {
	var out []Finding
	add := func(pos flagfile.Pos, sev, rule, flag, format string, args ...any) {
		out = append(out, Finding{File: pos.File, Line: pos.Line, Column: pos.Column, Severity: sev, Rule: rule, Flag: flag, Message: fmt.Sprintf(format, args...)})
	}
	var files []*loaded
	for _, t := range ts {
		data, err := os.ReadFile(t.Path)
		if errors.Is(err, fs.ErrNotExist) && t.Env != "" {
			add(flagfile.Pos{File: t.Path}, "error", "missing-file", "", "no flag file for environment %q; run \"flagctl init\"", t.Env)
			continue
		}
		if err != nil {
			return nil, fileErr(err)
		}
		file, perr := flagfile.Parse(t.Path, data, flagfile.ParseOptions{Env: t.Expect})
		var list flagfile.ErrorList
		if errors.As(perr, &list) {
			for _, e := range list {
				add(e.Pos, "error", "format", e.Flag, "%s", e.Msg)
			}
		} else if perr != nil {
			return nil, fileErr(perr)
		}
		if file != nil {
			files = append(files, &loaded{target: t, File: file})
		}
	}
	// Rule-test files must parse too.
	if len(tests) > 0 {
		if _, err := parseTestFiles(tests); err != nil {
			var list flagfile.ErrorList
			if !errors.As(err, &list) {
				return nil, err
			}
			for _, e := range list {
				add(e.Pos, "error", "test-file", "", "%s", e.Msg)
			}
		}
	}
	// Per flag, across environments.
	type seen struct {
		l  *loaded
		fl *flagfile.Flag
	}
	byName := map[string][]seen{}
	var order []string
	for _, l := range files {
		for _, fl := range l.File.Flags {
			if _, ok := byName[fl.Name]; !ok {
				order = append(order, fl.Name)
			}
			byName[fl.Name] = append(byName[fl.Name], seen{l, fl})
			lintGates(fl, add)
			for _, w := range fl.TimedWarnings(now) { // ramps and schedules
				add(w.Pos, "warning", "schedule", fl.Name, "%s", w.Msg)
			}
		}
	}
	for _, name := range order {
		occ := byName[name]
		first := occ[0].fl
		if len(occ) < len(files) {
			var have, missing []string
			in := map[*loaded]bool{}
			for _, o := range occ {
				in[o.l] = true
				have = append(have, o.l.name())
			}
			for _, l := range files {
				if !in[l] {
					missing = append(missing, l.name())
				}
			}
			add(first.Pos, "error", "missing-in-env", name, "flag %q is defined in %s but not in %s; add it there (flagctl create adds to every environment) or remove it everywhere", name, strings.Join(have, ", "), strings.Join(missing, ", "))
		}
		for _, o := range occ[1:] {
			for _, m := range []struct{ field, a, b string }{
				{"description", first.Description, o.fl.Description},
				{"owner", first.Owner, o.fl.Owner},
				{"kind", string(first.Kind), string(o.fl.Kind)},
				{"expires", first.Expires.String(), o.fl.Expires.String()},
			} {
				if m.a != m.b {
					add(o.fl.Pos, "warning", "metadata-mismatch", name, "%s of %q is %q here but %q in %s; metadata should agree across environments", m.field, name, m.b, m.a, occ[0].l.name())
				}
			}
		}
		if !naming.MatchString(name) {
			add(first.Pos, "warning", "naming", name, "flag %q does not match the naming convention %q (lint.naming)", name, naming.String())
		}
		if first.Description == "" {
			add(first.Pos, "warning", "missing-description", name, "flag %q has no description; say what it is for", name)
		}
		if first.Owner == "" {
			add(first.Pos, "warning", "missing-owner", name, "flag %q has no owner; name who removes it", name)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out, nil
}

// lintGates reports gates that cannot change any result.
func lintGates(fl *flagfile.Flag, add func(flagfile.Pos, string, string, string, string, ...any)) {
	warn := func(format string, args ...any) {
		add(fl.Pos, "warning", "redundant-gate", fl.Name, format, args...)
	}
	enablingGroups, disablingGroups := 0, 0
	for _, g := range fl.Groups {
		if g.Enabled {
			enablingGroups++
		} else {
			disablingGroups++
		}
	}
	if fl.BooleanOn() && len(fl.Schedule) == 0 { // a schedule may turn it off later
		var extra []string
		for _, a := range fl.Actors {
			if a.Enabled && disablingGroups == 0 {
				extra = append(extra, "actor "+a.ID)
			}
		}
		if enablingGroups > 0 {
			extra = append(extra, "enabled groups")
		}
		if fl.PercentageOfActors != 0 || fl.PercentageOfTime != 0 || fl.RampOfActors != nil || fl.RampOfTime != nil {
			extra = append(extra, "the percentage gate")
		}
		if len(extra) > 0 {
			warn("flag %q: the boolean gate is on, so %s cannot turn it on for anyone more; remove them", fl.Name, strings.Join(extra, ", "))
		}
	}
	if fl.PercentageOfActors == flagfile.PercentMax || fl.PercentageOfTime == flagfile.PercentMax {
		warn("flag %q: a 100%% percentage gate is on for everyone; use the boolean gate (flagctl enable)", fl.Name)
	}
	opensAny := fl.BooleanOn() || enablingGroups > 0 || fl.PercentageOfActors != 0 || fl.PercentageOfTime != 0 || fl.Timed()
	if !opensAny {
		var ids []string
		for _, a := range fl.Actors {
			if !a.Enabled {
				ids = append(ids, a.ID)
			}
		}
		if len(ids) > 0 {
			warn("flag %q: actor gates off for %s repeat what every actor gets (nothing turns the flag on); remove them", fl.Name, strings.Join(ids, ", "))
		}
	}
	if len(fl.Actors) > MaxActorGates {
		warn("flag %q has %d actor gates (over %d); use a group gate instead", fl.Name, len(fl.Actors), MaxActorGates)
	}
}

func printFindings(f *Factory, format string, findings []Finding) error {
	switch format {
	case "json":
		if findings == nil {
			findings = []Finding{}
		}
		return writeJSON(f.IO.Out, findings)
	case "github":
		for _, fd := range findings {
			fmt.Fprintf(f.IO.Out, "::%s file=%s,line=%d,col=%d,title=flagctl %s::%s\n", fd.Severity, fd.File, max(fd.Line, 1), max(fd.Column, 1), fd.Rule, ghEscape(fd.Message))
		}
		return nil
	}
	errs, warns := 0, 0
	for _, fd := range findings {
		pos := flagfile.Pos{File: fd.File, Line: fd.Line, Column: fd.Column}
		sev := f.IO.yellow(fd.Severity)
		if fd.Severity == "error" {
			sev = f.IO.red(fd.Severity)
			errs++
		} else {
			warns++
		}
		fmt.Fprintf(f.IO.Out, "%s: %s: %s [%s]\n", pos, sev, fd.Message, fd.Rule)
	}
	if errs+warns > 0 {
		fmt.Fprintf(f.IO.Out, "%d errors, %d warnings\n", errs, warns)
	}
	return nil
}

// ghEscape escapes a GitHub Actions workflow command message.
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}
