package flagfile

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ScheduleEntry is one dated change of a flag's gates (the flag's schedule key):
//
//	schedule:
//	  - at: 2026-12-24T18:00:00+01:00
//	    enabled: true
//
// At time T a flag's gates are the file's gates with every entry at or before T
// applied in order. An entry sets what it names and leaves the rest: enabled sets
// the boolean gate; a percentage replaces the percentage gate of either kind, and
// a ramp (0% removes it); actors and groups set those gates, keeping the others.
type ScheduleEntry struct {
	At                 time.Time
	Boolean            *bool
	PercentageOfActors *Percent // nil: unchanged; 0: percentage gate removed
	PercentageOfTime   *Percent
	Actors             []Gate
	Groups             []Gate
	// Pos is the position of the entry in the file (zero for built entries).
	Pos Pos
}

// scheduleKeys are the keys of an entry in canonical order.
var scheduleKeys = []string{"at", "enabled", "actors", "groups", "percentage_of_actors", "percentage_of_time"}

// Clone returns a deep copy of the entry without its position.
func (e ScheduleEntry) Clone() ScheduleEntry {
	c := e
	if e.Boolean != nil {
		b := *e.Boolean
		c.Boolean = &b
	}
	if e.PercentageOfActors != nil {
		p := *e.PercentageOfActors
		c.PercentageOfActors = &p
	}
	if e.PercentageOfTime != nil {
		p := *e.PercentageOfTime
		c.PercentageOfTime = &p
	}
	c.Actors = slices.Clone(e.Actors)
	c.Groups = slices.Clone(e.Groups)
	c.Pos = Pos{}
	return c
}

// String describes the entry's change in words: "on", "off",
// "percentage_of_actors 25%", "actor user:42 on".
func (e ScheduleEntry) String() string {
	var parts []string
	if e.Boolean != nil {
		parts = append(parts, onOff(*e.Boolean))
	}
	for _, g := range e.Actors {
		parts = append(parts, fmt.Sprintf("actor %s %s", g.ID, onOff(g.Enabled)))
	}
	for _, g := range e.Groups {
		parts = append(parts, fmt.Sprintf("group %s %s", g.ID, onOff(g.Enabled)))
	}
	if e.PercentageOfActors != nil {
		parts = append(parts, "percentage_of_actors "+pctOrOff(*e.PercentageOfActors))
	}
	if e.PercentageOfTime != nil {
		parts = append(parts, "percentage_of_time "+pctOrOff(*e.PercentageOfTime))
	}
	return strings.Join(parts, ", ")
}

func pctOrOff(p Percent) string {
	if p == 0 {
		return "removed"
	}
	return p.String()
}

// apply applies the entry to fl's gates.
func (e ScheduleEntry) apply(fl *Flag) {
	if e.Boolean != nil {
		b := *e.Boolean
		fl.Boolean = &b
	}
	for _, g := range e.Actors {
		fl.Actors = setGate(fl.Actors, g.ID, g.Enabled)
	}
	for _, g := range e.Groups {
		fl.Groups = setGate(fl.Groups, g.ID, g.Enabled)
	}
	if e.PercentageOfActors != nil {
		fl.PercentageOfActors, fl.PercentageOfTime = *e.PercentageOfActors, 0
		fl.RampOfActors, fl.RampOfTime = nil, nil
	}
	if e.PercentageOfTime != nil {
		fl.PercentageOfActors, fl.PercentageOfTime = 0, *e.PercentageOfTime
		fl.RampOfActors, fl.RampOfTime = nil, nil
	}
}

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

// LastChange returns the time after which the flag's gates no longer change: the
// last schedule entry or the end of the last ramp in effect. ok is false for a
// flag that is not timed.
func (f *Flag) LastChange() (time.Time, bool) {
	var last time.Time
	found := false
	consider := func(t time.Time) {
		if !found || t.After(last) {
			last, found = t, true
		}
	}
	if len(f.Schedule) > 0 {
		consider(f.Schedule[len(f.Schedule)-1].At)
	}
	// Ramps that are in effect after the last entry.
	cur := f.Clone()
	cur.Schedule = nil
	for _, e := range f.Schedule {
		e.apply(cur)
	}
	for _, r := range []*Ramp{cur.RampOfActors, cur.RampOfTime} {
		if r != nil {
			_, at := r.Final()
			consider(at)
		}
	}
	return last, found
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

// Change is one point of a flag's timeline.
type Change struct {
	At time.Time
	// What says what changes, in words.
	What string
}

// Timeline lists the flag's dated changes in time order: ramp starts, steps and
// ends, and schedule entries.
func (f *Flag) Timeline() []Change {
	var out []Change
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
				out = append(out, Change{s.At, fmt.Sprintf("%s %s (step)", k.name, s.Value)})
			}
			continue
		}
		out = append(out, Change{r.Start, fmt.Sprintf("%s ramp starts at %s", k.name, r.From)},
			Change{r.End, fmt.Sprintf("%s ramp reaches %s", k.name, r.To)})
	}
	for _, e := range f.Schedule {
		out = append(out, Change{e.At, "scheduled: " + e.String()})
	}
	slices.SortStableFunc(out, func(a, b Change) int { return a.At.Compare(b.At) })
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

// parseSchedule parses the schedule key of a flag.
func (fl *Flag) parseSchedule(v *node, pos func(l, c int) Pos, add func(*node, string, ...any)) {
	if v.Kind != yaml.SequenceNode {
		add(v, "schedule must be a list of entries (- at: TIME, then the gates to set), found %s", describe(v))
		return
	}
	out := []ScheduleEntry{}
	for i, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			add(item, "schedule[%d] must be a mapping with at and the gates to set, found %s", i, describe(item))
			continue
		}
		e := ScheduleEntry{Pos: pos(item.Line, item.Column)}
		ok, hasAt, changes := true, false, false
		seen := map[string]bool{}
		var pctKeys []*node
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, val := item.Content[j], item.Content[j+1]
			if seen[k.Value] {
				add(k, "schedule[%d]: duplicate key %q; remove one of them", i, k.Value)
				ok = false
				continue
			}
			seen[k.Value] = true
			switch k.Value {
			case "at":
				t, err := parseTimeNode(val)
				if err != nil {
					add(val, "schedule[%d].at: %v", i, err)
					ok = false
					continue
				}
				e.At, hasAt = t, true
			case "enabled":
				b, msg := parseBool(val)
				if msg != "" {
					add(val, "schedule[%d].enabled: %s", i, msg)
					ok = false
					continue
				}
				e.Boolean, changes = &b, true
			case "actors", "groups":
				var probs ErrorList
				gates := fl.parseGates(k.Value, val, func(n *node, format string, args ...any) {
					probs.Add(pos(n.Line, n.Column), fl.Name, "schedule[%d].%s", i, fmt.Sprintf(format, args...))
				})
				if len(probs) > 0 {
					fl.Problems = append(fl.Problems, probs...)
					ok = false
					continue
				}
				if k.Value == "actors" {
					e.Actors = gates
				} else {
					e.Groups = gates
				}
				changes = changes || len(gates) > 0
			case "percentage_of_actors", "percentage_of_time":
				p, err := parseRampPercent(val)
				if err != nil {
					add(val, "schedule[%d].%s: %v (a ramp cannot be scheduled; 0%% removes the gate)", i, k.Value, err)
					ok = false
					continue
				}
				pctKeys = append(pctKeys, k)
				if k.Value == "percentage_of_actors" {
					e.PercentageOfActors = &p
				} else {
					e.PercentageOfTime = &p
				}
				changes = true
			default:
				add(k, "schedule[%d]: unknown key %q; an entry has at and any of enabled, actors, groups, percentage_of_actors, percentage_of_time%s", i, k.Value, DidYouMean(k.Value, scheduleKeys))
				ok = false
			}
		}
		if len(pctKeys) == 2 {
			add(pctKeys[1], "schedule[%d] sets both percentage_of_actors and percentage_of_time; keep one", i)
			ok = false
		}
		if !hasAt && ok {
			add(item, "schedule[%d] has no at; add \"at: 2026-12-24T18:00:00+01:00\" (RFC 3339 with a zone)", i)
			ok = false
		}
		if !changes && ok {
			add(item, "schedule[%d] changes nothing; set enabled, actors, groups or a percentage", i)
			ok = false
		}
		if !ok {
			continue
		}
		if n := len(out); n > 0 && e.At.Before(out[n-1].At) {
			add(item, "schedule[%d] at %s is before the entry above it (%s); list entries in time order", i, FormatTime(e.At), FormatTime(out[n-1].At))
			continue
		}
		out = append(out, e)
	}
	fl.Schedule = out
	if len(out) == 0 {
		fl.Schedule = nil
	}
}

// renderSchedule writes the schedule as the lines of the schedule key (without
// the key line), the "- " of each entry at indent.
func renderSchedule(es []ScheduleEntry, indent, unit int) []string {
	var out []string
	for _, e := range es {
		out = append(out, renderEntry(e, indent, unit)...)
	}
	return out
}

// renderEntry writes one entry: "- at: …" then its keys in canonical order.
func renderEntry(e ScheduleEntry, indent, unit int) []string {
	p := pad(indent)
	q := pad(indent + 2)
	out := []string{p + "- at: " + FormatTime(e.At)}
	if e.Boolean != nil {
		out = append(out, q+"enabled: "+fmt.Sprint(*e.Boolean))
	}
	for _, kg := range []struct {
		key   string
		gates []Gate
	}{{"actors", e.Actors}, {"groups", e.Groups}} {
		if len(kg.gates) == 0 {
			continue
		}
		out = append(out, q+kg.key+":")
		for _, g := range kg.gates {
			out = append(out, renderGate(g, indent+2+unit, quoteMinimal))
		}
	}
	if e.PercentageOfActors != nil {
		out = append(out, q+"percentage_of_actors: "+e.PercentageOfActors.String())
	}
	if e.PercentageOfTime != nil {
		out = append(out, q+"percentage_of_time: "+e.PercentageOfTime.String())
	}
	return out
}

// sameSchedule reports whether two schedules are written alike.
func sameSchedule(a, b []ScheduleEntry) bool {
	return strings.Join(renderSchedule(a, 0, 2), "\n") == strings.Join(renderSchedule(b, 0, 2), "\n")
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
