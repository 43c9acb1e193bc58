package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/importer"
)

// ImportOptions are the inputs every `flagctl import SOURCE` shares.
type ImportOptions struct {
	// Overwrite replaces flags that already exist (default: left alone).
	Overwrite bool
	// DryRun prints the semantic diff and writes nothing.
	DryRun bool
	// AllowLossy writes even when something was not translated exactly (the
	// report is printed either way); without it a lossy import writes nothing
	// and exits 1.
	AllowLossy bool
	// Verify re-reads the source after writing and checks that every imported
	// flag answers like the source for generated actors and every group.
	Verify bool
	// VerifyActors is the number of generated actors --verify checks (default
	// 1000).
	VerifyActors int
}

// importSource is one source verb's contribution to importRun: how to read
// (called again by --verify) and how --verify names generated actors.
type importSource struct {
	read func() (*importer.Result, error)
	// actorFormat generates actor IDs for --verify ("user:%d").
	actorFormat string
}

// NewCmdImport builds `flagctl import`, the parent of one subcommand per source.
func NewCmdImport(f *Factory) *cobra.Command {
	opts := &ImportOptions{}
	cmd := &cobra.Command{
		Use:   "import SOURCE",
		Short: "Bring flags over from FunWithFlags, Flipper, application.yml, flagd or Unleash",
		Long: `Reads another system's flags and writes them into the flag files, keeping the
cohorts: the same actors see the same thing the day after.

New files are created in canonical form; existing files are edited keeping their
comments. A flag that already exists is left alone unless --overwrite. --dry-run
prints the changes in "flagctl diff" form and writes nothing.

Everything that cannot be translated exactly (expression gates, constraints,
non-boolean keys, precision, cohort changes) is reported with where it came from;
then nothing is written and the exit code is 1, unless --allow-lossy.
--verify re-reads the source after writing and checks every imported flag against
the source's own semantics for generated actors and every group the source names.

Exit codes: 0 imported, 1 something not translated exactly (or --verify found a
difference), 2 usage, 3 the source or a flag file could not be read or written.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return flagErrorf("unknown source %q; use one of funwithflags, flipper, application-yml, flagd, unleash", args[0])
			}
			return flagErrorf("which source? use one of funwithflags, flipper, application-yml, flagd, unleash")
		},
		RunE: func(*cobra.Command, []string) error { return nil },
	}
	importFlags(cmd, opts)
	cmd.AddCommand(
		NewCmdImportFunWithFlags(f, opts, nil),
		NewCmdImportFlipper(f, opts, nil),
		NewCmdImportAppYML(f, opts, nil),
		NewCmdImportFlagd(f, opts, nil),
		NewCmdImportUnleash(f, opts, nil),
	)
	return cmd
}

// importFlags declares the flags every source shares, on the parent command.
func importFlags(cmd *cobra.Command, opts *ImportOptions) {
	pf := cmd.PersistentFlags()
	pf.BoolVar(&opts.Overwrite, "overwrite", false, "replace flags that already exist (default: leave them alone)")
	pf.BoolVar(&opts.DryRun, "dry-run", false, "print the changes and write nothing")
	pf.BoolVar(&opts.AllowLossy, "allow-lossy", false, "write even when something was not translated exactly")
	pf.BoolVar(&opts.Verify, "verify", false, "after writing, check every imported flag against the source's semantics")
	pf.IntVar(&opts.VerifyActors, "verify-actors", 1000, "generated actors --verify checks")
}

// maxListed is how many left-alone flags are named per environment (the rest
// are counted).
const maxListed = 20

// importRun is the part every source shares: plan, report, write, verify.
func importRun(f *Factory, opts *ImportOptions, src importSource) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	if c.FlagFile != "" {
		return usageErr("import writes environment files; use --env (and --dir) rather than --file")
	}
	if err := c.oneEnvOnly(); err != nil { // --env picks the one environment to import
		return err
	}
	res, err := src.read()
	if err != nil {
		return importErr(err)
	}
	for _, env := range res.Envs {
		if err := importEnvOK(c, env); err != nil {
			return err
		}
	}
	header := func(env string) string {
		return fmt.Sprintf("# Feature flags for %s, imported from %s by flagctl import.\n", env, res.Source)
	}
	plans, err := importer.Plan(res, c.EnvPath, importer.Options{Overwrite: opts.Overwrite, Header: header})
	if err != nil {
		return fileErr(err)
	}
	out := f.IO.Out
	if opts.DryRun {
		for _, p := range plans {
			for _, ch := range p.Changes {
				fmt.Fprintln(out, changeText(ch))
			}
		}
	}
	for _, p := range plans {
		if len(p.Kept) > 0 {
			names := p.Kept
			more := ""
			if len(names) > maxListed {
				names, more = names[:maxListed], fmt.Sprintf(" and %d more", len(p.Kept)-maxListed)
			}
			fmt.Fprintf(out, "[%s]: %d existing flag(s) differ from the source and were left alone (--overwrite replaces them): %s%s\n", p.Env, len(p.Kept), strings.Join(names, ", "), more)
		}
	}
	if res.Len() == 0 {
		fmt.Fprintf(out, "%s: no flags to import\n", res.Source)
	}
	if res.Lossy() {
		fmt.Fprintf(out, "Not translated exactly (%d):\n", len(res.Issues))
		for _, is := range res.Issues {
			fmt.Fprintln(out, "  "+is.String())
		}
	}
	blocked := res.Lossy() && !opts.AllowLossy
	switch {
	case opts.DryRun:
		fmt.Fprintf(out, "dry run: %d flag(s) from %s; nothing written\n", res.Len(), res.Source)
	case blocked:
		fmt.Fprintf(f.IO.ErrOut, "%s: nothing written; fix the source or pass --allow-lossy to import the rest as translated\n", res.Source)
	default:
		if err := importer.Write(plans); err != nil {
			return fileErr(err)
		}
		for _, p := range plans {
			added, changed := 0, 0
			for _, ch := range p.Changes {
				if ch.Type == "added" {
					added++
				} else {
					changed++
				}
			}
			verb := "updated"
			if p.Create {
				verb = "created"
			}
			if !p.Changed() {
				verb = "unchanged"
			}
			fmt.Fprintf(out, "%s %s %s: %d flag(s) added, %d changed\n", f.IO.green("✓"), verb, f.displayPath(p.Path), added, changed)
		}
	}
	if opts.Verify {
		if err := importVerify(f, opts, src, plans); err != nil {
			return err
		}
	}
	if blocked {
		return errFindings
	}
	return nil
}

// importVerify re-reads the source and the flag files (the planned content on
// a dry run or a refused lossy import) and compares every flag's answers.
func importVerify(f *Factory, opts *ImportOptions, src importSource, plans []*importer.FilePlan) error {
	res, err := src.read()
	if err != nil {
		return importErr(err)
	}
	files := map[string]*flagfile.File{}
	written := !opts.DryRun && (!res.Lossy() || opts.AllowLossy)
	for _, p := range plans {
		if !written {
			files[p.Env] = p.File
			continue
		}
		data, err := flagfile.ReadFile(p.Path, 0)
		if err != nil {
			return fileErr(err)
		}
		fl, err := flagfile.Parse(p.Path, data, flagfile.ParseOptions{Env: p.Env})
		if err != nil {
			return fileErr(err)
		}
		files[p.Env] = fl
	}
	n := max(opts.VerifyActors, 0)
	checked, diffs := importer.Verify(res, files, importer.GenerateActors(src.actorFormat, n))
	// Flags the report already names differ by design; with --allow-lossy they
	// are listed as expected and do not fail the check.
	reported := map[[2]string]bool{}
	for _, is := range res.Issues {
		reported[[2]string{is.Env, is.Flag}] = true
	}
	var unexpected, expected []importer.Difference
	for _, d := range diffs {
		if opts.AllowLossy && reported[[2]string{d.Env, d.Flag}] {
			expected = append(expected, d)
		} else {
			unexpected = append(unexpected, d)
		}
	}
	list := func(ds []importer.Difference, show int) {
		for i, d := range ds {
			if i == show {
				fmt.Fprintf(f.IO.Out, "  … and %d more\n", len(ds)-show)
				break
			}
			fmt.Fprintln(f.IO.Out, "  "+d.String())
		}
	}
	if len(expected) > 0 {
		fmt.Fprintf(f.IO.Out, "--verify: %d answer(s) differ from %s in flags the report names (expected with --allow-lossy):\n", len(expected), res.Source)
		list(expected, 5)
	}
	if len(unexpected) == 0 {
		fmt.Fprintf(f.IO.Out, "%s verified %d flag(s) against %s: %d generated actors, %d group(s), same answers", f.IO.green("✓"), checked, res.Source, n, len(res.Groups))
		if len(expected) > 0 {
			fmt.Fprint(f.IO.Out, " except where reported")
		}
		fmt.Fprintln(f.IO.Out)
		return nil
	}
	fmt.Fprintf(f.IO.Out, "%s --verify: %d answer(s) differ from %s:\n", f.IO.red("✗"), len(unexpected), res.Source)
	list(unexpected, 50)
	return errFindings
}

// importEnvOK checks an environment the import writes: a valid name, and one
// of the configured environments when the config lists them.
func importEnvOK(c *Config, env string) error {
	if !flagfile.ValidEnvName(env) {
		return usageErr("the source's environment %q is not a valid environment name (lower-case letters, digits, '-' and '_', starting with a letter); choose one with --env", env)
	}
	if c.Configured {
		return c.CheckEnv(env)
	}
	return nil
}

// importErr maps a reader's error: bad input (an importer.SourceError naming
// the source and the position) or an unreadable source, exit 3.
func importErr(err error) error { return fileErr(err) }

// importEnv is the one environment a source without environments imports into:
// --env, else default_env, else the only one.
func importEnv(f *Factory) (string, error) {
	c, err := f.Config()
	if err != nil {
		return "", err
	}
	if err := c.oneEnvOnly(); err != nil {
		return "", err
	}
	env := c.Env
	if env == "" {
		env = c.DefaultEnv
	}
	if env == "" && len(c.Environments) == 1 {
		env = c.Environments[0]
	}
	if env == "" {
		return "", usageErr("which environment do the flags go to? pass --env (environments: %s)", envList(c.Environments))
	}
	return env, importEnvOK(c, env)
}
