package cmd

// Helpers of ramps and schedules shared by enable, show, list, fmt, lint and
// stale (issue 20); the schedule verb itself is in schedule.go.

import (
	"fmt"
	"strings"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// rampEdit builds the edit of `enable --ramp-from P --over D [--start T]`: a
// linear ramp from P to the target percentage of the given kind.
func rampEdit(f *Factory, name, key, target string, opts *EnableOptions) (flagfile.Edit, error) {
	flagName := strings.ReplaceAll(key, "_", "-")
	to, err := parsePercentFlag(flagName, target)
	if err != nil {
		return flagfile.Edit{}, err
	}
	from, err := parseSchedulePercent("ramp-from", opts.RampFrom)
	if err != nil {
		return flagfile.Edit{}, err
	}
	if from == to {
		return flagfile.Edit{}, flagErrorf("--ramp-from %s is the target itself; drop --ramp-from to set the percentage now", from)
	}
	over, err := parseSpan("over", opts.Over)
	if err != nil {
		return flagfile.Edit{}, err
	}
	start := f.Now().UTC().Truncate(time.Minute)
	if opts.Start != "" {
		if start, err = parseTimeFlag("start", opts.Start, f.Now); err != nil {
			return flagfile.Edit{}, err
		}
	}
	return flagfile.SetRamp(name, key, &flagfile.Ramp{From: from, To: to, Start: start, End: start.Add(over)}), nil
}

// validateRamp checks the ramp options of `flagctl enable`.
func (o *EnableOptions) validateRamp() error {
	switch {
	case o.RampFrom == "" && (o.Over != "" || o.Start != ""):
		return flagErrorf("--over and --start describe a ramp: add --ramp-from P")
	case o.RampFrom == "":
		return nil
	case o.PercentageOfActors == "" && o.PercentageOfTime == "":
		return flagErrorf("--ramp-from needs the target: --percentage-of-actors P or --percentage-of-time P")
	case o.Over == "":
		return flagErrorf("--ramp-from needs --over, the ramp's length (e.g. 7d)")
	}
	return nil
}

// timedJSON fills the ramp and schedule fields of a flag's JSON, and states the
// gates in effect at now.
func timedJSON(j *FlagJSON, fl *flagfile.Flag, now time.Time) {
	if !fl.Timed() {
		return
	}
	for _, r := range []*flagfile.Ramp{fl.RampOfActors, fl.RampOfTime} {
		if r != nil {
			j.Ramp = r.String()
		}
	}
	for _, c := range fl.Timeline() {
		j.Timeline = append(j.Timeline, TimelineJSON{At: flagfile.FormatTime(c.At), What: c.What, Passed: !c.At.After(now)})
	}
	j.Status = fl.Status(now)
	j.State = summary(fl.At(now))
	for _, c := range fl.Timeline() {
		if c.At.After(now) {
			j.State += "; next change " + flagfile.HumanTime(c.At)
			break
		}
	}
}

// TimelineJSON is one dated change of a flag (show, list -o json).
type TimelineJSON struct {
	At     string `json:"at" yaml:"at"`
	What   string `json:"what" yaml:"what"`
	Passed bool   `json:"passed" yaml:"passed"`
}

// showTimelines prints, below `flagctl show`'s table, the dated changes of the
// flag in every environment where it has a ramp or a schedule.
func showTimelines(f *Factory, out ShowJSON) error {
	for _, env := range out.Environments {
		j := out.Envs[env]
		if j == nil || len(j.Timeline) == 0 {
			continue
		}
		fmt.Fprintf(f.IO.Out, "\ntimeline %s:\n", env)
		t := newTable(f.IO.Out)
		next := true
		for _, c := range j.Timeline {
			at, _ := flagfile.ParseTime(c.At)
			mark := " "
			switch {
			case c.Passed:
				mark = "✓"
			case next:
				mark, next = "→", false
			}
			t.row("  "+mark, flagfile.HumanTime(at), c.What)
		}
		if err := t.flush(); err != nil {
			return err
		}
		fmt.Fprintf(f.IO.Out, "  now: %s\n", history.EscapeControl(j.Status))
	}
	return nil
}

// applySchedule returns l's file with the schedule entries and ramps that have
// taken effect by now folded into the plain gates (fmt --apply-schedule).
func applySchedule(l *loaded, now time.Time) (*flagfile.File, error) {
	edits := l.File.ApplySchedule(now)
	if len(edits) == 0 {
		return l.File, nil
	}
	_, nf, err := l.File.Apply(flagfile.ParseOptions{Env: l.Expect}, edits...)
	if err != nil {
		return nil, fileErr(fmt.Errorf("%s: %w", l.Path, err))
	}
	return nf, nil
}
