package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/stale"
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
	strictFlag(cmd, &opts.Strict)
	dryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func disableRun(f *Factory, opts *DisableOptions) error {
	actors, groups, err := splitActorsGroups(opts.Actors, opts.Groups)
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
	if len(edits) > 0 {
		return editOneThen(f, opts.Name, inEffect(f, edits), opts.DryRun, opts.Strict, func(l *loaded, fl *flagfile.Flag) {
			if !warnScheduledReturn(f, l, fl, actors, groups, false, false) {
				warnScheduled(f, l, fl)
			}
		})
	}
	return editOneThen(f, opts.Name, inEffect(f, []flagfile.Edit{flagfile.SetBoolean(opts.Name, false)}), opts.DryRun, opts.Strict,
		func(l *loaded, fl *flagfile.Flag) { warnKeptOn(f, l, fl); warnScheduled(f, l, fl) })
}

// warnKeptOn says what still turns fl on for someone in l's environment once its
// boolean gate is off: "disable" is the boolean gate only (FunWithFlags'
// semantics), and a kill switch that is not one must not look like one.
func warnKeptOn(f *Factory, l *loaded, fl *flagfile.Flag) {
	if fl == nil {
		return
	}
	if why := keptOn(fl, f.Now()); len(why) > 0 {
		fmt.Fprintf(f.IO.ErrOut, "warning: %s: %s stays on for some: %s; \"flagctl clear %s\" turns it off for everyone\n",
			l.name(), fl.Name, strings.Join(why, ", "), fl.Name)
	}
}

// keptOn lists what turns fl on for someone now or later (nil: nobody).
func keptOn(fl *flagfile.Flag, now time.Time) []string {
	if stale.EnablesNobody(fl, now) {
		return nil
	}
	var why []string
	if fl.PercentageOfActors > 0 {
		why = append(why, "percentage_of_actors "+fl.PercentageOfActors.String())
	}
	if fl.PercentageOfTime > 0 {
		why = append(why, "percentage_of_time "+fl.PercentageOfTime.String())
	}
	for _, gs := range []struct {
		kind  string
		gates []flagfile.Gate
	}{{"actor", fl.Actors}, {"group", fl.Groups}} {
		n := 0
		for _, g := range gs.gates {
			if g.Enabled {
				n++
			}
		}
		if n > 0 {
			why = append(why, fmt.Sprintf("%d %s gate(s) on", n, gs.kind))
		}
	}
	if fl.Timed() {
		why = append(why, "its ramp or schedule (flagctl show "+fl.Name+")")
	}
	if len(why) == 0 {
		why = append(why, "its gates")
	}
	return why
}
