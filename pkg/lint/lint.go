// Package lint checks a set of environment flag files: every rule of the file
// format in each file, then the rules across files (a flag missing from some
// environments, metadata that differs, the naming convention, missing
// description or owner, gates that cannot change any result, too many actor
// gates), and that rule-test files parse.
//
//	res, err := lint.Files([]lint.Source{{Env: "staging", Path: "flags/staging.yaml", Expect: "staging"}}, lint.Options{})
//	if err != nil { ... }            // a file could not be read
//	for _, f := range res.Findings { fmt.Println(f.File, f.Line, f.Message) }
//	if len(res.Broken) > 0 { ... }   // missing or unparsable files (exit 3 in the CLI)
package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/ruletest"
)

// MaxActorGates is the number of actor gates above which lint suggests a group.
const MaxActorGates = 1000

// DefaultNaming is the naming convention when Options.Naming is nil.
const DefaultNaming = "_enabled$"

// Severities of a finding.
const (
	Error   = "error"
	Warning = "warning"
)

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

// Source is one flag file to check.
type Source struct {
	// Env is the environment ("" when the file is named directly); a missing
	// environment file is a finding, a missing named file an error.
	Env  string
	Path string
	// Expect is the environment the file must declare (flagfile.ParseOptions.Env).
	Expect string
}

// Options tune Files.
type Options struct {
	// Naming is the naming convention flag names must match (nil = DefaultNaming).
	Naming *regexp.Regexp
	// Tests are rule-test files that must parse (see pkg/ruletest).
	Tests []string
	// Limit is the largest file read (0 = flagfile.MaxFileSize).
	Limit int64
	// Now is when ramps and schedules are judged (zero = time.Now()).
	Now time.Time
}

// Result is what Files found.
type Result struct {
	// Findings, sorted by file, line and column.
	Findings []Finding
	// Broken lists the files that are missing or cannot be parsed at all (their
	// problems are among the findings too).
	Broken []string
}

// Files runs every check. Problems in the files are findings; err is non-nil
// only when a file exists but cannot be read.
func Files(srcs []Source, opts Options) (*Result, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	naming := opts.Naming
	if naming == nil {
		naming = regexp.MustCompile(DefaultNaming)
	}
	res := &Result{}
	add := func(pos flagfile.Pos, sev, rule, flag, format string, args ...any) {
		res.Findings = append(res.Findings, Finding{File: pos.File, Line: pos.Line, Column: pos.Column, Severity: sev, Rule: rule, Flag: flag, Message: fmt.Sprintf(format, args...)})
	}
	type loaded struct {
		name string
		file *flagfile.File
	}
	var files []*loaded
	for _, s := range srcs {
		data, err := flagfile.ReadFile(s.Path, opts.Limit)
		if errors.Is(err, fs.ErrNotExist) && s.Env != "" {
			add(flagfile.Pos{File: s.Path}, Error, "missing-file", "", "no flag file for environment %q; run \"flagctl init\"", s.Env)
			res.Broken = append(res.Broken, s.Path)
			continue
		}
		if err != nil {
			return nil, err
		}
		file, perr := flagfile.Parse(s.Path, data, flagfile.ParseOptions{Env: s.Expect})
		var list flagfile.ErrorList
		if errors.As(perr, &list) {
			for _, e := range list {
				add(e.Pos, Error, "format", e.Flag, "%s", e.Msg)
			}
		} else if perr != nil {
			return nil, perr
		}
		if file == nil {
			res.Broken = append(res.Broken, s.Path)
			continue
		}
		name := s.Env
		if name == "" {
			name = file.Environment
		}
		if name == "" {
			name = s.Path
		}
		files = append(files, &loaded{name: name, file: file})
	}
	for _, p := range opts.Tests {
		data, err := flagfile.ReadFile(p, opts.Limit)
		if err != nil {
			return nil, err
		}
		_, err = ruletest.Parse(p, data)
		var list flagfile.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				add(e.Pos, Error, "test-file", "", "%s", e.Msg)
			}
		} else if err != nil {
			return nil, err
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
		for _, fl := range l.file.Flags {
			if _, ok := byName[fl.Name]; !ok {
				order = append(order, fl.Name)
			}
			byName[fl.Name] = append(byName[fl.Name], seen{l, fl})
			Gates(fl, add)
			for _, w := range fl.TimedWarnings(now) { // ramps and schedules
				add(w.Pos, Warning, "schedule", fl.Name, "%s", w.Msg)
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
				have = append(have, o.l.name)
			}
			for _, l := range files {
				if !in[l] {
					missing = append(missing, l.name)
				}
			}
			add(first.Pos, Error, "missing-in-env", name, "flag %q is defined in %s but not in %s; add it there (\"flagctl promote %s --from %s --to %s\" copies it, one environment at a time) or remove it everywhere (\"flagctl remove %s\")", name, strings.Join(have, ", "), strings.Join(missing, ", "), name, have[0], missing[0], name)
		}
		for _, o := range occ[1:] {
			for _, m := range []struct{ field, a, b string }{
				{"description", first.Description, o.fl.Description},
				{"owner", first.Owner, o.fl.Owner},
				{"kind", string(first.Kind), string(o.fl.Kind)},
				{"expires", first.Expires.String(), o.fl.Expires.String()},
			} {
				if m.a != m.b {
					add(o.fl.Pos, Warning, "metadata-mismatch", name, "%s of %q is %q here but %q in %s; metadata should agree across environments", m.field, name, m.b, m.a, occ[0].l.name)
				}
			}
		}
		if !naming.MatchString(name) {
			add(first.Pos, Warning, "naming", name, "flag %q does not match the naming convention %q (lint.naming)", name, naming.String())
		}
		if first.Description == "" {
			add(first.Pos, Warning, "missing-description", name, "flag %q has no description; say what it is for", name)
		}
		if first.Owner == "" {
			add(first.Pos, Warning, "missing-owner", name, "flag %q has no owner; name who removes it", name)
		}
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return res, nil
}

// Gates reports, through add, the gates of fl that cannot change any result
// (rule redundant-gate) and too many actor gates.
func Gates(fl *flagfile.Flag, add func(pos flagfile.Pos, severity, rule, flag, format string, args ...any)) {
	warn := func(format string, args ...any) {
		add(fl.Pos, Warning, "redundant-gate", fl.Name, format, args...)
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
