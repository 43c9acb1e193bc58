package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// RemoveOptions are the inputs of `flagctl remove`.
type RemoveOptions struct {
	Name   string
	DryRun bool
	Strict bool
	// Cleanup also removes the flag from the Go code (flagctl cleanup) first,
	// and regenerates `generate go` output afterwards.
	Cleanup bool
}

// NewCmdRemove builds `flagctl remove NAME`.
func NewCmdRemove(f *Factory, runF func(*RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{}
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete a flag from every environment file (or --env only)",
		Long: `Deletes the flag, with the comment block directly above it, from every
environment file in one go (or from --env only). If any file cannot be parsed, none
is changed. A flag with problems (an unknown key, a bad value) can be removed too:
the usual fix for a dead flag edited by hand. Problems left in other flags are
printed as warnings; --strict refuses only when a flag other than NAME has
problems. With --cleanup, the flag is first removed from the Go code as by
"flagctl cleanup NAME" (refused if any check cannot be rewritten), and generated Go
code ("flagctl generate go" output found in the project) is regenerated. With
--dry-run, nothing is written: the changes are printed (with --cleanup, the code's
as a unified diff).`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return removeRun(f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Cleanup, "cleanup", false, "also remove the flag from the Go code and regenerate generated code")
	dryRunFlag(cmd, &opts.DryRun)
	strictFlag(cmd, &opts.Strict)
	return cmd
}

func removeRun(f *Factory, opts *RemoveOptions) error {
	if opts.Cleanup {
		// With --dry-run, the code's diff is printed and nothing written.
		if err := removeCleanup(f, opts.Name, opts.DryRun); err != nil {
			return err
		}
	}
	c, files, err := f.loadEnvsToEdit(true, opts.Strict)
	if err != nil {
		return err
	}
	found := false
	for _, l := range files {
		found = found || l.File.Flag(opts.Name) != nil
	}
	if !found {
		return unknownFlag(opts.Name, files...)
	}
	err = applyEdits(f, c, files, opts.DryRun, nil, func(l *loaded) ([]flagfile.Edit, error) {
		if l.File.Flag(opts.Name) == nil {
			return nil, nil
		}
		return []flagfile.Edit{flagfile.RemoveFlag(opts.Name)}, nil
	}, func(l *loaded, _ *flagfile.File, changed bool) {
		if changed {
			fmt.Fprintf(f.IO.Out, "%s %s: removed %s\n", f.IO.green("✓"), l.name(), opts.Name)
		}
	})
	if err != nil || !opts.Cleanup || opts.DryRun {
		return err
	}
	return regenerateGo(f)
}
