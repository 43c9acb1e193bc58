package cmd

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
	"github.com/flagctl/flagctl/pkg/refscan"
	"github.com/flagctl/flagctl/pkg/stale"
)

// StaleOptions are the inputs of `flagctl stale`.
type StaleOptions struct {
	Format       string
	Today        string
	Refs         string
	AllowShallow bool
}

// Stale finding kinds (pkg/stale).
const (
	FindingExpired      = stale.Expired
	FindingFullyOn      = stale.FullyOn
	FindingDead         = stale.Dead
	FindingUnreferenced = stale.Unreferenced
	FindingUndefinedRef = stale.UndefinedRef
)

// StaleFinding is one result of `flagctl stale` (stale.Finding); its JSON form
// is documented.
type StaleFinding = stale.Finding

// NewCmdStale builds `flagctl stale`.
func NewCmdStale(f *Factory, runF func(*StaleOptions) error) *cobra.Command {
	opts := &StaleOptions{}
	var output string // -o; --format is the same option (outputFormat)
	cmd := &cobra.Command{
		Use:   "stale",
		Short: "Find flags to remove and code that checks flags no file defines",
		Long: `The CI check that keeps flag debt at zero. Findings:

  expired              the expires date has passed
  fully-rolled-out     a release flag on for everyone in every environment for longer
                       than stale.max_age (default 30d), counted from the first commit
                       since which it has stayed fully on
  dead                 a release flag that enables nobody, wherever it is defined, for
                       longer than max_age (a flag's age starts when it first appeared
                       in that state)
  unreferenced         no source file mentions the flag (stale.src, default the repository)
  undefined-reference  code checks a flag name no flag file defines (a typo, or a flag
                       removed from the files but not from the code)

ops and permission flags are exempt from fully-rolled-out and dead; stale.ignore
lists exceptions. Ages come from git history; outside a git repository from
created: dates. In a shallow clone the ages are unknown: stale exits 3 ("fetch
full history: actions/checkout with fetch-depth: 0") unless --allow-shallow
judges them by created: dates. When git fails (e.g. "dubious ownership"), its
message is shown and stale exits 3. Exit 1 when a finding has severity error
(stale.severity sets it per kind), 3 when a file cannot be read. --refs NAME
lists where any name is used, defined or not.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			format, err := outputFormat(c, "text", "json", "yaml", "github", "markdown")
			if err != nil {
				return err
			}
			opts.Format = format
			if opts.Today != "" {
				if _, err := flagfile.ParseDate(opts.Today); err != nil {
					return flagErrorf("--today: %v", err)
				}
			}
			if c.Flags().Changed("refs") && strings.TrimSpace(opts.Refs) == "" {
				return flagErrorf("--refs: give a flag name")
			}
			if runF != nil {
				return runF(opts)
			}
			return staleRun(f, opts)
		},
	}
	outputFlag(cmd, &output, "text", "json", "yaml", "github", "markdown")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "the same option as --output (github: GitHub Actions annotations; markdown: a pull-request comment)")
	cmd.Flags().StringVar(&opts.Today, "today", "", "the date to judge by (YYYY-MM-DD; default today), for reproducible runs")
	cmd.Flags().StringVar(&opts.Refs, "refs", "", "list every reference to this name (defined or not) as file:line, and nothing else")
	cmd.Flags().BoolVar(&opts.AllowShallow, "allow-shallow", false, "in a shallow clone, judge ages by created: dates instead of failing")
	_ = cmd.RegisterFlagCompletionFunc("refs", f.completeFlags)
	return cmd
}

// staleSettings is the stale section of .flagctl.yaml.
type staleSettings struct {
	cfg      stale.Config
	sources  stale.Sources
	patterns []string
}

func loadStaleConfig(c *Config) (*staleSettings, error) {
	v := c.v
	s := &staleSettings{cfg: stale.DefaultConfig()}
	age := v.GetString("stale.max_age")
	if age == "" {
		age = "30d"
	}
	days, err := stale.ParseAge(age)
	if err != nil {
		return nil, usageErr("stale.max_age %q: %v", age, err)
	}
	s.cfg.MaxAgeDays = days
	for _, n := range splitList(v.GetStringSlice("stale.ignore")) {
		s.cfg.Ignore[n] = true
	}
	for _, k := range stale.Kinds {
		if sev := v.GetString("stale.severity." + k); sev != "" {
			if sev != stale.SeverityError && sev != stale.SeverityWarning && sev != stale.SeverityOff {
				return nil, usageErr("stale.severity.%s %q: use error, warning or off", k, sev)
			}
			s.cfg.Severity[k] = sev
		}
	}
	s.sources = stale.Sources{Root: c.Root, Src: splitList(v.GetStringSlice("stale.src")), FlagDir: c.Dir,
		Include: v.GetStringSlice("stale.include"), Exclude: v.GetStringSlice("stale.exclude")}
	s.patterns = v.GetStringSlice("stale.patterns")
	if len(s.patterns) == 0 {
		s.patterns = stale.DefaultPatterns()
	}
	return s, nil
}

// staleRepo opens the repository for stale: nil outside one (ages then come
// from created:), an error when git fails or is missing inside one.
func staleRepo(root string) (*history.Repo, error) {
	r, err := history.Open(root)
	switch {
	case err == nil:
		return r, nil
	case errors.Is(err, history.ErrNotRepository):
		return nil, nil
	case errors.Is(err, history.ErrNoGit) && !inRepository(root):
		return nil, nil
	case errors.Is(err, history.ErrNoGit):
		return nil, fileErr(fmt.Errorf("%s is in a git repository but git is not installed (or not on PATH); install git: flag ages come from its history", root))
	}
	return nil, fileErr(err)
}

func staleRun(f *Factory, opts *StaleOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	s, err := loadStaleConfig(c)
	if err != nil {
		return err
	}
	s.cfg.AllowShallow = opts.AllowShallow
	patterns, err := stale.CompilePatterns(s.patterns)
	if err != nil {
		return usageErr("stale.patterns: %v", err)
	}
	today := flagfile.DateOf(f.Now())
	if opts.Today != "" {
		today, _ = flagfile.ParseDate(opts.Today)
	}
	_, files, err := f.loadEnvs(false)
	if err != nil {
		return err
	}
	envs := make([]stale.Env, len(files))
	for i, l := range files {
		envs[i] = stale.Env{Name: l.name(), Path: l.Path, Expect: l.Expect, File: l.File}
	}
	r, err := staleRepo(c.Root)
	if err != nil {
		return err
	}
	src, err := stale.SourceFiles(r, s.sources)
	if err != nil {
		return fileErr(err)
	}
	var extra []string
	if opts.Refs != "" {
		extra = []string{opts.Refs}
	}
	scan := stale.Scan(src, envs, patterns, extra)
	if opts.Refs != "" {
		printRefs(f, opts.Refs, scan)
		return nil
	}
	findings, err := stale.Check(stale.Input{Envs: envs, Repo: r, Scan: scan, Today: today, Root: c.Root}, s.cfg)
	if err != nil {
		return fileErr(err)
	}
	printStale(f, c, opts.Format, findings)
	for _, fd := range findings {
		if fd.Severity == stale.SeverityError {
			return errFindings
		}
	}
	return nil
}

// printRefs lists every reference to name: where it stands as a token, and
// where a pattern captured it, once per file and line.
func printRefs(f *Factory, name string, scan *refscan.Result) {
	for _, ref := range refsTo(scan, name) {
		fmt.Fprintf(f.IO.Out, "%s:%d\n", history.EscapeControl(f.displayPath(ref.File)), ref.Line)
	}
}

// printStale writes the findings; files (relative to the project root in
// stale.Finding) are named as displayPath prints them (GitHub annotations:
// relative to the repository root).
func printStale(f *Factory, c *Config, format string, findings []StaleFinding) {
	shown := make([]StaleFinding, len(findings))
	for i, fd := range findings {
		if fd.File != "" {
			abs := fd.File
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(c.Root, filepath.FromSlash(abs))
			}
			if format == "github" {
				fd.File = annotationPath(c, abs)
			} else {
				fd.File = f.displayPath(abs)
			}
		}
		shown[i] = fd
	}
	findings = shown
	if format != "json" && format != "yaml" { // names a custom pattern captured can hold anything
		esc := make([]StaleFinding, len(findings))
		for i, fd := range findings {
			fd.Flag, fd.File, fd.Reason = history.EscapeControl(fd.Flag), history.EscapeControl(fd.File), history.EscapeControl(fd.Reason)
			esc[i] = fd
		}
		findings = esc
	}
	switch format {
	case "json":
		if findings == nil {
			findings = []StaleFinding{}
		}
		writeJSON(f.IO.Out, findings)
		return
	case "yaml":
		if findings == nil {
			findings = []StaleFinding{}
		}
		writeYAMLOfJSON(f.IO.Out, findings)
		return
	case "github":
		for _, fd := range findings {
			fmt.Fprintf(f.IO.Out, "::%s file=%s,line=%d,title=flagctl stale %s::%s: %s; %s\n", fd.Severity, fd.File, max(fd.Line, 1), fd.Kind, fd.Flag, ghEscape(fd.Reason), ghEscape(fd.Action))
		}
		return
	case "markdown":
		w := f.IO.Out
		fmt.Fprint(w, "### Stale flags\n\n")
		if len(findings) == 0 {
			fmt.Fprintln(w, "No stale flags.")
			return
		}
		fmt.Fprint(w, "| Severity | Finding | Flag | Where | Why | What to do |\n|---|---|---|---|---|---|\n")
		for _, fd := range findings {
			fmt.Fprintf(w, "| %s | %s | `%s` | %s:%d | %s | %s |\n", fd.Severity, fd.Kind, fd.Flag, fd.File, fd.Line, mdEscape(fd.Reason), mdEscape(fd.Action))
		}
		return
	}
	errs := 0
	for _, fd := range findings {
		sev := f.IO.yellow(fd.Severity)
		if fd.Severity == stale.SeverityError {
			sev = f.IO.red(fd.Severity)
			errs++
		}
		fmt.Fprintf(f.IO.Out, "%s:%d: %s: %s: %s; %s [%s]\n", fd.File, fd.Line, sev, fd.Flag, fd.Reason, fd.Action, fd.Kind)
	}
	if len(findings) == 0 {
		fmt.Fprintln(f.IO.Out, "no stale flags")
	} else {
		fmt.Fprintf(f.IO.Out, "%s, %s\n", plural(len(findings), "finding"), plural(errs, "error"))
	}
}

// relTo returns p relative to root with slashes when p is inside root.
func relTo(root, p string) string { return stale.Rel(root, p) }
