package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// DisableOptions are the inputs of `flagctl disable`.
type DisableOptions struct {
	DryRun bool
	Name   string
	Actors []string
	Groups []string
	// Strict refuses the edit when any other flag of the file has problems.
	Strict bool
}

// NewCmdDisable builds `flagctl disable NAME`.
func NewCmdDisable(f *Factory, runF func(*DisableOptions) error) *cobra.Command {
	opts := &DisableOptions{}
	cmd := &cobra.Command{
		Use:   "disable NAME",
		Short: "Turn a flag's boolean gate off, or turn it off for actors or groups",
		Long: `Without options, turns the boolean gate off (percentage gates still apply; use
"flagctl clear" to remove them). With --actor or --group, sets gates that turn the
flag off for those actors or groups whatever the other gates say.`,
		Example: `  flagctl disable new_checkout_enabled --env production
  flagctl disable new_checkout_enabled --env production --group banned`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return disableRun(f, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Actors, "actor", nil, "actor `ID` to disable (repeatable; comma- or newline-separated)")
	cmd.Flags().StringArrayVar(&opts.Groups, "group", nil, "`group` to disable (repeatable; comma- or newline-separated)")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "refuse to edit a file in which any other flag has problems")
	dryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func disableRun(f *Factory, opts *DisableOptions) error {
	actors, err := splitIDs("actor", opts.Actors)
	if err != nil {
		return err
	}
	groups, err := splitIDs("group", opts.Groups)
	if err != nil {
		return err
	}
	var edits []flagfile.Edit
	for _, id := range actors {
		edits = append(edits, flagfile.SetActor(opts.Name, id, false))
	}
	for _, g := range groups {
		edits = append(edits, flagfile.SetGroup(opts.Name, g, false))
	}
	if len(edits) == 0 {
		edits = append(edits, flagfile.SetBoolean(opts.Name, false))
	}
	return editOne(f, opts.Name, edits, opts.DryRun, opts.Strict)
}
