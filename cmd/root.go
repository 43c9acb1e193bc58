// Package cmd implements the flagctl command line. Each verb lives in its own file
// with an Options struct, a NewCmd… constructor and a …Run function.
package cmd

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Version is set at build time with -ldflags "-X …/cmd.Version=…".
var Version = "dev"

// Main runs flagctl with the process's arguments and returns the exit code.
func Main() int {
	f := NewFactory(System())
	// A short-lived CLI does without garbage collection; serve puts it back.
	f.restoreGC = shortLivedGC(os.Getenv)
	return Run(f, os.Args[1:])
}

// Run executes one command line and maps its error to an exit code. It is the
// only place that prints errors.
func Run(f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	var fe *FlagError
	var ee *ExitError
	if !errors.As(err, &fe) && !errors.As(err, &ee) {
		if !f.verbStarted {
			// cobra's own checks of the command line, before any verb ran
			// ("unknown command", argument counts, required flags).
			err = &FlagError{Err: err}
		} else {
			err = internalErr(err)
		}
	}
	if errors.As(err, &fe) {
		// One line: the error and where to read the usage, not the usage.
		fmt.Fprintf(f.IO.ErrOut, "Error: %s (see '%s --help')\n", f.relPaths(fe.Err.Error()), cmd.CommandPath())
		return ExitUsage
	}
	if !errors.As(err, &ee) || ee.Err != nil {
		fmt.Fprintf(f.IO.ErrOut, "Error: %s\n", f.relPaths(err.Error()))
	}
	return exitCode(err)
}

// NewCmdRoot builds the command tree.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "flagctl",
		Short: "Feature flags kept in git: one YAML file per environment",
		Long: `flagctl creates, edits, lints and evaluates feature flags kept in one YAML file
per environment (flags/staging.yaml, flags/production.yaml, …). Every edit keeps the
comments and layout of the file, so a flag change is a one-line diff.

Exit codes: 0 success, 1 findings (lint, fmt --check, stale, test), 2 usage error,
3 a file could not be read, parsed or written, 4 internal error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       binaryVersion(),
		// Every verb's option values are checked here, in one place.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			// cobra checks required flags and flag groups after this hook:
			// check them here, so that they are usage errors too.
			for _, check := range []func() error{cmd.ValidateRequiredFlags, cmd.ValidateFlagGroups} {
				if err := check(); err != nil {
					return &FlagError{Err: err}
				}
			}
			f.verbStarted = true
			if cmd.Annotations[annotLongRunning] != "" && f.restoreGC != nil {
				f.restoreGC()
			}
			return checkOptionValues(cmd)
		},
	}
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{Err: err} })
	pf := root.PersistentFlags()
	pf.String("config", "", "config file (default: .flagctl.yaml in this or a parent directory)")
	pf.String("dir", "", "directory of the environment files (default: flags)")
	pf.VarP(&envValue{}, "env", "e", "environment (default: default_env, or the only one); editing verbs take several: --env staging,production or repeated")
	pf.StringP("file", "f", "", "one flag file, instead of --dir and --env")
	pf.Duration("lock-timeout", flagfile.DefaultLockTimeout, "how long an edit waits for a flag file another process is editing before giving up (exit 3); 0 = do not wait")
	for _, name := range []string{"config", "dir", "env", "file"} {
		_ = f.Viper.BindPFlag(name, pf.Lookup(name))
	}
	_ = f.Viper.BindPFlag("lock_timeout", pf.Lookup("lock-timeout"))
	f.globals = pf
	_ = root.RegisterFlagCompletionFunc("env", f.completeEnvs)

	root.AddCommand(
		NewCmdInit(f, nil),
		NewCmdCreate(f, nil),
		NewCmdEnable(f, nil),
		NewCmdDisable(f, nil),
		NewCmdClear(f, nil),
		NewCmdRemove(f, nil),
		NewCmdSet(f, nil),
		NewCmdRename(f, nil),
		NewCmdList(f, nil),
		NewCmdShow(f, nil),
		NewCmdSchedule(f, nil),
		NewCmdEval(f, nil),
		NewCmdLint(f, nil),
		NewCmdFmt(f, nil),
		NewCmdDiff(f, nil),
		NewCmdLog(f, nil),
		NewCmdPromote(f, nil),
		NewCmdRestore(f, nil),
		NewCmdGenerate(f),
		NewCmdStale(f, nil),
		NewCmdCleanup(f, nil),
		NewCmdTest(f, nil),
		NewCmdSchema(f),
		NewCmdServe(f, nil),
		NewCmdImport(f),
		NewCmdVersion(f),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.HasSubCommands() && !c.Runnable() {
			c.Args, c.RunE = cobra.ArbitraryArgs, requireSubcommand
		}
	}
	return root
}

// binaryVersion is this binary's version (see versionString).
func binaryVersion() string {
	info, ok := debug.ReadBuildInfo()
	return versionString(Version, info, ok)
}

// requireSubcommand runs a command group (completion, generate) given no known
// subcommand: a usage error naming the choices, never help and exit 0.
func requireSubcommand(cmd *cobra.Command, args []string) error {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if len(args) == 0 {
		return flagErrorf("%s needs one of: %s", cmd.Name(), strings.Join(names, ", "))
	}
	return flagErrorf("unknown %s %q%s: use one of %s", cmd.Name(), args[0], flagfile.DidYouMean(args[0], names), strings.Join(names, ", "))
}

// exactArgs is cobra.ExactArgs with a usage error naming the argument.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			if n == 1 {
				return flagErrorf("expected %s, got %d arguments", what, len(args))
			}
			return flagErrorf("expected %d arguments (%s), got %d", n, what, len(args))
		}
		return nil
	}
}

// noArgs refuses positional arguments.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return flagErrorf("unexpected argument %q", args[0])
	}
	return nil
}

// completeEnvs completes environment names.
func (f *Factory) completeEnvs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	c, err := f.Config()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return c.Environments, cobra.ShellCompDirectiveNoFileComp
}

// completeFlags completes flag names from every environment file (first
// argument only). It prints nothing but completions.
func (f *Factory) completeFlags(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	c, err := f.Config()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ts, err := c.AllEnvs(false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	seen := map[string]bool{}
	var names []string
	for _, t := range ts {
		data, err := flagfile.ReadFile(t.Path, 0)
		if err != nil {
			continue
		}
		file, _ := flagfile.Parse(t.Path, data, flagfile.ParseOptions{})
		if file == nil {
			continue
		}
		for _, n := range file.Names() {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// outputFlag adds -o/--output with the given formats (the first is the default).
func outputFlag(cmd *cobra.Command, p *string, formats ...string) {
	cmd.Flags().StringVarP(p, "output", "o", formats[0], "output format: "+strings.Join(formats, "|"))
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

func checkFormat(name, got string, formats ...string) error {
	for _, f := range formats {
		if got == f {
			return nil
		}
	}
	return flagErrorf("invalid --%s %q: use %s", name, got, strings.Join(formats, ", "))
}

// NewCmdVersion prints the version.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the flagctl version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(f.IO.Out, "flagctl %s\n", binaryVersion())
			return nil
		},
	}
}

// versionString is the version set at build time (-ldflags -X …/cmd.Version),
// else what the Go toolchain recorded in the binary (`go install
// …@v1.2.0` records the module version; a build in a checkout records the
// commit and whether the tree had changes): "v1.2.0", "dev (a1b2c3d4e5f6,
// dirty)".
func versionString(set string, info *debug.BuildInfo, ok bool) string {
	if set != "dev" && set != "" {
		return set
	}
	v := "dev"
	if !ok || info == nil {
		return v
	}
	if mv := info.Main.Version; mv != "" && mv != "(devel)" {
		v = mv
	}
	var rev string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	switch {
	case rev != "" && dirty:
		v += " (" + rev + ", dirty)"
	case rev != "":
		v += " (" + rev + ")"
	}
	return v
}
