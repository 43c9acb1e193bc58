package cmd

import (
	"fmt"
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// EnableOptions are the inputs of `flagctl enable`.
type EnableOptions struct {
	DryRun             bool
	Name               string
	Actors             []string
	Groups             []string
	PercentageOfActors string
	PercentageOfTime   string
	// RampFrom, Over and Start turn the percentage into a linear ramp from
	// RampFrom to it, over Over, from Start (default now, to the minute); see timeline.go.
	RampFrom, Over, Start string
	// Strict refuses the edit when any other flag of the file has problems.
	Strict bool
}

// NewCmdEnable builds `flagctl enable NAME`. runF, when set, receives the options
// instead of running the command (for tests).
func NewCmdEnable(f *Factory, runF func(*EnableOptions) error) *cobra.Command {
	opts := &EnableOptions{}
	cmd := &cobra.Command{
		Use:   "enable NAME",
		Short: "Turn a flag on, or open actor, group or percentage gates",
		Long: `Without options, turns the boolean gate on: the flag is on for everyone (unless an
actor or group gate turns it off for someone). With --actor, --group,
--percentage-of-actors or --percentage-of-time, sets those gates instead.
Setting one percentage gate replaces the other. With --ramp-from P --over D
[--start T] the percentage rises linearly from P to it over D, by the clock.`,
		Example: `  flagctl enable new_checkout_enabled --env staging
  flagctl enable new_checkout_enabled --env production --actor user:42,user:7 --group beta_testers
  flagctl enable new_checkout_enabled --env production --percentage-of-actors 25%
  flagctl enable new_checkout_enabled --env production --percentage-of-actors 100% --ramp-from 1% --over 7d`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if opts.PercentageOfActors != "" && opts.PercentageOfTime != "" {
				return flagErrorf("--percentage-of-actors and --percentage-of-time are mutually exclusive: a flag has one percentage gate")
			}
			if err := opts.validateRamp(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return enableRun(f, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Actors, "actor", nil, "actor `ID` to enable (repeatable; comma- or newline-separated)")
	cmd.Flags().StringArrayVar(&opts.Groups, "group", nil, "`group` to enable (repeatable; comma- or newline-separated)")
	cmd.Flags().StringVar(&opts.PercentageOfActors, "percentage-of-actors", "", "enable for this share of actors: 25% or 0.25")
	cmd.Flags().StringVar(&opts.PercentageOfTime, "percentage-of-time", "", "enable for this share of checks: 25% or 0.25")
	cmd.Flags().StringVar(&opts.RampFrom, "ramp-from", "", "ramp the percentage linearly from this value (e.g. 1%) up to the one given")
	cmd.Flags().StringVar(&opts.Over, "over", "", "the ramp's length: 7d, 2w, 36h")
	cmd.Flags().StringVar(&opts.Start, "start", "", "when the ramp starts: RFC 3339 with a zone, or now (the default, to the minute)")
	strictFlag(cmd, &opts.Strict)
	dryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func enableRun(f *Factory, opts *EnableOptions) error {
	actors, groups, err := splitActorsGroups(opts.Actors, opts.Groups)
	if err != nil {
		return err
	}
	warn := func(l *loaded, fl *flagfile.Flag) { warnScheduled(f, l, fl) }
	masked := func(l *loaded, fl *flagfile.Flag) { warnMasked(f, l, fl); warnScheduled(f, l, fl) }
	var edits []flagfile.Edit
	for _, id := range actors {
		edits = append(edits, flagfile.SetActor(opts.Name, id, true))
	}
	for _, g := range groups {
		edits = append(edits, flagfile.SetGroup(opts.Name, g, true))
	}
	for _, pk := range [][2]string{{"percentage_of_actors", opts.PercentageOfActors}, {"percentage_of_time", opts.PercentageOfTime}} {
		if opts.RampFrom != "" && pk[1] != "" { // a ramp (schedule.go)
			e, err := rampEdit(f, opts.Name, pk[0], pk[1], opts)
			if err != nil {
				return err
			}
			return editOneThen(f, opts.Name, inEffect(f, append(edits, e)), opts.DryRun, opts.Strict, masked)
		}
	}
	if opts.PercentageOfActors != "" {
		p, err := parsePercentFlag("percentage-of-actors", opts.PercentageOfActors)
		if err != nil {
			return err
		}
		edits = append(edits, flagfile.SetPercentageOfActors(opts.Name, p))
	}
	if opts.PercentageOfTime != "" {
		p, err := parsePercentFlag("percentage-of-time", opts.PercentageOfTime)
		if err != nil {
			return err
		}
		edits = append(edits, flagfile.SetPercentageOfTime(opts.Name, p))
	}
	if len(edits) == 0 {
		return editOneThen(f, opts.Name, inEffect(f, []flagfile.Edit{flagfile.SetBoolean(opts.Name, true)}), opts.DryRun, opts.Strict, warn)
	}
	return editOneThen(f, opts.Name, inEffect(f, edits), opts.DryRun, opts.Strict, masked)
}

// warnMasked warns when the boolean gate of fl is on now: the flag is on for
// everyone no gate turns off, so the actor, group or percentage gates just
// opened change nothing (enable --percentage-of-actors 25% does not dial an
// enabled flag back).
func warnMasked(f *Factory, l *loaded, fl *flagfile.Flag) {
	if fl == nil || !fl.At(f.Now()).BooleanOn() {
		return
	}
	fmt.Fprintf(f.IO.ErrOut, "warning: %s: %s has its boolean gate on, so gates that turn it on (actor, group, percentage) change nothing; \"flagctl disable %s --env %s\" turns the boolean gate off and lets them decide\n",
		l.name(), fl.Name, fl.Name, l.name())
}
