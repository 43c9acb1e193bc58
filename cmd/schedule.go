package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// ScheduleOptions are the inputs of `flagctl schedule`.
type ScheduleOptions struct {
	Name               string
	At                 string
	Enable, Disable    bool
	Actors             []string
	Groups             []string
	PercentageOfActors string
	PercentageOfTime   string
	// Clear removes the flag's whole schedule.
	Clear bool
	// DryRun prints the change and writes nothing.
	DryRun bool
	// Strict refuses the edit when any other flag of the file has problems.
	Strict bool
}

// NewCmdSchedule builds `flagctl schedule NAME`. runF, when set, receives the
// options instead of running the command (for tests).
func NewCmdSchedule(f *Factory, runF func(*ScheduleOptions) error) *cobra.Command {
	opts := &ScheduleOptions{}
	cmd := &cobra.Command{
		Use:   "schedule NAME",
		Short: "Add a dated change of a flag's gates, applied by the clock",
		Long: `Adds an entry to the flag's schedule: at --at (RFC 3339 with a zone), the gates it
names change; services pick the change up at that time without a new file. At a
time T a flag's gates are its file gates with every entry at or before T applied
in order.

--enable / --disable set the boolean gate, or with --actor / --group those gates.
--percentage-of-actors / --percentage-of-time replace the percentage gate of either
kind and any ramp; 0% removes it. --clear removes the whole schedule. --env a,b
adds the entry to several environment files, all of them or none; --dry-run
prints the change and writes nothing.`,
		Example: `  flagctl schedule black_friday_enabled --env production --at 2026-11-27T00:00:00-05:00 --enable
  flagctl schedule black_friday_enabled --env production --at 2026-11-30T23:59:00-05:00 --disable
  flagctl schedule new_checkout_enabled --env production --at 2026-12-01T09:00:00Z --percentage-of-actors 50%
  flagctl schedule new_checkout_enabled --env production --at 2026-12-01T09:00:00Z --disable --actor user:7`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return scheduleRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.At, "at", "", "when the change takes effect: RFC 3339 with a zone, e.g. 2026-12-24T18:00:00+01:00")
	cmd.Flags().BoolVar(&opts.Enable, "enable", false, "turn the boolean gate on (or, with --actor/--group, those gates)")
	cmd.Flags().BoolVar(&opts.Disable, "disable", false, "turn the boolean gate off (or, with --actor/--group, those gates)")
	cmd.Flags().StringArrayVar(&opts.Actors, "actor", nil, "actor `ID` whose gate to set (repeatable; comma- or newline-separated)")
	cmd.Flags().StringArrayVar(&opts.Groups, "group", nil, "`group` whose gate to set (repeatable; comma- or newline-separated)")
	cmd.Flags().StringVar(&opts.PercentageOfActors, "percentage-of-actors", "", "set the percentage-of-actors gate: 25% (0% removes it)")
	cmd.Flags().StringVar(&opts.PercentageOfTime, "percentage-of-time", "", "set the percentage-of-time gate: 25% (0% removes it)")
	cmd.Flags().BoolVar(&opts.Clear, "clear", false, "remove the flag's whole schedule")
	strictFlag(cmd, &opts.Strict)
	dryRunFlag(cmd, &opts.DryRun)
	return cmd
}

func (o *ScheduleOptions) validate() error {
	change := o.Enable || o.Disable || len(o.Actors) > 0 || len(o.Groups) > 0 || o.PercentageOfActors != "" || o.PercentageOfTime != ""
	switch {
	case o.Clear && (change || o.At != ""):
		return flagErrorf("--clear removes the whole schedule; give it alone")
	case o.Clear:
		return nil
	case o.At == "":
		return flagErrorf("--at is required: when the change takes effect, e.g. --at 2026-12-24T18:00:00+01:00")
	case !change:
		return flagErrorf("say what changes: --enable, --disable, --percentage-of-actors or --percentage-of-time")
	case o.Enable && o.Disable:
		return flagErrorf("--enable and --disable are mutually exclusive")
	case (len(o.Actors) > 0 || len(o.Groups) > 0) && !o.Enable && !o.Disable:
		return flagErrorf("--actor and --group need --enable or --disable: the value their gates take")
	case o.PercentageOfActors != "" && o.PercentageOfTime != "":
		return flagErrorf("--percentage-of-actors and --percentage-of-time are mutually exclusive: a flag has one percentage gate")
	}
	return nil
}

func scheduleRun(f *Factory, opts *ScheduleOptions) error {
	if opts.Clear {
		return editOne(f, opts.Name, []flagfile.Edit{flagfile.ClearSchedule(opts.Name)}, opts.DryRun, opts.Strict)
	}
	at, err := parseTimeFlag("at", opts.At, f.Now)
	if err != nil {
		return err
	}
	e := flagfile.ScheduleEntry{At: at}
	on := opts.Enable
	actors, groups, err := splitActorsGroups(opts.Actors, opts.Groups)
	if err != nil {
		return err
	}
	for _, id := range actors {
		e.Actors = append(e.Actors, flagfile.Gate{ID: id, Enabled: on})
	}
	for _, g := range groups {
		e.Groups = append(e.Groups, flagfile.Gate{ID: g, Enabled: on})
	}
	if (opts.Enable || opts.Disable) && len(actors) == 0 && len(groups) == 0 {
		e.Boolean = &on
	}
	for _, p := range []struct {
		name, v string
		dst     **flagfile.Percent
	}{{"percentage-of-actors", opts.PercentageOfActors, &e.PercentageOfActors}, {"percentage-of-time", opts.PercentageOfTime, &e.PercentageOfTime}} {
		if p.v == "" {
			continue
		}
		v, err := parseSchedulePercent(p.name, p.v)
		if err != nil {
			return err
		}
		*p.dst = &v
	}
	if err := editOne(f, opts.Name, []flagfile.Edit{flagfile.AddScheduleEntry(opts.Name, e)}, opts.DryRun, opts.Strict); err != nil {
		return err
	}
	if opts.At != "now" && at.Before(f.Now()) {
		// A mistyped year switches the flag at once: say so.
		what := "the change is in effect already"
		if opts.DryRun {
			what = "the change would be in effect at once"
		}
		fmt.Fprintf(f.IO.ErrOut, "warning: --at %s is in the past: %s; check the date (\"flagctl schedule %s --clear\" removes the schedule)\n", opts.At, what, opts.Name)
	}
	return nil
}

// parseSchedulePercent is parsePercentFlag, with 0% (remove the gate) allowed.
func parseSchedulePercent(name, v string) (flagfile.Percent, error) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == 0 && strings.Trim(s, "0.") == "" {
		return 0, nil
	}
	return parsePercentFlag(name, v)
}

// parseTimeFlag parses an RFC 3339 time with a zone, or "now".
func parseTimeFlag(name, v string, now func() time.Time) (time.Time, error) {
	if v == "now" {
		return now().UTC().Truncate(time.Minute), nil
	}
	t, err := flagfile.ParseTime(v)
	if err != nil {
		return time.Time{}, flagErrorf("--%s: %v", name, err)
	}
	return t, nil
}

// parseSpan parses a ramp length: 7d, 2w, 36h, 90m, 1h30m.
func parseSpan(name, v string) (time.Duration, error) {
	s := strings.TrimSpace(v)
	var d time.Duration
	var err error
	switch {
	case strings.HasSuffix(s, "d") || strings.HasSuffix(s, "w"):
		n, perr := strconv.Atoi(s[:len(s)-1])
		mult := 24 * time.Hour
		if strings.HasSuffix(s, "w") {
			mult *= 7
		}
		d, err = time.Duration(n)*mult, perr
		if n > 3650 {
			err = fmt.Errorf("too long")
		}
	default:
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, flagErrorf("--%s: bad length %q; write 7d, 2w, 36h or 90m", name, v)
	}
	return d, nil
}
