package serve

import (
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// scheduleDecides reports whether a gate edit of a scheduled or ramping flag
// (before → after) changes nothing anyone sees, now or later: a schedule entry
// that has come due sets the gate the edit changed, so the edit would be
// "Saved" (or "Nothing to change") while the flag stays as it is.
func scheduleDecides(before, after *flagfile.Flag, now time.Time) bool {
	if before == nil || after == nil || !before.Timed() {
		return false
	}
	for _, t := range timelinePoints(now, before, after) {
		if !before.At(t).SameGates(after.At(t)) {
			return false
		}
	}
	return true
}

// timelinePoints returns now and every later time at which the ramps or
// schedule of one of flags change the gates in effect (a linear ramp is
// represented by its start and end).
func timelinePoints(now time.Time, flags ...*flagfile.Flag) []time.Time {
	out := []time.Time{now}
	add := func(t time.Time) {
		if t.After(now) {
			out = append(out, t)
		}
	}
	ramp := func(r *flagfile.Ramp) {
		if r == nil {
			return
		}
		add(r.Start)
		add(r.End)
		for _, s := range r.Steps {
			add(s.At)
		}
	}
	for _, fl := range flags {
		for _, e := range fl.Schedule {
			add(e.At)
		}
		ramp(fl.RampOfActors)
		ramp(fl.RampOfTime)
	}
	return out
}
