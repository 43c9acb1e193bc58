package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/refscan"
)

// StaleOptions are the inputs of `flagctl stale`.
type StaleOptions struct {
	Format string
	Today  string
	Refs   string
}

// Stale finding kinds.
const (
	FindingExpired      = "expired"
	FindingFullyOn      = "fully-rolled-out"
	FindingDead         = "dead"
	FindingUnreferenced = "unreferenced"
	FindingUndefinedRef = "undefined-reference"
)

// defaultSeverity is each kind's severity unless stale.severity says otherwise.
var defaultSeverity = map[string]string{
	FindingExpired: "error", FindingFullyOn: "error", FindingDead: "error",
	FindingUnreferenced: "warning", FindingUndefinedRef: "error",
}

// DefaultRefPatterns find the flag names code checks: Go's Enabled/EnabledFor,
// OpenFeature's BooleanValue, and quoted *_enabled tokens in any language.
var DefaultRefPatterns = []string{
	`(?:Enabled|EnabledFor)\(\s*"([a-z][a-z0-9_]*)"`,
	`BooleanValue\([^,()]*,\s*"([a-z][a-z0-9_]*)"`,
	"[\"'`]([a-z][a-z0-9_]*_enabled)[\"'`]",
}

// StaleFinding is one result of `flagctl stale`; its JSON form is documented.
type StaleFinding struct {
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

// NewCmdStale builds `flagctl stale`.
func NewCmdStale(f *Factory, runF func(*StaleOptions) error) *cobra.Command {
	opts := &StaleOptions{}
	cmd := &cobra.Command{
		Use:   "stale",
		Short: "Find flags to remove and code that checks flags no file defines",
		Long: `The CI check that keeps flag debt at zero. Findings:

  expired              the expires date has passed
  fully-rolled-out     a release flag on for everyone in every environment for longer
                       than stale.max_age (default 30d), counted from the first commit
                       since which it has stayed fully on
  dead                 a release flag that enables nobody anywhere for longer than max_age
  unreferenced         no source file mentions the flag (stale.src, default the repository)
  undefined-reference  code checks a flag name no flag file defines (a typo, or a flag
                       removed from the files but not from the code)

ops and permission flags are exempt from fully-rolled-out and dead; stale.ignore
lists exceptions. Exit 1 when a finding has severity error (stale.severity sets it
per kind), 3 when a file cannot be read. --refs NAME lists where a flag is used.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat("format", opts.Format, "text", "json", "github", "markdown"); err != nil {
				return err
			}
			if opts.Today != "" {
				if _, err := flagfile.ParseDate(opts.Today); err != nil {
					return flagErrorf("--today: %v", err)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return staleRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "text|json|github|markdown")
	cmd.Flags().StringVar(&opts.Today, "today", "", "the date to judge by (YYYY-MM-DD; default today), for reproducible runs")
	cmd.Flags().StringVar(&opts.Refs, "refs", "", "list every reference to this flag as file:line, and nothing else")
	_ = cmd.RegisterFlagCompletionFunc("refs", f.completeFlags)
	return cmd
}

// staleConfig is the stale section of .flagctl.yaml.
type staleConfig struct {
	maxAgeDays int
	src        []string
	ignore     map[string]bool
	include    []string
	exclude    []string
	patterns   []*regexp.Regexp
	severity   map[string]string
}

func loadStaleConfig(c *Config) (*staleConfig, error) {
	v := c.v
	sc := &staleConfig{ignore: map[string]bool{}, severity: map[string]string{}}
	age := v.GetString("stale.max_age")
	if age == "" {
		age = "30d"
	}
	days, err := parseAge(age)
	if err != nil {
		return nil, usageErr("stale.max_age %q: %v", age, err)
	}
	sc.maxAgeDays = days
	sc.src = splitList(v.GetStringSlice("stale.src"))
	if len(sc.src) == 0 {
		sc.src = []string{"."}
	}
	for _, n := range splitList(v.GetStringSlice("stale.ignore")) {
		sc.ignore[n] = true
	}
	sc.include = v.GetStringSlice("stale.include")
	sc.exclude = v.GetStringSlice("stale.exclude")
	pats := v.GetStringSlice("stale.patterns")
	if len(pats) == 0 {
		pats = DefaultRefPatterns
	}
	for _, p := range pats {
		re, err := regexp.Compile(p)
		if err != nil || re.NumSubexp() < 1 {
			return nil, usageErr("stale.patterns %q: need a valid regular expression with a group for the name (%v)", p, err)
		}
		sc.patterns = append(sc.patterns, re)
	}
	for k, sev := range defaultSeverity {
		sc.severity[k] = sev
		if s := v.GetString("stale.severity." + k); s != "" {
			if s != "error" && s != "warning" && s != "off" {
				return nil, usageErr("stale.severity.%s %q: use error, warning or off", k, s)
			}
			sc.severity[k] = s
		}
	}
	return sc, nil
}

// parseAge reads "30d", "4w" or a Go duration ("720h") as whole days.
func parseAge(s string) (int, error) {
	for suffix, mult := range map[string]int{"d": 1, "w": 7} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("write a number of days (30d) or weeks (4w)")
			}
			return v * mult, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("write a number of days (30d) or weeks (4w)")
	}
	return int(d.Hours() / 24), nil
}

func staleRun(f *Factory, opts *StaleOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	sc, err := loadStaleConfig(c)
	if err != nil {
		return err
	}
	today := flagfile.DateOf(f.Now())
	if opts.Today != "" {
		today, _ = flagfile.ParseDate(opts.Today)
	}
	_, files, err := f.loadEnvs(false)
	if err != nil {
		return err
	}
	r, _ := openRepo(c.Root)
	src, err := sourceFiles(r, c, sc)
	if err != nil {
		return err
	}
	names, aliases := flagNames(files)
	scan := refscan.Scan(src, refscan.Options{
		Names: names, Aliases: aliases, Patterns: sc.patterns,
		Triggers:   []string{"Enabled(", "EnabledFor(", "BooleanValue(", "_enabled\"", "_enabled'", "_enabled`"},
		SkipPrefix: []byte(GeneratedHeader),
	})
	if opts.Refs != "" {
		found := false
		for _, n := range names {
			found = found || n == opts.Refs
		}
		if !found {
			return unknownFlag(opts.Refs, files...)
		}
		for _, ref := range scan.Refs[opts.Refs] {
			fmt.Fprintf(f.IO.Out, "%s:%d\n", relTo(c.Root, ref.File), ref.Line)
		}
		return nil
	}
	findings, err := staleFindings(r, files, sc, today, scan, c.Root)
	if err != nil {
		return err
	}
	if err := printStale(f, opts.Format, findings); err != nil {
		return err
	}
	for _, fd := range findings {
		if fd.Severity == "error" {
			return errFindings
		}
	}
	return nil
}

func relTo(root, p string) string {
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}

// flagNames returns every defined name and the generated Go identifiers of each.
func flagNames(files []*loaded) ([]string, map[string]string) {
	names, _ := firstDefinitions(files)
	aliases := map[string]string{}
	for _, n := range names {
		if id := goName(n); id != n {
			aliases[id] = n
		}
	}
	return names, aliases
}

// sourceFiles lists the files to scan: `git ls-files` (tracked and untracked but
// not ignored) inside a repository, a directory walk outside one; never the flag
// files, vendored trees, or what stale.exclude names; only what stale.include
// names when it is set.
func sourceFiles(r *repo, c *Config, sc *staleConfig) ([]string, error) {
	var all []string
	flagDir, _ := filepath.Abs(c.Dir)
	for _, s := range sc.src {
		root := s
		if !filepath.IsAbs(root) {
			root = filepath.Join(c.Root, s)
		}
		if r != nil {
			cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
			cmd.Dir = root
			out, err := cmd.Output()
			if err != nil {
				return nil, fileErr(fmt.Errorf("git ls-files in %s: %w", root, err))
			}
			for _, p := range strings.Split(string(out), "\x00") {
				if p != "" {
					all = append(all, filepath.Join(root, p))
				}
			}
			continue
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				all = append(all, p)
			}
			return nil
		})
		if err != nil {
			return nil, fileErr(err)
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range all {
		abs, _ := filepath.Abs(p)
		rel := relTo(c.Root, abs)
		if seen[abs] || strings.HasPrefix(abs, flagDir+string(filepath.Separator)) || vendored(rel) ||
			len(sc.include) > 0 && !matchAny(sc.include, rel) || matchAny(sc.exclude, rel) {
			continue
		}
		if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
			continue
		}
		seen[abs] = true
		out = append(out, abs)
	}
	sort.Strings(out)
	return out, nil
}

func vendored(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "vendor" || part == "node_modules" || part == "third_party" {
			return true
		}
	}
	return false
}

// matchAny matches a slash path against globs; a glob without a slash matches
// the base name, and "dir/**" matches everything below dir.
func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if prefix, ok := strings.CutSuffix(g, "/**"); ok && (rel == prefix || strings.HasPrefix(rel, prefix+"/")) {
			return true
		}
		target := rel
		if !strings.Contains(g, "/") {
			target = path.Base(rel)
		}
		if ok, _ := path.Match(g, target); ok {
			return true
		}
	}
	return false
}

// fullyOn: on for everyone (boolean on, or a percentage gate at 100%, e.g. a
// finished ramp; nothing disables anyone). dead: enables nobody.
func fullyOn(fl *flagfile.Flag) bool {
	return fl != nil && (fl.BooleanOn() || fl.PercentageOfActors == flagfile.PercentMax || fl.PercentageOfTime == flagfile.PercentMax) && !hasGate(fl, false)
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

func enablesNobody(fl *flagfile.Flag) bool {
	if fl == nil {
		return true
	}
	return !fl.BooleanOn() && fl.PercentageOfActors == 0 && fl.PercentageOfTime == 0 && !hasGate(fl, true)
}

// everyEnv reports whether pred holds for the flag in every file (a missing
// flag is passed as nil).
func everyEnv(files map[string]*flagfile.File, order []string, name string, pred func(*flagfile.Flag) bool) bool {
	for _, p := range order {
		var fl *flagfile.Flag
		if f := files[p]; f != nil {
			fl = f.Flag(name)
		}
		if !pred(fl) {
			return false
		}
	}
	return true
}

func staleFindings(r *repo, files []*loaded, sc *staleConfig, today flagfile.Date, scan *refscan.Result, root string) ([]StaleFinding, error) {
	var out []StaleFinding
	add := func(kind string, fd StaleFinding) {
		if sev := sc.severity[kind]; sev != "off" && !sc.ignore[fd.Flag] {
			fd.Kind, fd.Severity = kind, sev
			out = append(out, fd)
		}
	}
	// The first definition of each flag (in promotion order) carries its metadata.
	order, first := firstDefinitions(files)
	ago := func(d flagfile.Date) int { return int(today.Time().Sub(d.Time()).Hours() / 24) }
	for _, name := range order {
		l := first[name]
		fl := l.File.Flag(name)
		if !fl.Expires.IsZero() && fl.Expires.Before(today) {
			add(FindingExpired, StaleFinding{Flag: name, File: l.Path, Line: fl.Pos.Line, Since: fl.Expires.String(),
				Reason: fmt.Sprintf("expired on %s (%d days ago)", fl.Expires, ago(fl.Expires)),
				Action: "remove the flag and the code it guards, or move expires if it must stay"})
		}
	}
	// Fully rolled out and dead: current state, then how long it has held.
	current := map[string]*flagfile.File{}
	var paths []string
	for _, l := range files {
		current[l.Path] = l.File
		paths = append(paths, l.Path)
	}
	type cand struct {
		kind string
		pred func(*flagfile.Flag) bool
	}
	cands := map[string]cand{}
	now := today.Time()
	fullyOnNow, deadNow := settledAt(now, fullyOn), settledAt(now, enablesNobody) // ramps and schedules (schedule.go)
	for _, name := range order {
		fl := first[name].File.Flag(name)
		if fl.Kind != flagfile.KindRelease {
			continue
		}
		switch {
		case everyEnv(current, paths, name, fullyOnNow):
			cands[name] = cand{FindingFullyOn, fullyOnNow}
		case everyEnv(current, paths, name, deadNow):
			cands[name] = cand{FindingDead, deadNow}
		}
	}
	var since map[string]time.Time
	if r != nil && len(cands) > 0 {
		preds := map[string]func(*flagfile.Flag) bool{}
		for n, c := range cands {
			preds[n] = c.pred
		}
		var err error
		if since, err = heldSince(r, files, preds); err != nil {
			return nil, err
		}
	}
	for _, name := range order {
		c, ok := cands[name]
		if !ok {
			continue
		}
		l := first[name]
		fl := l.File.Flag(name)
		what := map[string]string{FindingFullyOn: "on for everyone in every environment", FindingDead: "enables nobody in any environment"}[c.kind]
		action := map[string]string{FindingFullyOn: "remove the flag and keep the code path it enables", FindingDead: "remove the flag and the code path it guards"}[c.kind]
		fd := StaleFinding{Flag: name, File: l.Path, Line: fl.Pos.Line, Action: action}
		took := tookEffect(files, name, now, c.pred) // the last ramp end or schedule step that made it so
		if r == nil {
			if d := flagfile.DateOf(took.UTC()); !took.IsZero() && fl.Created.Before(d) {
				if ago(d) > sc.maxAgeDays { // known from the flag's own timeline
					fd.Since, fd.Reason = d.String(), fmt.Sprintf("%s since %s (%d days, over %d)", what, d, ago(d), sc.maxAgeDays)
					add(c.kind, fd)
				}
				continue
			}
			if fl.Created.IsZero() || ago(fl.Created) <= sc.maxAgeDays {
				continue
			}
			fd.Since = fl.Created.String()
			fd.Reason = fmt.Sprintf("%s; age unknown outside a git repository, created %s (%d days ago)", what, fl.Created, ago(fl.Created))
			add(c.kind, fd)
			continue
		}
		t, ok := since[name]
		if !ok {
			t = today.Time() // true only in the uncommitted working tree
		}
		if took.After(t) {
			t = took
		}
		d := flagfile.DateOf(t.UTC())
		if ago(d) <= sc.maxAgeDays {
			continue
		}
		fd.Since = d.String()
		fd.Reason = fmt.Sprintf("%s since %s (%d days, over %d)", what, d, ago(d), sc.maxAgeDays)
		add(c.kind, fd)
	}
	for _, name := range order {
		if len(scan.Refs[name]) == 0 {
			l := first[name]
			add(FindingUnreferenced, StaleFinding{Flag: name, File: l.Path, Line: l.File.Flag(name).Pos.Line,
				Reason: "no source file mentions it", Action: "remove it if no other repository uses it, or add it to stale.ignore"})
		}
	}
	for _, ref := range scan.Checked {
		if _, ok := first[ref.Flag]; ok {
			continue
		}
		add(FindingUndefinedRef, StaleFinding{Flag: ref.Flag, File: ref.File, Line: ref.Line,
			Reason: "checked in code but defined in no flag file" + flagfile.DidYouMean(ref.Flag, order), Action: "fix the name, or remove the check (an undefined flag is always off)"})
	}
	for i := range out {
		out[i].File = relTo(root, out[i].File)
	}
	return out, nil
}

// heldSince returns, for each flag, when its predicate last became true in every
// environment and has held since (in committed history; the working tree is the
// current state). Flags for which it does not hold at HEAD are absent.
func heldSince(r *repo, files []*loaded, preds map[string]func(*flagfile.Flag) bool) (map[string]time.Time, error) {
	var ts []target
	for _, l := range files {
		ts = append(ts, l.target)
	}
	var order []string
	for _, t := range ts {
		rel, err := r.rel(t.Path)
		if err != nil {
			return nil, err
		}
		order = append(order, rel)
	}
	commits, err := r.log(order)
	if err != nil {
		return nil, fileErr(err)
	}
	bp, err := newBlobParser(r, commits, ts, order)
	if err != nil {
		return nil, err
	}
	state := map[string]*flagfile.File{}
	since := map[string]time.Time{}
	for i := len(commits) - 1; i >= 0; i-- { // oldest first
		c := commits[i]
		for _, ch := range c.Changes {
			bp.parse(ch.Old, ch.Path) // releases the previous version
			if f, err := bp.parse(ch.New, ch.Path); err == nil {
				state[ch.Path] = f
			} // an invalid version keeps the previous state
		}
		when, _ := time.Parse(time.RFC3339, c.Date)
		for name, pred := range preds {
			if everyEnv(state, order, name, pred) {
				if _, ok := since[name]; !ok {
					since[name] = when
				}
			} else {
				delete(since, name)
			}
		}
	}
	return since, nil
}

// blobParser parses the blobs of a history walk once each, dropping each as soon
// as its last use is past.
type blobParser struct {
	blobs map[string][]byte
	refs  map[string]int
	cache map[string]*flagfile.File
	errs  map[string]error
	expe  map[string]string // path -> expected environment
}

func newBlobParser(r *repo, commits []commit, ts []target, paths []string) (*blobParser, error) {
	bp := &blobParser{refs: map[string]int{}, cache: map[string]*flagfile.File{}, errs: map[string]error{}, expe: map[string]string{}}
	for i, p := range paths {
		bp.expe[p] = ts[i].Expect
	}
	var ids []string
	for _, c := range commits {
		for _, ch := range c.Changes {
			for _, id := range []string{ch.Old, ch.New} {
				if id == zeroID {
					continue
				}
				if bp.refs[id] == 0 {
					ids = append(ids, id)
				}
				bp.refs[id]++
			}
		}
	}
	var err error
	if bp.blobs, err = r.blobs(ids); err != nil {
		return nil, fileErr(err)
	}
	return bp, nil
}

// parse returns the file of blob id at path (nil for the zero id).
func (bp *blobParser) parse(id, path string) (*flagfile.File, error) {
	if id == zeroID {
		return nil, nil
	}
	defer func() {
		if bp.refs[id]--; bp.refs[id] == 0 {
			delete(bp.cache, id)
			delete(bp.errs, id)
			delete(bp.blobs, id)
		}
	}()
	if f, ok := bp.cache[id]; ok {
		return f, bp.errs[id]
	}
	f, err := flagfile.Parse(path, bp.blobs[id], flagfile.ParseOptions{Env: bp.expe[path]})
	if f == nil && err == nil {
		err = errors.New(path + ": unreadable")
	}
	if f == nil {
		bp.errs[id] = err
	}
	bp.cache[id] = f
	return f, bp.errs[id]
}

func printStale(f *Factory, format string, findings []StaleFinding) error {
	switch format {
	case "json":
		if findings == nil {
			findings = []StaleFinding{}
		}
		return writeJSON(f.IO.Out, findings)
	case "github":
		for _, fd := range findings {
			fmt.Fprintf(f.IO.Out, "::%s file=%s,line=%d,title=flagctl stale %s::%s: %s; %s\n", fd.Severity, fd.File, max(fd.Line, 1), fd.Kind, fd.Flag, ghEscape(fd.Reason), ghEscape(fd.Action))
		}
		return nil
	case "markdown":
		w := f.IO.Out
		fmt.Fprint(w, "### Stale flags\n\n")
		if len(findings) == 0 {
			fmt.Fprintln(w, "No stale flags.")
			return nil
		}
		fmt.Fprint(w, "| Severity | Finding | Flag | Where | Why | What to do |\n|---|---|---|---|---|---|\n")
		for _, fd := range findings {
			fmt.Fprintf(w, "| %s | %s | `%s` | %s:%d | %s | %s |\n", fd.Severity, fd.Kind, fd.Flag, fd.File, fd.Line, mdEscape(fd.Reason), mdEscape(fd.Action))
		}
		return nil
	}
	errs := 0
	for _, fd := range findings {
		sev := f.IO.yellow(fd.Severity)
		if fd.Severity == "error" {
			sev = f.IO.red(fd.Severity)
			errs++
		}
		fmt.Fprintf(f.IO.Out, "%s:%d: %s: %s: %s; %s [%s]\n", fd.File, fd.Line, sev, fd.Flag, fd.Reason, fd.Action, fd.Kind)
	}
	if len(findings) == 0 {
		fmt.Fprintln(f.IO.Out, "no stale flags")
	} else {
		fmt.Fprintf(f.IO.Out, "%d findings, %d errors\n", len(findings), errs)
	}
	return nil
}
