package cmd

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/lint"
)

// LintOptions are the inputs of `flagctl lint`.
type LintOptions struct {
	Format string
	Strict bool
}

// Finding is one lint result (lint.Finding); its JSON form is documented in README.
type Finding = lint.Finding

// MaxActorGates is the number of actor gates above which lint suggests a group.
const MaxActorGates = lint.MaxActorGates

// NewCmdLint builds `flagctl lint`.
func NewCmdLint(f *Factory, runF func(*LintOptions) error) *cobra.Command {
	opts := &LintOptions{}
	var output string // -o; --format is the same option (outputFormat)
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Validate every environment file and the set of them",
		Long: `Checks every rule of the file format in every environment file, then the set of
files: a flag missing from some environments (error), metadata that differs
between environments, the naming convention (lint.naming, default "_enabled$"),
missing description or owner, redundant gates, and flags with more than 1,000
actor gates (warnings).

Exit 1 when there are errors (and warnings, with --strict); 3 when a file is
missing, cannot be read or cannot be parsed at all (its problems are printed
first, like every other finding).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := outputFormat(cmd, "text", "json", "yaml", "github")
			if err != nil {
				return err
			}
			opts.Format = format
			if runF != nil {
				return runF(opts)
			}
			return lintRun(f, opts)
		},
	}
	outputFlag(cmd, &output, "text", "json", "yaml", "github")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "the same option as --output (github: GitHub Actions annotations)")
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
	lo := lint.Options{Naming: naming, Now: f.Now()}
	if c.FlagFile == "" {
		lo.Tests = testFiles(c)
	}
	srcs := make([]lint.Source, len(ts))
	for i, t := range ts {
		srcs[i] = lint.Source{Env: t.Env, Path: t.Path, Expect: t.Expect}
	}
	res, err := lint.Files(srcs, lo)
	if err != nil {
		return fileErr(err)
	}
	printFindings(f, c, opts.Format, res.Findings)
	if len(res.Broken) > 0 {
		return fileErr(fmt.Errorf("%s: missing or not parseable; fix the errors above (every other verb refuses it too)", strings.Join(res.Broken, ", ")))
	}
	for _, fd := range res.Findings {
		if fd.Severity == lint.Error || opts.Strict {
			return errFindings
		}
	}
	return nil
}

// printFindings writes the findings; files are named as displayPath prints
// them (GitHub annotations: relative to the repository root).
func printFindings(f *Factory, c *Config, format string, findings []Finding) {
	shown := make([]Finding, len(findings))
	for i, fd := range findings {
		switch {
		case fd.File == "":
		case format == "github":
			fd.File = annotationPath(c, fd.File)
		default:
			fd.File = f.displayPath(fd.File)
		}
		shown[i] = fd
	}
	findings = shown
	switch format {
	case "json", "yaml":
		if format == "json" {
			writeJSON(f.IO.Out, findings)
		} else {
			writeYAMLOfJSON(f.IO.Out, findings)
		}
		return
	case "github":
		for _, fd := range findings {
			fmt.Fprintf(f.IO.Out, "::%s file=%s,line=%d,col=%d,title=flagctl %s::%s\n", fd.Severity, fd.File, max(fd.Line, 1), max(fd.Column, 1), fd.Rule, ghEscape(fd.Message))
		}
		return
	}
	errs, warns := 0, 0
	for _, fd := range findings {
		pos := flagfile.Pos{File: fd.File, Line: fd.Line, Column: fd.Column}
		sev := f.IO.yellow(fd.Severity)
		if fd.Severity == lint.Error {
			sev = f.IO.red(fd.Severity)
			errs++
		} else {
			warns++
		}
		fmt.Fprintf(f.IO.Out, "%s: %s: %s [%s]\n", pos, sev, fd.Message, fd.Rule)
	}
	if errs+warns > 0 {
		fmt.Fprintf(f.IO.Out, "%s, %s\n", plural(errs, "error"), plural(warns, "warning"))
	}
}

// ghEscape escapes a GitHub Actions workflow command message.
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}
