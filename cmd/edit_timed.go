package cmd

import (
	"fmt"
	"slices"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// inEffect makes gate edits (enable, disable, clear) change the gates in effect
// now: schedule entries that have already taken effect are folded into the
// plain gates first (flagfile.InEffect), so a passed entry cannot override the
// edit.
func inEffect(f *Factory, edits []flagfile.Edit) []flagfile.Edit {
	now := f.Now()
	out := make([]flagfile.Edit, len(edits))
	for i, e := range edits {
		out[i] = flagfile.InEffect(e, now)
	}
	return out
}

// warnScheduled says, after an edit of fl's gates, that schedule entries still
// to come will change the flag again: the edit holds only until then.
func warnScheduled(f *Factory, l *loaded, fl *flagfile.Flag) {
	if fl == nil {
		return
	}
	now := f.Now()
	if fl.ScheduleIndex(now) == len(fl.Schedule) {
		return
	}
	fmt.Fprintf(f.IO.ErrOut, "warning: %s: %s has changes still to come (%s); its schedule applies over this edit when their time comes (\"flagctl show %s\" lists them, \"flagctl schedule %s --clear\" drops them)\n",
		l.name(), fl.Name, fl.Status(now), fl.Name, fl.Name)
}

// warnScheduledReturn warns when a schedule entry still to come sets again a gate
// clear just removed (a stopped rollout would restart on its date), and reports
// whether it did.
func warnScheduledReturn(f *Factory, l *loaded, fl *flagfile.Flag, actors, groups []string, percentage, boolean bool) bool {
	if fl == nil {
		return false
	}
	has := func(gates []flagfile.Gate, ids []string) bool {
		for _, g := range gates {
			if slices.Contains(ids, g.ID) {
				return true
			}
		}
		return false
	}
	set := func(p *flagfile.Percent) bool { return p != nil && *p > 0 }
	for _, e := range fl.Schedule[fl.ScheduleIndex(f.Now()):] {
		if percentage && (set(e.PercentageOfActors) || set(e.PercentageOfTime)) || boolean && e.Boolean != nil ||
			has(e.Actors, actors) || has(e.Groups, groups) {
			fmt.Fprintf(f.IO.ErrOut, "warning: %s: %s: the schedule sets it again at %s (%s); \"flagctl schedule %s --env %s --clear\" drops the schedule\n",
				l.name(), fl.Name, flagfile.FormatTime(e.At), e, fl.Name, l.name())
			return true
		}
	}
	return false
}
