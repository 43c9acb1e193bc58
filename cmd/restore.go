package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// RestoreOptions are the inputs of `flagctl restore`.
type RestoreOptions struct {
	Name   string
	To     string
	DryRun bool
	Strict bool
}

// NewCmdRestore builds `flagctl restore`.
func NewCmdRestore(f *Factory, runF func(*RestoreOptions) error) *cobra.Command {
	opts := &RestoreOptions{}
	cmd := &cobra.Command{
		Use:   "restore NAME --env ENV --to REV",
		Short: "Set a flag's gates back to their state at a git revision",
		Long: `Sets every gate of the flag in one environment to what it was at REV, in one
edit (metadata stays). A flag removed since REV is re-created as it was then.`,
		Example:           `  flagctl restore new_checkout_enabled --env production --to HEAD~3`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if opts.To == "" {
				return flagErrorf("--to REV is required")
			}
			if runF != nil {
				return runF(opts)
			}
			return restoreRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "git revision to take the gates from")
	dryRunFlag(cmd, &opts.DryRun)
	strictFlag(cmd, &opts.Strict)
	return cmd
}

func restoreRun(f *Factory, opts *RestoreOptions) error {
	c, t, err := f.oneEnv()
	if err != nil {
		return err
	}
	r, err := openRepo(c.Root)
	if err != nil {
		return err
	}
	id, err := r.verify(opts.To)
	if err != nil {
		return err
	}
	then, _, err := source{label: opts.To, rev: id, kind: fromRev}.read(r, t)
	if err != nil {
		return err
	}
	var old *flagfile.Flag
	if then != nil {
		old = then.Flag(opts.Name)
	}
	if old == nil {
		return usageErr("flag %q did not exist in %s at %s", opts.Name, f.displayPath(t.Path), opts.To)
	}
	l, err := loadTarget(t, true)
	if err != nil {
		return err
	}
	l.strict = opts.Strict
	edit := flagfile.SetGates(opts.Name, old)
	if l.File.Flag(opts.Name) == nil {
		edit = flagfile.AddFlag(old)
	}
	if err := applyShowing(f, l, []flagfile.Edit{edit}, opts.DryRun); err != nil {
		return err
	}
	if !opts.DryRun {
		fmt.Fprintf(f.IO.ErrOut, "restored %s in %s to its gates at %s (%.7s)\n", opts.Name, l.name(), opts.To, id)
	}
	return nil
}
