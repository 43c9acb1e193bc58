package cmd

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/ruletest"
)

// TestOptions are the inputs of `flagctl test`.
type TestOptions struct {
	Run    string
	Output string
	Format string
}

// TestResult is one case in one environment (`flagctl test -o json`).
type TestResult struct {
	File    string   `json:"file" yaml:"file"`
	Line    int      `json:"line" yaml:"line"`
	Name    string   `json:"name" yaml:"name"`
	Env     string   `json:"env" yaml:"env"`
	Flag    string   `json:"flag" yaml:"flag"`
	Actor   string   `json:"actor,omitempty" yaml:"actor,omitempty"`
	Groups  []string `json:"groups,omitempty" yaml:"groups,omitempty"`
	At      string   `json:"at,omitempty" yaml:"at,omitempty"`
	Want    boolText `json:"want" yaml:"want"`
	Got     boolText `json:"got" yaml:"got"`
	Decided string   `json:"decided_by" yaml:"decided_by"`
	Passed  bool     `json:"passed" yaml:"passed"`
	Error   string   `json:"error,omitempty" yaml:"error,omitempty"`

	abs string // the test file as read, for GitHub annotations
}

// TestReport is the -o json shape of `flagctl test`.
type TestReport struct {
	Passed  int          `json:"passed" yaml:"passed"`
	Failed  int          `json:"failed" yaml:"failed"`
	Results []TestResult `json:"results" yaml:"results"`
}

// NewCmdTest builds `flagctl test`.
func NewCmdTest(f *Factory, runF func(*TestOptions) error) *cobra.Command {
	opts := &TestOptions{}
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run the rule tests in <dir>/tests/*.yaml against the flag files",
		Long: `Evaluates every case of <dir>/tests/*.yaml (and *.yml) with the real evaluator, in each
environment it names (all when it names none), and reports each failure as
  flags/tests/checkout.yaml:12: production new_checkout_enabled for user:42 [staff]: want true, got false (decided by: group staff → off)
A result drawn by a percentage_of_time gate is non-deterministic: a failure unless
the case says "want: random". Exit 1 on any failure.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := outputFormat(cmd, "text", "json", "yaml", "github")
			if err != nil {
				return err
			}
			opts.Output, opts.Format = format, format
			if _, err := regexp.Compile(opts.Run); err != nil {
				return flagErrorf("--run: %w", err)
			}
			if runF != nil {
				return runF(opts)
			}
			return testRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Run, "run", "", "only cases whose name matches this regular expression")
	outputFlag(cmd, &opts.Output, "text", "json", "yaml", "github")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "the same option as --output (github: GitHub Actions annotations for failures)")
	return cmd
}

// testFiles lists <dir>/tests/*.yaml and *.yml: a test file named .yml is not
// skipped (a CI run would pass with its cases never run).
func testFiles(c *Config) []string {
	files, _ := filepath.Glob(filepath.Join(c.Dir, "tests", "*.yaml"))
	yml, _ := filepath.Glob(filepath.Join(c.Dir, "tests", "*.yml"))
	files = append(files, yml...)
	sort.Strings(files)
	return files
}

// parseTestFiles parses every test file; problems are positioned errors.
func parseTestFiles(paths []string) ([]*ruletest.File, error) {
	var out []*ruletest.File
	var errs flagfile.ErrorList
	for _, p := range paths {
		data, err := flagfile.ReadFile(p, 0)
		if err != nil {
			return nil, fileErr(err)
		}
		tf, err := ruletest.Parse(p, data)
		var list flagfile.ErrorList
		if errors.As(err, &list) {
			errs = append(errs, list...)
			continue
		}
		out = append(out, tf)
	}
	return out, errs.Err()
}

func testRun(f *Factory, opts *TestOptions) error {
	c, files, err := f.loadEnvs(false)
	if err != nil {
		return err
	}
	tfs, err := parseTestFiles(testFiles(c))
	if err != nil {
		return fileErr(err)
	}
	run := regexp.MustCompile(opts.Run)
	evals := map[string]*eval.Evaluator{}
	var envs []string
	for _, l := range files {
		evals[l.name()] = eval.New(l.File)
		envs = append(envs, l.name())
	}
	report := TestReport{Results: []TestResult{}}
	for _, tf := range tfs {
		for _, tc := range tf.Cases {
			if !run.MatchString(tc.Name) {
				continue
			}
			caseEnvs := tc.Envs
			if len(caseEnvs) == 0 {
				caseEnvs = envs
			}
			for _, env := range caseEnvs {
				if _, known := evals[env]; known && c.Env != "" && env != c.Env {
					continue // --env narrows the run
				}
				res := runCase(f, tc, env, evals, files)
				if res.Passed {
					report.Passed++
				} else {
					report.Failed++
				}
				report.Results = append(report.Results, res)
			}
		}
	}
	switch {
	case opts.Output == "json":
		if err := writeJSON(f.IO.Out, report); err != nil {
			return err
		}
	case opts.Output == "yaml":
		if err := writeYAML(f.IO.Out, report); err != nil {
			return err
		}
	case opts.Format == "github":
		for _, r := range report.Results {
			if !r.Passed {
				fmt.Fprintf(f.IO.Out, "::error file=%s,line=%d,title=flagctl test::%s\n", annotationPath(c, r.abs), r.Line, ghEscape(describeFailure(r)))
			}
		}
	default:
		for _, r := range report.Results {
			if !r.Passed {
				fmt.Fprintf(f.IO.Out, "%s:%d: %s\n", r.File, r.Line, describeFailure(r))
			}
		}
		fmt.Fprintf(f.IO.Out, "%d passed, %d failed\n", report.Passed, report.Failed)
	}
	if report.Failed > 0 {
		return errFindings
	}
	return nil
}

// runCase evaluates one case in one environment.
func runCase(f *Factory, tc *ruletest.Case, env string, evals map[string]*eval.Evaluator, files []*loaded) TestResult {
	r := TestResult{File: f.displayPath(tc.Pos.File), abs: tc.Pos.File, Line: tc.Pos.Line, Name: tc.Name, Env: env, Flag: tc.Flag, Actor: tc.Actor, Groups: tc.Groups, Want: boolText(tc.Want.String())}
	ev, ok := evals[env]
	if !ok {
		var known []string
		for e := range evals {
			known = append(known, e)
		}
		r.Line = tc.EnvPos.Line
		r.Error = fmt.Sprintf("unknown environment %q%s", env, flagfile.DidYouMean(env, known))
		return r
	}
	var defined *loaded
	for _, l := range files {
		if l.name() == env && l.File.Flag(tc.Flag) != nil {
			defined = l
		}
	}
	if defined == nil {
		var names []string
		for _, l := range files {
			names = append(names, l.File.Names()...)
		}
		r.Line = tc.FlagPos.Line
		r.Error = fmt.Sprintf("flag %q is not defined in %s%s", tc.Flag, env, flagfile.DidYouMean(tc.Flag, names))
		return r
	}
	var a eval.Actor // groups alone are a subject too: group gates apply without an ID
	if tc.Actor != "" || len(tc.Groups) > 0 {
		a = eval.Subject{ID: tc.Actor, Groups: tc.Groups}
	}
	if !tc.At.IsZero() { // the case's time, for ramps and schedules
		ev = eval.New(defined.File, eval.Clock(eval.NewFakeClock(tc.At)))
		r.At = flagfile.FormatTime(tc.At)
	}
	d := ev.Explain(tc.Flag, a)
	r.Decided = d.String()
	random := d.Gate == eval.GatePercentageOfTime && d.Percentage < 1
	if random { // not the draw itself: the report must not depend on it
		r.Decided = fmt.Sprintf("percentage_of_time %s (random draw)", flagfile.Percent(d.Percentage*float64(flagfile.PercentMax)+0.5))
	}
	switch {
	case random:
		r.Got = "random"
	default:
		r.Got = boolText(fmt.Sprint(d.Enabled))
	}
	r.Passed = r.Got == r.Want
	if random && tc.Want != ruletest.WantRandom {
		r.Error = "non-deterministic: the result is drawn by a percentage_of_time gate; write \"want: random\" or test another gate"
	}
	return r
}

// describeFailure says what failed, e.g. "production new_checkout_enabled for
// user:42 [staff]: want true, got false (decided by: group staff → off)".
func describeFailure(r TestResult) string {
	who := ""
	if r.Actor != "" {
		who = " for " + r.Actor
	}
	if len(r.Groups) > 0 {
		if who == "" {
			who = " for"
		}
		who += " [" + strings.Join(r.Groups, ", ") + "]"
	}
	if r.At != "" {
		who += " at " + r.At
	}
	head := fmt.Sprintf("%s %s%s", r.Env, r.Flag, who)
	if r.Error != "" && r.Got == "" {
		return fmt.Sprintf("%q: %s", r.Name, r.Error)
	}
	msg := fmt.Sprintf("%s: want %s, got %s (decided by: %s)", head, r.Want, r.Got, r.Decided)
	if r.Error != "" {
		msg += "; " + r.Error
	}
	return msg
}
