package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// RenameOptions are the inputs of `flagctl rename`.
type RenameOptions struct {
	Old    string
	New    string
	DryRun bool
	Strict bool
}

// NewCmdRename builds `flagctl rename OLD NEW`.
func NewCmdRename(f *Factory, runF func(*RenameOptions) error) *cobra.Command {
	opts := &RenameOptions{}
	cmd := &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a flag in every environment file, in place",
		Long: `Renames the flag in every environment file that defines it (or in the files
--env names), all of them or none. Only the key changes: the flag keeps its
position, comments, gates and metadata. Rule tests and code still refer to the
old name: the command lists the rule test cases that name it and the places in
code that do (a scan of the project's files, as "flagctl stale --refs OLD" does).`,
		Example: `  flagctl rename checkout_v2_enabled new_checkout_enabled
  flagctl rename checkout_v2_enabled new_checkout_enabled --dry-run`,
		Args:              exactArgs(2, "OLD and NEW flag names"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if opts.Old == opts.New {
				return flagErrorf("OLD and NEW are the same name %q", opts.Old)
			}
			if !flagfile.ValidFlagName(opts.New) {
				return flagErrorf("bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", opts.New)
			}
			if runF != nil {
				return runF(opts)
			}
			return renameRun(f, opts)
		},
	}
	dryRunFlag(cmd, &opts.DryRun)
	strictFlag(cmd, &opts.Strict)
	return cmd
}

func renameRun(f *Factory, opts *RenameOptions) error {
	c, files, err := f.editFiles(true, opts.Strict)
	if err != nil {
		return err
	}
	explicit := c.Env != "" || c.FlagFile != ""
	if err := flagDefined(opts.Old, files, explicit); err != nil {
		return err
	}
	for _, l := range files {
		if l.File.Flag(opts.New) != nil {
			return usageErr("%s: flag %q already exists; remove it first or choose another name", f.displayPath(l.Path), opts.New)
		}
	}
	err = applyEdits(f, c, files, opts.DryRun,
		func(l *loaded, _ *flagfile.File) []string {
			return []string{fmt.Sprintf("%s [%s]: rename to %s", opts.Old, l.name(), opts.New)}
		},
		func(l *loaded) ([]flagfile.Edit, error) {
			if l.File.Flag(opts.Old) == nil {
				return nil, nil
			}
			return []flagfile.Edit{flagfile.RenameFlag(opts.Old, opts.New)}, nil
		},
		func(l *loaded, _ *flagfile.File, changed bool) {
			if changed {
				fmt.Fprintf(f.IO.Out, "%s %s: renamed %s to %s\n", f.IO.green("✓"), l.name(), opts.Old, opts.New)
			}
		})
	if err != nil {
		return err
	}
	// Rule tests and code are not rewritten: say where the old name remains.
	tfs, _ := parseTestFiles(testFiles(c))
	for _, tf := range tfs {
		for _, tc := range tf.Cases {
			if tc.Flag == opts.Old {
				fmt.Fprintf(f.IO.Out, "%s:%d: rule test %q still names %s; change its flag to %s\n", f.displayPath(tc.FlagPos.File), tc.FlagPos.Line, tc.Name, opts.Old, opts.New)
			}
		}
	}
	printCodeRefs(f, c, files, opts.Old)
	return nil
}

// maxRefsShown is how many code references rename prints before counting.
const maxRefsShown = 20

// printCodeRefs says where code still names the old flag (see codeRefs); files
// are the environment files as they were before the rename. The files are
// already written, so a scan that fails is a warning.
func printCodeRefs(f *Factory, c *Config, files []*loaded, name string) {
	refs, scanned, err := codeRefs(c, files, name)
	if err != nil {
		fmt.Fprintf(f.IO.ErrOut, "warning: could not look for %s in the code: %s; fix that, then run \"flagctl stale --refs %s\"\n", name, f.relPaths(err.Error()), name)
		return
	}
	if len(refs) == 0 {
		unit := "files"
		if scanned == 1 {
			unit = "file"
		}
		fmt.Fprintf(f.IO.Out, "No code refers to %s (%d %s scanned).\n", name, scanned, unit)
		return
	}
	fmt.Fprintf(f.IO.Out, "Code still refers to %s (%s; change them):\n", name, plural(len(refs), "place"))
	for i, r := range refs {
		if i == maxRefsShown {
			fmt.Fprintf(f.IO.Out, "  … %d more: flagctl stale --refs %s\n", len(refs)-maxRefsShown, name)
			break
		}
		fmt.Fprintf(f.IO.Out, "  %s:%d\n", f.displayPath(r.File), r.Line)
	}
}
