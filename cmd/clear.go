package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// ClearOptions are the inputs of `flagctl clear`.
type ClearOptions struct {
	DryRun     bool
	Name       string
	Actors     []string
	Groups     []string
	Percentage bool
	Boolean    bool
	// Strict refuses the edit when any other flag of the file has problems.
	Strict bool
}

// NewCmdClear builds `flagctl clear NAME`.
func NewCmdClear(f *Factory, runF func(*ClearOptions) error) *cobra.Command {
	opts := &ClearOptions{}
	cmd := &cobra.Command{
		Use:   "clear NAME",
		Short: "Remove gates from a flag (all of them when no option is given)",
		Long: `Removes the named gates. Without options, removes every gate; the flag's
metadata (description, owner, kind, dates) stays.`,
		Example: `  flagctl clear new_checkout_enabled --env staging --actor user:42
  flagctl clear new_checkout_enabled --env staging --percentage
  flagctl clear new_checkout_enabled --env staging`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return clearRun(f, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Actors, "actor", nil, "remove this actor `ID`'s gate (repeatable; comma- or newline-separated)")
	cmd.Flags().StringArrayVar(&opts.Groups, "group", nil, "remove this `group`'s gate (repeatable; comma- or newline-separated)")
	cmd.Flags().BoolVar(&opts.Percentage, "percentage", false, "remove the percentage gate")
	cmd.Flags().BoolVar(&opts.Boolean, "boolean", false, "remove the boolean gate")
	strictFlag(cmd, &opts.Strict)
	dryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func clearRun(f *Factory, opts *ClearOptions) error {
	actors, groups, err := splitActorsGroups(opts.Actors, opts.Groups)
	if err != nil {
		return err
	}
	var edits []flagfile.Edit
	for _, id := range actors {
		edits = append(edits, flagfile.ClearActor(opts.Name, id))
	}
	for _, g := range groups {
		edits = append(edits, flagfile.ClearGroup(opts.Name, g))
	}
	if opts.Percentage {
		edits = append(edits, flagfile.ClearPercentage(opts.Name))
	}
	if opts.Boolean {
		edits = append(edits, flagfile.ClearBoolean(opts.Name))
	}
	if len(edits) == 0 {
		return editOneThen(f, opts.Name, inEffect(f, []flagfile.Edit{flagfile.ClearGates(opts.Name)}), opts.DryRun, opts.Strict,
			func(l *loaded, fl *flagfile.Flag) { warnScheduled(f, l, fl) })
	}
	return editOneThen(f, opts.Name, inEffect(f, edits), opts.DryRun, opts.Strict, func(l *loaded, fl *flagfile.Flag) {
		if !warnScheduledReturn(f, l, fl, actors, groups, opts.Percentage, opts.Boolean) {
			warnScheduled(f, l, fl)
		}
	})
}
