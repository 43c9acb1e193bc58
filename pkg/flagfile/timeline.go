package flagfile

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Timed reports whether the flag's gates change with time: it has a ramp or a
// schedule.
func (f *Flag) Timed() bool {
	return f.RampOfActors != nil || f.RampOfTime != nil || len(f.Schedule) > 0
}

// At returns the flag's plain gates at time t: the schedule entries at or before
// t applied in order, and ramps replaced by their value at t (a ramp at 0% is no
// gate). The result has no ramp and no schedule; its metadata is the flag's.
func (f *Flag) At(t time.Time) *Flag {
	c := f.Clone()
	c.Schedule = nil
	for _, e := range f.Schedule {
		if e.At.After(t) {
			break
		}
		e.apply(c)
	}
	if c.RampOfActors != nil {
		c.PercentageOfActors, c.RampOfActors = c.RampOfActors.At(t), nil
	}
	if c.RampOfTime != nil {
		c.PercentageOfTime, c.RampOfTime = c.RampOfTime.At(t), nil
	}
	return c
}

// ScheduleIndex returns how many schedule entries are in effect at t.
func (f *Flag) ScheduleIndex(t time.Time) int {
	n := 0
	for _, e := range f.Schedule {
		if e.At.After(t) {
			break
		}
		n++
	}
	return n
}

// NextChange returns the first time after t at which the flag's gates change
// (a schedule entry, or a ramp moving by 0.001%), or false when they never change
// again.
func (f *Flag) NextChange(t time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(n time.Time) {
		if !found || n.Before(best) {
			best, found = n, true
		}
	}
	i := f.ScheduleIndex(t)
	if i < len(f.Schedule) {
		consider(f.Schedule[i].At)
	}
	// The ramp in effect now (a later entry may replace it, which the entry's time
	// already covers).
	cur := f.Clone()
	cur.Schedule = nil
	for _, e := range f.Schedule[:i] {
		e.apply(cur)
	}
	for _, r := range []*Ramp{cur.RampOfActors, cur.RampOfTime} {
		if r != nil {
			if n, ok := r.NextChange(t); ok {
				consider(n)
			}
		}
	}
	return best, found
}

// Status says in words what the flag's timed gates are at t and what changes
// next, e.g. "ramp at 25.4%, 100% on 2026-12-14 09:00 UTC" or "scheduled: on at
// 2026-12-24 18:00 +01:00". It is "" for a flag that is not timed.
func (f *Flag) Status(t time.Time) string {
	if !f.Timed() {
		return ""
	}
	var parts []string
	i := f.ScheduleIndex(t)
	cur := f.Clone()
	cur.Schedule = nil
	for _, e := range f.Schedule[:i] {
		e.apply(cur)
	}
	for _, r := range []*Ramp{cur.RampOfActors, cur.RampOfTime} {
		if r == nil {
			continue
		}
		v := r.At(t)
		final, end := r.Final()
		switch {
		case r.IsSteps() && t.Before(r.Steps[0].At):
			parts = append(parts, fmt.Sprintf("ramp not started, %s on %s", r.Steps[0].Value, HumanTime(r.Steps[0].At)))
		case !r.IsSteps() && t.Before(r.Start):
			parts = append(parts, fmt.Sprintf("ramp at %s, starts %s, %s on %s", v, HumanTime(r.Start), final, HumanTime(end)))
		case t.Before(end):
			next := ""
			if r.IsSteps() {
				for _, s := range r.Steps {
					if s.At.After(t) {
						next = fmt.Sprintf(", %s on %s", s.Value, HumanTime(s.At))
						break
					}
				}
			} else {
				next = fmt.Sprintf(", %s on %s", final, HumanTime(end))
			}
			parts = append(parts, fmt.Sprintf("ramp at %s%s", v, next))
		default:
			parts = append(parts, fmt.Sprintf("ramp done at %s since %s", final, HumanTime(end)))
		}
	}
	if i < len(f.Schedule) {
		e := f.Schedule[i]
		parts = append(parts, fmt.Sprintf("scheduled: %s at %s", e, HumanTime(e.At)))
	} else if len(f.Schedule) > 0 {
		parts = append(parts, fmt.Sprintf("schedule done (last change %s)", HumanTime(f.Schedule[len(f.Schedule)-1].At)))
	}
	return strings.Join(parts, "; ")
}

// TimelinePoint is one point of a flag's timeline.
type TimelinePoint struct {
	At time.Time
	// What says what changes, in words.
	What string
}

// Timeline lists the flag's dated changes in time order: ramp starts, steps and
// ends, and schedule entries.
func (f *Flag) Timeline() []TimelinePoint {
	var out []TimelinePoint
	for _, k := range []struct {
		name string
		r    *Ramp
	}{{"percentage_of_actors", f.RampOfActors}, {"percentage_of_time", f.RampOfTime}} {
		r := k.r
		if r == nil {
			continue
		}
		if r.IsSteps() {
			for _, s := range r.Steps {
				out = append(out, TimelinePoint{s.At, fmt.Sprintf("%s %s (step)", k.name, s.Value)})
			}
			continue
		}
		out = append(out, TimelinePoint{r.Start, fmt.Sprintf("%s ramp starts at %s", k.name, r.From)},
			TimelinePoint{r.End, fmt.Sprintf("%s ramp reaches %s", k.name, r.To)})
	}
	for _, e := range f.Schedule {
		out = append(out, TimelinePoint{e.At, "scheduled: " + e.String()})
	}
	slices.SortStableFunc(out, func(a, b TimelinePoint) int { return a.At.Compare(b.At) })
	return out
}

// FoldSchedule folds what has taken effect by now into the plain gates: schedule
// entries at or before now are applied and removed, and a ramp that has ended
// becomes its final plain percentage. The flag's gates at every time from now on
// are unchanged (Flag.At). Folding a flag with nothing passed changes nothing.
func FoldSchedule(name string, now time.Time) Edit {
	return flagEdit(name, fmt.Sprintf("fold the passed schedule of %s into its gates", name), func(fl *Flag) error {
		fl.foldSchedule(now)
		return nil
	})
}

func (fl *Flag) foldSchedule(now time.Time) {
	n := fl.ScheduleIndex(now)
	for _, e := range fl.Schedule[:n] {
		e.apply(fl)
	}
	fl.Schedule = slices.Clone(fl.Schedule[n:])
	if len(fl.Schedule) == 0 {
		fl.Schedule = nil
	}
	fold := func(r *Ramp) (*Ramp, Percent, bool) {
		if r == nil {
			return nil, 0, false
		}
		final, end := r.Final()
		if !now.Before(end) {
			return nil, final, true
		}
		if r.IsSteps() {
			// Drop passed steps but the one in effect.
			i := 0
			for i+1 < len(r.Steps) && !r.Steps[i+1].At.After(now) {
				i++
			}
			if i > 0 {
				r = r.Clone()
				r.Steps = r.Steps[i:]
			}
		}
		return r, 0, false
	}
	if r, p, done := fold(fl.RampOfActors); done {
		fl.RampOfActors, fl.PercentageOfActors = nil, p
	} else {
		fl.RampOfActors = r
	}
	if r, p, done := fold(fl.RampOfTime); done {
		fl.RampOfTime, fl.PercentageOfTime = nil, p
	} else {
		fl.RampOfTime = r
	}
}

// TimedWarnings returns lint warnings about the flag's ramps and schedule at now:
// entries and ramps that have taken effect (flagctl fmt --apply-schedule folds
// them into the plain gates) and ramps that go down (actors who were in drop
// out). Problems that make a file invalid (order, zones, a ramp ending before it
// starts) are Parse errors, not warnings.
func (f *Flag) TimedWarnings(now time.Time) ErrorList {
	var l ErrorList
	warn := func(p Pos, format string, args ...any) {
		if p.Line == 0 {
			p = f.Pos
		}
		l = append(l, &Error{Pos: p, Flag: f.Name, Warning: true, Msg: fmt.Sprintf(format, args...)})
	}
	if n := f.ScheduleIndex(now); n > 0 {
		e := f.Schedule[n-1]
		what := "the schedule entry at " + FormatTime(e.At) + " has taken effect; fold it"
		if n > 1 {
			what = fmt.Sprintf("%d schedule entries (the last at %s) have taken effect; fold them", n, FormatTime(e.At))
		}
		warn(f.Schedule[0].Pos, "flag %q: %s into the plain gates with \"flagctl fmt --apply-schedule\"", f.Name, what)
	}
	for _, k := range []struct {
		key string
		r   *Ramp
	}{{"percentage_of_actors", f.RampOfActors}, {"percentage_of_time", f.RampOfTime}} {
		if k.r == nil {
			continue
		}
		if final, end := k.r.Final(); !now.Before(end) {
			warn(k.r.Pos, "flag %q: the %s ramp ended at %s on %s; fold it into a plain percentage with \"flagctl fmt --apply-schedule\"", f.Name, k.key, final, HumanTime(end))
		}
		if k.r.Down() {
			who := "actors who were in drop out"
			if k.key == "percentage_of_time" {
				who = "the share of checks that are on shrinks"
			}
			warn(k.r.Pos, "flag %q: the %s ramp goes down; %s as it falls (intended for a rollback?)", f.Name, k.key, who)
		}
	}
	return l
}
