package eval

import (
	"sort"
	"strconv"
)

// Frozen returns an Evaluator that serves e's current flags for good: later
// reloads and overrides of e do not change it, it does not watch and has no
// observers. A server answers one request from one Frozen evaluator so that the
// flags, their names and Version all come from the same flag set. Frozen costs
// one small allocation; its checks take no lock and allocate nothing.
func (e *Evaluator) Frozen() *Evaluator {
	f := &Evaluator{}
	s := e.snap.Load()
	f.base = s
	f.snap.Store(s)
	return f
}

// Names returns the names of the defined flags, sorted. It allocates: call it
// once per flag set (after a reload), not per check.
func (e *Evaluator) Names() []string {
	s := e.snap.Load()
	out := make([]string, 0, len(s.flags))
	for name := range s.flags {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// SwitchedOff reports whether flag is defined and none of its gates can turn it
// on for anyone: the boolean gate is off, there is no percentage gate and every
// actor and group gate is false. Servers report such flags as disabled.
func (e *Evaluator) SwitchedOff(flag string) bool {
	c := e.snap.Load().flags[flag]
	if c != nil && c.timed != nil {
		c = c.timed.cur.Load() // the gates in effect now (timeline.go)
	}
	if c == nil || c.override || c.boolean || c.pctActors != 0 || c.pctTime != 0 {
		return false
	}
	for _, g := range c.groups {
		if g.on {
			return false
		}
	}
	for on := range c.actors.values {
		if on {
			return false
		}
	}
	return true
}

// TimedState describes where the flags with a ramp or schedule stand on their
// timelines: for each (by name), how many of its timeline points have passed and
// its percentages in effect. It changes exactly when the gates in effect of one
// of them change, and two Evaluators of the same file at the same time return
// the same text, so servers can derive replica-independent ETags from it. It is
// "" without ramps and schedules. It allocates: call it when the timer may have
// fired, not per check.
func (e *Evaluator) TimedState() string {
	s := e.snap.Load()
	var names []string
	for name, c := range s.flags {
		if c.timed != nil {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	var b []byte
	for _, name := range names {
		tf := s.flags[name].timed
		passed, cur := tf.passed.Load(), tf.cur.Load()
		b = append(b, name...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, passed, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, cur.pctActors, 10)
		b = append(b, ' ')
		b = strconv.AppendUint(b, cur.pctTime, 10)
		b = append(b, '\n')
	}
	return string(b)
}
