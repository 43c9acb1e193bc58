package flagfile

import (
	"fmt"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// SetRamp sets a percentage gate of the kind named by key ("percentage_of_actors"
// or "percentage_of_time") to a ramp, replacing a plain percentage or ramp of
// either kind.
func SetRamp(name, key string, r *Ramp) Edit {
	return flagEdit(name, fmt.Sprintf("%s of %s: %s", key, name, r), func(fl *Flag) error {
		if err := r.valid(); err != nil {
			return err
		}
		fl.PercentageOfActors, fl.PercentageOfTime, fl.RampOfActors, fl.RampOfTime = 0, 0, nil, nil
		switch key {
		case "percentage_of_actors":
			fl.RampOfActors = r.Clone()
		case "percentage_of_time":
			fl.RampOfTime = r.Clone()
		default:
			return fmt.Errorf("unknown percentage kind %q", key)
		}
		return nil
	})
}

// valid checks a ramp built by code as Parse checks a written one.
func (r *Ramp) valid() error {
	if r.IsSteps() {
		if len(r.Steps) == 0 {
			return fmt.Errorf("a step ramp needs at least one step")
		}
		for i := 1; i < len(r.Steps); i++ {
			if !r.Steps[i].At.After(r.Steps[i-1].At) {
				return fmt.Errorf("ramp steps must be in time order, one per time")
			}
		}
		return nil
	}
	if r.End.Equal(r.Start) {
		return fmt.Errorf("the ramp %s; use a later end", endsAtStart(r))
	}
	if !r.End.After(r.Start) {
		return fmt.Errorf("the ramp ends (%s) before it starts (%s)", FormatTime(r.End), FormatTime(r.Start))
	}
	if r.From == r.To {
		return fmt.Errorf("the ramp goes from %s to %s: nothing changes; set the percentage instead", r.From, r.To)
	}
	if r.From > PercentMax || r.To > PercentMax {
		return fmt.Errorf("ramp values must be at most 100%%")
	}
	return nil
}

// AddScheduleEntry adds a dated change to a flag's schedule, after the entries at
// or before its time. An entry must change something. Adding an entry the
// schedule already holds changes nothing.
func AddScheduleEntry(name string, e ScheduleEntry) Edit {
	return flagEdit(name, fmt.Sprintf("%s: scheduled %s at %s", name, e, FormatTime(e.At)), func(fl *Flag) error {
		if e.At.IsZero() {
			return fmt.Errorf("a schedule entry needs a time")
		}
		if e.String() == "" {
			return fmt.Errorf("a schedule entry must change something: enabled, actors, groups or a percentage")
		}
		if e.PercentageOfActors != nil && e.PercentageOfTime != nil {
			return fmt.Errorf("a schedule entry sets one percentage kind, not both")
		}
		for _, have := range fl.Schedule {
			if sameSchedule([]ScheduleEntry{have}, []ScheduleEntry{e}) {
				return nil // already scheduled
			}
		}
		i := fl.ScheduleIndex(e.At)
		fl.Schedule = slices.Insert(slices.Clone(fl.Schedule), i, e.Clone())
		return nil
	})
}

// ClearSchedule removes a flag's schedule.
func ClearSchedule(name string) Edit {
	return flagEdit(name, name+": clear schedule", func(fl *Flag) error {
		fl.Schedule = nil
		return nil
	})
}

// InEffect returns e applied to the gates in effect at now: the schedule
// entries of e's flag that have taken effect by now (and its ramps that have
// ended) are first folded into its plain gates, as FoldSchedule does, so that
// an entry already passed does not override the edit (a "disable" that leaves
// the flag on). Entries still to come stay and apply later. The description is
// e's. An edit of several flags, or of none, is returned as it is.
func InEffect(e Edit, now time.Time) Edit {
	if len(e.flags) != 1 {
		return e
	}
	name, inner := e.flags[0], e.apply
	e.apply = func(m *model) error {
		if fl, err := m.find(name); err == nil && fl.ScheduleIndex(now) > 0 {
			fl.foldSchedule(now)
		}
		return inner(m)
	}
	return e
}

// timedStep makes one splice that brings the ramps and the schedule of have
// closer to w. ok is false when they already agree.
func (r *reconciler) timedStep(f *File, have, w *Flag) (*File, bool, error) {
	for _, key := range []string{"percentage_of_actors", "percentage_of_time"} {
		hr, wr := rampOf(have, key), rampOf(w, key)
		if hr.Equal(wr) {
			continue
		}
		if hr != nil && wr != nil && !hr.IsSteps() && !wr.IsSteps() {
			// A linear ramp changed: replace the changed values in place, keeping
			// comments and layout.
			if nf, ok, err := r.rampValues(f, have, key, wr); ok || err != nil {
				return nf, true, err
			}
		}
		if hr != nil {
			nf, err := r.removeKey(f, have, key)
			return nf, true, err
		}
		// wr != nil: make room for it, then insert it.
		if scalarValue(have, key) != "" {
			nf, err := r.removeKey(f, have, key)
			return nf, true, err
		}
		other := otherPercentage(key)
		if k, _ := entry(have, other); k != nil && rampOf(w, other) == nil && scalarValue(w, other) == "" {
			nf, err := r.removeKey(f, have, other)
			return nf, true, err
		}
		nf, err := r.insertKey(f, have, key, renderKey(w, key, 0, f.unit(), styleHint{}))
		return nf, true, err
	}
	if sameSchedule(have.Schedule, w.Schedule) {
		return f, false, nil
	}
	k, seq := entry(have, "schedule")
	switch {
	case len(w.Schedule) == 0:
		nf, err := r.removeKey(f, have, "schedule")
		return nf, true, err
	case k == nil:
		nf, err := r.insertKey(f, have, "schedule", renderKey(w, "schedule", 0, f.unit(), styleHint{}))
		return nf, true, err
	}
	dash, ok := f.dashIndent(seq)
	if ok && len(w.Schedule) == len(have.Schedule)+1 {
		// One entry added: insert its lines, keeping the others and their comments.
		i := 0
		for i < len(have.Schedule) && sameSchedule(have.Schedule[i:i+1], w.Schedule[i:i+1]) {
			i++
		}
		if sameSchedule(have.Schedule[i:], w.Schedule[i+1:]) {
			ls := renderEntry(w.Schedule[i], dash, f.unit())
			var nf *File
			var err error
			if i < len(seq.Content) {
				nf, err = r.insertAfter(f, f.itemHead(seq.Content[i], dash)-1, ls)
			} else {
				nf, err = r.insertAfter(f, f.itemEnd(seq.Content[len(seq.Content)-1]), ls)
			}
			return nf, true, err
		}
	}
	if ok && len(w.Schedule)+1 == len(have.Schedule) {
		// One entry removed: delete its lines.
		i := 0
		for i < len(w.Schedule) && sameSchedule(have.Schedule[i:i+1], w.Schedule[i:i+1]) {
			i++
		}
		if sameSchedule(have.Schedule[i+1:], w.Schedule[i:]) {
			item := seq.Content[i]
			nf, err := r.deleteLines(f, f.itemHead(item, dash), f.itemEnd(item))
			return nf, true, err
		}
	}
	nf, err := r.removeKey(f, have, "schedule")
	return nf, true, err
}

// rampValues replaces one changed value of a block-style linear ramp in place.
// ok is false when the ramp is not written so.
func (r *reconciler) rampValues(f *File, have *Flag, key string, w *Ramp) (*File, bool, error) {
	_, v := entry(have, key)
	if v == nil || v.Kind != yaml.MappingNode || len(v.Content) != 2 || v.Content[0].Value != "ramp" {
		return nil, false, nil
	}
	m := v.Content[1]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return nil, false, nil
	}
	hr := rampOf(have, key)
	for i := 0; i+1 < len(m.Content); i += 2 {
		sk, sv := m.Content[i], m.Content[i+1]
		if want := rampValue(w, sk.Value); want != rampValue(hr, sk.Value) {
			nf, err := r.replaceScalar(f, sk, sv, want)
			return nf, true, err
		}
	}
	return nil, false, nil
}

func rampOf(fl *Flag, key string) *Ramp {
	if key == "percentage_of_time" {
		return fl.RampOfTime
	}
	return fl.RampOfActors
}

// dashIndent returns the indentation of the "- " of a block sequence's items, or
// false when the sequence is not in the simple "- key: value" block form.
func (f *File) dashIndent(seq *node) (int, bool) {
	if seq == nil || seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return 0, false
	}
	dash := -1
	for _, item := range seq.Content {
		if item.Kind != yaml.MappingNode || item.Style&yaml.FlowStyle != 0 || item.Column < 3 {
			return 0, false
		}
		off := f.offset(item.Line, item.Column-2)
		if off < 0 || off+1 >= len(f.src) || f.src[off] != '-' || f.src[off+1] != ' ' {
			return 0, false
		}
		if dash >= 0 && dash != item.Column-3 {
			return 0, false
		}
		dash = item.Column - 3
	}
	return dash, true
}

// itemHead returns the first line of a sequence item with the comment block
// directly above its dash.
func (f *File) itemHead(item *node, dash int) int {
	first := item.Line - 1
	for first > 0 && f.isComment(first-1) && f.indentOf(first-1) == dash {
		first--
	}
	return first
}

// itemEnd returns the last line of a block mapping item of a sequence.
func (f *File) itemEnd(item *node) int {
	last := item.Line - 1
	for i := 0; i+1 < len(item.Content); i += 2 {
		last = max(last, f.extent(item.Content[i]))
	}
	return last
}

// ApplySchedule returns the edits that fold, in every timed flag of f, what has
// taken effect by now into the plain gates (see FoldSchedule). It returns no
// edits when nothing has passed.
func (f *File) ApplySchedule(now time.Time) []Edit {
	var out []Edit
	for _, fl := range f.Flags {
		if !fl.Timed() {
			continue
		}
		c := fl.Clone()
		c.foldSchedule(now)
		if !equalFlag(c, fl) {
			out = append(out, FoldSchedule(fl.Name, now))
		}
	}
	return out
}
