// Package stale finds flag debt: flags to remove (expired, fully rolled out,
// dead, unreferenced) and code that checks flags no file defines. It works on
// parsed flag files, their git history (pkg/history) and a reference scan of
// the source tree (pkg/refscan); `flagctl stale` and the serve dashboard print
// its Findings. Nothing here reads configuration or prints.
//
//	r, err := history.Open(root)                   // ErrNotRepository: use r = nil, ages come from created:
//	files, err := stale.SourceFiles(r, stale.Sources{Root: root, FlagDir: flagDir})
//	patterns, _ := stale.CompilePatterns(stale.DefaultPatterns())
//	scan := stale.Scan(files, envs, patterns, nil)
//	findings, err := stale.Check(stale.Input{Envs: envs, Repo: r, Scan: scan, Today: today, Root: root}, stale.DefaultConfig())
//
// Check fails with ErrShallow in a shallow clone (unless Config.AllowShallow)
// and with git's own error (*history.GitError) when git fails: a finding is
// never dropped silently.
package stale

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
	"github.com/flagctl/flagctl/pkg/refscan"
)

// Finding kinds.
const (
	Expired      = "expired"
	FullyOn      = "fully-rolled-out"
	Dead         = "dead"
	Unreferenced = "unreferenced"
	UndefinedRef = "undefined-reference"
)

// Kinds lists every finding kind.
var Kinds = []string{Expired, FullyOn, Dead, Unreferenced, UndefinedRef}

// Severities a kind can have.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityOff     = "off"
)

// ErrShallow is returned (wrapped) by Check when the repository is a shallow
// clone and age checks would run: their ages would start at the cut.
var ErrShallow = errors.New("the repository is a shallow clone, so flag ages are unknown; fetch full history: actions/checkout with fetch-depth: 0 (or git fetch --unshallow), or pass --allow-shallow to judge ages by created: dates")

// Finding is one result; its JSON form is the documented output of
// `flagctl stale --format json`.
type Finding struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Flag     string `json:"flag"`
	Env      string `json:"env,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Since    string `json:"since,omitempty"`
	Reason   string `json:"reason"`
	Action   string `json:"action"`
}

// Config are the settings of a check (the stale section of .flagctl.yaml).
type Config struct {
	// MaxAgeDays is how long a release flag may stay fully on or dead (30).
	MaxAgeDays int
	// Ignore lists flags never reported.
	Ignore map[string]bool
	// Severity per kind: error, warning or off (DefaultConfig sets every kind).
	// A kind missing from the map is off.
	Severity map[string]string
	// AllowShallow judges ages by created: dates in a shallow clone instead of
	// failing with ErrShallow.
	AllowShallow bool
}

// DefaultConfig is a max age of 30 days and the default severities: warning
// for unreferenced, error for every other kind.
func DefaultConfig() Config {
	return Config{MaxAgeDays: 30, Ignore: map[string]bool{}, Severity: map[string]string{
		Expired: SeverityError, FullyOn: SeverityError, Dead: SeverityError,
		Unreferenced: SeverityWarning, UndefinedRef: SeverityError,
	}}
}

// ParseAge reads "30d", "4w" or a Go duration ("720h") as whole days.
func ParseAge(s string) (int, error) {
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"d", 1}, {"w", 7}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("write a number of days (30d) or weeks (4w)")
			}
			return v * u.mult, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("write a number of days (30d) or weeks (4w)")
	}
	return int(d.Hours() / 24), nil
}

// Env is one environment's flag file, current (working tree) state.
type Env struct {
	// Name labels the environment ("production"); Path is the file.
	Name, Path string
	// Expect is the environment the file must declare (for history versions).
	Expect string
	File   *flagfile.File
}

// Input is what Check judges.
type Input struct {
	// Envs are the environment files, in promotion order.
	Envs []Env
	// Repo is the repository (nil outside git: ages come from created: dates).
	Repo *history.Repo
	// Scan is the reference scan of the source tree (see Scan).
	Scan *refscan.Result
	// Today is the date to judge by.
	Today flagfile.Date
	// Root makes finding paths relative ("" = leave them as they are).
	Root string
}

// Definitions returns every flag name in order of first definition (files in
// promotion order) and the environment of that first definition.
func Definitions(envs []Env) ([]string, map[string]*Env) {
	first := map[string]*Env{}
	var order []string
	for i := range envs {
		for _, fl := range envs[i].File.Flags {
			if _, ok := first[fl.Name]; !ok {
				first[fl.Name] = &envs[i]
				order = append(order, fl.Name)
			}
		}
	}
	return order, first
}

// fullyOn: on for everyone (boolean on, or a percentage gate at 100%, e.g. a
// finished ramp; nothing disables anyone).
func fullyOn(fl *flagfile.Flag) bool {
	return (fl.BooleanOn() || fl.PercentageOfActors == flagfile.PercentMax || fl.PercentageOfTime == flagfile.PercentMax) && !hasGate(fl, false)
}

// inState reports whether fl is in the kind's state at now. A flag with a ramp
// or schedule must be settled: no change pending after now, and its gates as
// they are at now in the state.
func inState(fl *flagfile.Flag, kind string, now time.Time) bool {
	if fl.Timed() {
		if _, pending := fl.NextChange(now); pending {
			return false
		}
		fl = fl.At(now)
	}
	if kind == FullyOn {
		return fullyOn(fl)
	}
	return enablesNobody(fl)
}

// tookEffect returns when a timed flag's state (the kind's state at now) took
// effect by its own timeline: the latest ramp end or schedule step, in any
// environment, before which it was not in that state. Zero when no timeline
// brought it about.
func tookEffect(envs []Env, name, kind string, now time.Time) time.Time {
	var took time.Time
	for _, e := range envs {
		fl := e.File.Flag(name)
		if fl == nil || !fl.Timed() {
			continue
		}
		tl := fl.Timeline()
		for i := len(tl) - 1; i >= 0; i-- {
			m := tl[i].At
			if m.After(now) {
				continue
			}
			before := m.Add(-time.Nanosecond)
			if !inState(fl.At(before), kind, before) {
				if m.After(took) {
					took = m
				}
				break
			}
		}
	}
	return took
}

// enablesNobody: no gate turns the flag on for anyone.
func enablesNobody(fl *flagfile.Flag) bool {
	return !fl.BooleanOn() && fl.PercentageOfActors == 0 && fl.PercentageOfTime == 0 && !hasGate(fl, true)
}

// hasGate reports whether an actor or group gate of fl is set to on.
func hasGate(fl *flagfile.Flag, on bool) bool {
	for _, gs := range [][]flagfile.Gate{fl.Actors, fl.Groups} {
		for _, g := range gs {
			if g.Enabled == on {
				return true
			}
		}
	}
	return false
}

// holds reports whether the flag is in the kind's state across files. Fully
// rolled out: defined and on for everyone in every file. Dead: defined in at
// least one file and enabling nobody wherever it is defined; a file without the
// flag says nothing (a flag that does not exist yet is not "dead").
func holds(files []*flagfile.File, name, kind string, now time.Time) bool {
	defined := false
	for _, f := range files {
		var fl *flagfile.Flag
		if f != nil {
			fl = f.Flag(name)
		}
		if fl == nil {
			if kind == FullyOn {
				return false
			}
			continue
		}
		defined = true
		if !inState(fl, kind, now) {
			return false
		}
	}
	return defined
}

// Check returns the findings, in order of kind then definition. Errors: a
// *history.GitError when git fails, ErrShallow (wrapped) in a shallow clone
// unless cfg.AllowShallow or both age kinds are off.
func Check(in Input, cfg Config) ([]Finding, error) {
	var out []Finding
	add := func(kind string, fd Finding) {
		if sev := cfg.Severity[kind]; sev != "" && sev != SeverityOff && !cfg.Ignore[fd.Flag] {
			fd.Kind, fd.Severity = kind, sev
			out = append(out, fd)
		}
	}
	order, first := Definitions(in.Envs)
	today := in.Today
	ago := func(d flagfile.Date) int { return int(today.Time().Sub(d.Time()).Hours() / 24) }
	for _, name := range order {
		fl := first[name].File.Flag(name)
		if !fl.Expires.IsZero() && fl.Expires.Before(today) {
			add(Expired, Finding{Flag: name, File: first[name].Path, Line: fl.Pos.Line, Since: fl.Expires.String(),
				Reason: fmt.Sprintf("expired on %s (%s ago)", fl.Expires, days(ago(fl.Expires))),
				Action: "remove the flag and the code it guards, or move expires if it must stay"})
		}
	}
	ages, err := ageFindings(in, cfg, order, first)
	if err != nil {
		return nil, err
	}
	for _, a := range ages {
		add(a.Kind, a)
	}
	for _, name := range order {
		if in.Scan == nil || len(in.Scan.Refs[name]) == 0 {
			add(Unreferenced, Finding{Flag: name, File: first[name].Path, Line: first[name].File.Flag(name).Pos.Line,
				Reason: "no source file mentions it", Action: "remove it if no other repository uses it, or add it to stale.ignore"})
		}
	}
	if in.Scan != nil {
		for _, ref := range in.Scan.Checked {
			if _, ok := first[ref.Flag]; ok {
				continue
			}
			add(UndefinedRef, Finding{Flag: ref.Flag, File: ref.File, Line: ref.Line,
				Reason: "checked in code but defined in no flag file" + flagfile.DidYouMean(ref.Flag, order), Action: "fix the name, or remove the check (an undefined flag is always off)"})
		}
	}
	if in.Root != "" {
		for i := range out {
			out[i].File = Rel(in.Root, out[i].File)
		}
	}
	return out, nil
}

// Rel returns p relative to root with slashes when p is inside root, else p.
func Rel(root, p string) string {
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

// ageFindings finds release (and kind-less) flags fully rolled out or dead for longer than the
// max age. The age counts from the first commit since which the state has held
// in every environment (the working tree is the current state).
func ageFindings(in Input, cfg Config, order []string, first map[string]*Env) ([]Finding, error) {
	on := func(k string) bool { s := cfg.Severity[k]; return s != "" && s != SeverityOff }
	if !on(FullyOn) && !on(Dead) {
		return nil, nil
	}
	shallow := false
	if in.Repo != nil {
		var err error
		if shallow, err = in.Repo.Shallow(); err != nil {
			return nil, err
		}
		if shallow && !cfg.AllowShallow {
			return nil, fmt.Errorf("%s: %w", in.Repo.Root(), ErrShallow)
		}
	}
	current := make([]*flagfile.File, len(in.Envs))
	for i, e := range in.Envs {
		current[i] = e.File
	}
	cands := map[string]string{}
	var names []string
	for _, name := range order {
		if cfg.Ignore[name] || !judged(first[name].File.Flag(name).Kind) {
			continue
		}
		for _, k := range []string{FullyOn, Dead} {
			if on(k) && holds(current, name, k, in.Today.Time()) {
				cands[name] = k
				names = append(names, name)
				break
			}
		}
	}
	var since map[string]time.Time
	var cut time.Time // where a shallow clone's history starts
	if in.Repo != nil && len(cands) > 0 {
		var err error
		if since, cut, err = heldSince(in.Repo, in.Envs, cands, in.Today.Time()); err != nil {
			return nil, err
		}
	}
	today := in.Today
	ago := func(d flagfile.Date) int { return int(today.Time().Sub(d.Time()).Hours() / 24) }
	var out []Finding
	for _, name := range names {
		kind := cands[name]
		fl := first[name].File.Flag(name)
		what := map[string]string{FullyOn: "on for everyone in every environment", Dead: "enables nobody in any environment"}[kind]
		action := map[string]string{FullyOn: "remove the flag and keep the code path it enables", Dead: "remove the flag and the code path it guards"}[kind]
		if kind == FullyOn && !booleanOnEverywhere(current, name, today.Time()) {
			action += fmt.Sprintf("; it is on through percentage_of_actors 100%%, so checks without an actor answer false (\"flagctl cleanup %s --value true\" keeps the code path everywhere)", name)
		}
		if fl.Kind == "" {
			action += fmt.Sprintf("; it has no kind, so it counts as release: set kind: ops or permission if it is meant to stay (flagctl set %s --kind ops)", name)
		}
		fd := Finding{Kind: kind, Flag: name, File: first[name].Path, Line: fl.Pos.Line, Action: action}
		byCreated := func(note string) {
			if fl.Created.IsZero() || ago(fl.Created) <= cfg.MaxAgeDays {
				return
			}
			fd.Since = fl.Created.String()
			fd.Reason = fmt.Sprintf("%s; %s, created %s (%s ago)", what, note, fl.Created, days(ago(fl.Created)))
			out = append(out, fd)
		}
		judge := func(t time.Time) {
			d := flagfile.DateOf(t.UTC())
			if ago(d) <= cfg.MaxAgeDays {
				return
			}
			fd.Since = d.String()
			fd.Reason = fmt.Sprintf("%s since %s (%d days, over %d)", what, d, ago(d), cfg.MaxAgeDays)
			out = append(out, fd)
		}
		// The last ramp end or schedule step that brought the state about.
		took := tookEffect(in.Envs, name, kind, today.Time())
		tookLater := !took.IsZero() && fl.Created.Before(flagfile.DateOf(took.UTC()))
		if in.Repo == nil {
			if tookLater {
				judge(took) // known from the flag's own timeline
				continue
			}
			byCreated("age unknown outside a git repository")
			continue
		}
		t, ok := since[name]
		if !ok {
			continue // true only in the uncommitted working tree
		}
		if shallow && !t.After(cut) && !tookLater && !fl.Created.IsZero() && fl.Created.Time().Before(cut) {
			byCreated("age unknown before the shallow clone's cut") // held since the cut
			continue
		}
		if took.After(t) {
			t = took
		}
		judge(t)
	}
	return out, nil
}

// heldSince returns, for each candidate, when its state last began to hold in
// every environment and has held since, in committed history. Candidates for
// which it does not hold at HEAD are absent. cut is the date of the oldest
// commit walked (where a shallow clone's history starts).
func heldSince(r *history.Repo, envs []Env, cands map[string]string, now time.Time) (map[string]time.Time, time.Time, error) {
	files := make([]history.File, len(envs))
	for i, e := range envs {
		files[i] = history.File{Env: e.Name, Path: e.Path, Expect: e.Expect}
	}
	since := map[string]time.Time{}
	var cut time.Time
	err := r.Walk(files, func(c *history.Commit, state []*flagfile.File) {
		if cut.IsZero() {
			cut = c.Time
		}
		for name, kind := range cands {
			if holds(state, name, kind, now) {
				if _, ok := since[name]; !ok {
					since[name] = c.Time
				}
			} else {
				delete(since, name)
			}
		}
	})
	return since, cut, err
}

// IsFullyOn reports whether fl is on for everyone at now and stays so: boolean
// on or a percentage at 100% (a finished ramp too), nothing disabling anyone,
// and no ramp or schedule change pending. A nil flag is not.
func IsFullyOn(fl *flagfile.Flag, now time.Time) bool {
	return fl != nil && inState(fl, FullyOn, now)
}

// EnablesNobody reports whether fl turns on for nobody at now and stays so (no
// ramp or schedule change pending). A nil flag (not defined) enables nobody.
func EnablesNobody(fl *flagfile.Flag, now time.Time) bool {
	return fl == nil || inState(fl, Dead, now)
}

// booleanOnEverywhere reports whether name's boolean gate is on at now in every
// file that defines it (a flag fully on through percentage_of_actors 100% is
// not: checks without an actor answer false).
func booleanOnEverywhere(files []*flagfile.File, name string, now time.Time) bool {
	for _, f := range files {
		if f == nil {
			continue
		}
		if fl := f.Flag(name); fl != nil && !fl.At(now).BooleanOn() {
			return false
		}
	}
	return true
}

// judged reports whether flags of kind k can be fully-rolled-out or dead: release
// flags, and flags without a kind (hand-written or imported), which count as
// release, the kind `flagctl create` writes.
func judged(k flagfile.Kind) bool { return k == flagfile.KindRelease || k == "" }

// days is "1 day" or "N days".
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
