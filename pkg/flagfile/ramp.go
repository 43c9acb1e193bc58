package flagfile

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Ramp is a percentage gate whose value changes with time, written in place of a
// plain percentage:
//
//	percentage_of_actors:
//	  ramp: {from: 1%, to: 100%, start: 2026-12-07T09:00:00Z, end: 2026-12-14T09:00:00Z}
//
// or as steps:
//
//	percentage_of_actors:
//	  steps:
//	    - {at: 2026-12-07T09:00:00Z, value: 5%}
//	    - {at: 2026-12-08T09:00:00Z, value: 25%}
//
// A linear ramp holds From before Start, rises (or falls) linearly between Start
// and End, and holds To from End on. A step ramp is closed (0%) before its first
// step and holds each step's value from its time on. Values may be 0%, meaning
// the gate is closed.
type Ramp struct {
	// From, To, Start and End describe a linear ramp (Steps is nil).
	From, To   Percent
	Start, End time.Time
	// Steps, when not nil, make this a step ramp, sorted by time.
	Steps []RampStep
	// Pos is the position of the ramp in the file (zero for built ramps).
	Pos Pos
}

// RampStep is one step of a step ramp: from At on, the gate is Value.
type RampStep struct {
	At    time.Time
	Value Percent
}

// IsSteps reports whether the ramp is given as steps.
func (r *Ramp) IsSteps() bool { return r.Steps != nil }

// At returns the ramp's value at time t, in thousandths of a percent. The value
// is monotone in t between consecutive steps, and for a linear ramp over its
// whole span, so an actor once in stays in while the value rises.
func (r *Ramp) At(t time.Time) Percent {
	if r.IsSteps() {
		v := Percent(0)
		for _, s := range r.Steps {
			if s.At.After(t) {
				break
			}
			v = s.Value
		}
		return v
	}
	switch {
	case t.Before(r.Start):
		return r.From
	case !t.Before(r.End):
		return r.To
	}
	el, dur := uint64(t.Sub(r.Start)), uint64(r.End.Sub(r.Start))
	if r.To >= r.From {
		return r.From + Percent(mulDiv(uint64(r.To-r.From), el, dur))
	}
	return r.From - Percent(mulDiv(uint64(r.From-r.To), el, dur))
}

// NextChange returns the first time after t at which At changes, or false when it
// never changes again.
func (r *Ramp) NextChange(t time.Time) (time.Time, bool) {
	if r.IsSteps() {
		cur := r.At(t)
		for _, s := range r.Steps {
			if s.At.After(t) && s.Value != cur {
				return s.At, true
			}
		}
		return time.Time{}, false
	}
	if r.From == r.To || !t.Before(r.End) {
		return time.Time{}, false
	}
	if t.Before(r.Start) {
		t = r.Start // the value holds From until the ramp starts
	}
	// The value is From ± floor(delta·el/dur): it moves to k+1 at the smallest el
	// with delta·el >= (k+1)·dur.
	delta := uint64(r.To - r.From)
	if r.From > r.To {
		delta = uint64(r.From - r.To)
	}
	dur := uint64(r.End.Sub(r.Start))
	el := uint64(t.Sub(r.Start))
	k := mulDiv(delta, el, dur)
	next := mulDivCeil(k+1, dur, delta)
	if next <= el {
		next = el + 1
	}
	n := r.Start.Add(time.Duration(next))
	if n.After(r.End) {
		n = r.End
	}
	if !n.After(t) { // durations saturate past 292 years; never report the past
		n = t.Add(time.Second)
	}
	return n, true
}

// Final returns the value the ramp ends at and the time it gets there.
func (r *Ramp) Final() (Percent, time.Time) {
	if r.IsSteps() {
		last := r.Steps[len(r.Steps)-1]
		return last.Value, last.At
	}
	return r.To, r.End
}

// Down reports whether the ramp lowers the percentage at some point: actors who
// were in drop out.
func (r *Ramp) Down() bool {
	if !r.IsSteps() {
		return r.To < r.From
	}
	for i := 1; i < len(r.Steps); i++ {
		if r.Steps[i].Value < r.Steps[i-1].Value {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of the ramp.
func (r *Ramp) Clone() *Ramp {
	if r == nil {
		return nil
	}
	c := *r
	if r.Steps != nil {
		c.Steps = append([]RampStep{}, r.Steps...)
	}
	return &c
}

// Equal reports whether two ramps (either may be nil) are written alike: same
// values and the same times in the same zones.
func (r *Ramp) Equal(o *Ramp) bool {
	if r == nil || o == nil {
		return r == o
	}
	return strings.Join(r.render(0, 2), "\n") == strings.Join(o.render(0, 2), "\n")
}

// String describes the ramp in words, e.g. "ramp from 1% on 2026-12-07 09:00 UTC
// to 100% on 2026-12-14 09:00 UTC".
func (r *Ramp) String() string {
	if !r.IsSteps() {
		return fmt.Sprintf("ramp from %s on %s to %s on %s", r.From, HumanTime(r.Start), r.To, HumanTime(r.End))
	}
	parts := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		parts[i] = fmt.Sprintf("%s on %s", s.Value, HumanTime(s.At))
	}
	return "steps " + strings.Join(parts, ", ")
}

// parseRampPercent parses a ramp or schedule value: like ParsePercent, and 0%
// (the gate closed) is allowed.
func parseRampPercent(n *node) (Percent, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		return 0, fmt.Errorf("expected a percentage such as 25%% or 0.25, found %s", describe(n))
	}
	s := strings.TrimSpace(n.Value)
	if num, ok := strings.CutSuffix(s, "%"); ok {
		if v, ok := parseDecimal(strings.TrimSpace(num), 3); ok && v == 0 {
			return 0, nil
		}
	} else if v, ok := parseDecimal(s, 5); ok && v == 0 {
		return 0, nil
	}
	return ParsePercent(s)
}

// parseRamp parses the mapping value of a percentage key: {ramp: {...}} or
// {steps: [...]}. add reports a problem at a node.
func parseRamp(key string, v *node, add func(*node, string, ...any)) *Ramp {
	if len(v.Content) != 2 || v.Content[0].Value != "ramp" && v.Content[0].Value != "steps" {
		add(v, "%s must be a percentage (25%%), a ramp (ramp: {from, to, start, end}) or steps (steps: [{at, value}, ...])", key)
		return nil
	}
	k, body := v.Content[0], v.Content[1]
	if k.Value == "steps" {
		return parseSteps(key, body, add)
	}
	if body.Kind != yaml.MappingNode {
		add(body, "%s.ramp must be a mapping with from, to, start and end, found %s", key, describe(body))
		return nil
	}
	r := &Ramp{}
	ok := true
	seen := map[string]*node{}
	for i := 0; i+1 < len(body.Content); i += 2 {
		rk, rv := body.Content[i], body.Content[i+1]
		if seen[rk.Value] != nil {
			add(rk, "%s.ramp: duplicate key %q; remove one of them", key, rk.Value)
			ok = false
			continue
		}
		seen[rk.Value] = rv
		switch rk.Value {
		case "from", "to":
			p, err := parseRampPercent(rv)
			if err != nil {
				add(rv, "%s.ramp.%s: %v", key, rk.Value, err)
				ok = false
			} else if rk.Value == "from" {
				r.From = p
			} else {
				r.To = p
			}
		case "start", "end":
			t, err := parseTimeNode(rv)
			if err != nil {
				add(rv, "%s.ramp.%s: %v", key, rk.Value, err)
				ok = false
			} else if rk.Value == "start" {
				r.Start = t
			} else {
				r.End = t
			}
		default:
			add(rk, "%s.ramp: unknown key %q; a ramp has from, to, start and end%s", key, rk.Value, DidYouMean(rk.Value, []string{"from", "to", "start", "end"}))
			ok = false
		}
	}
	for _, want := range []string{"from", "to", "start", "end"} {
		if seen[want] == nil {
			add(body, "%s.ramp: %s is missing; a ramp has from, to, start and end", key, want)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	if r.End.Equal(r.Start) {
		add(seen["end"], "%s.ramp %s; a ramp needs time to go from %s to %s: use a later end", key, endsAtStart(r), r.From, r.To)
		return nil
	}
	if !r.End.After(r.Start) {
		add(seen["end"], "%s.ramp ends (%s) before it starts (%s); swap start and end, or use a later end", key, FormatTime(r.End), FormatTime(r.Start))
		return nil
	}
	if r.From == r.To {
		add(seen["to"], "%s.ramp goes from %s to %s: nothing changes; write \"%s: %s\" instead", key, r.From, r.To, key, r.To)
		return nil
	}
	return r
}

func parseSteps(key string, v *node, add func(*node, string, ...any)) *Ramp {
	if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		add(v, "%s.steps is empty; list at least one {at: TIME, value: PERCENT}", key)
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		add(v, "%s.steps must be a list of {at: TIME, value: PERCENT}, found %s", key, describe(v))
		return nil
	}
	r := &Ramp{Steps: []RampStep{}}
	ok := true
	for i, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			add(item, "%s.steps[%d] must be a mapping {at: TIME, value: PERCENT}, found %s", key, i, describe(item))
			ok = false
			continue
		}
		var st RampStep
		var hasAt, hasValue, failed bool
		for j := 0; j+1 < len(item.Content); j += 2 {
			sk, sv := item.Content[j], item.Content[j+1]
			switch sk.Value {
			case "at":
				t, err := parseTimeNode(sv)
				if err != nil || hasAt {
					if err == nil {
						err = fmt.Errorf("duplicate key; remove one of them")
					}
					add(sv, "%s.steps[%d].at: %v", key, i, err)
					ok, failed = false, true
					continue
				}
				st.At, hasAt = t, true
			case "value":
				p, err := parseRampPercent(sv)
				if err != nil || hasValue {
					if err == nil {
						err = fmt.Errorf("duplicate key; remove one of them")
					}
					add(sv, "%s.steps[%d].value: %v", key, i, err)
					ok, failed = false, true
					continue
				}
				st.Value, hasValue = p, true
			default:
				add(sk, "%s.steps[%d]: unknown key %q; a step has at and value%s", key, i, sk.Value, DidYouMean(sk.Value, []string{"at", "value"}))
				ok, failed = false, true
			}
		}
		if failed {
			continue
		}
		if !hasAt || !hasValue {
			add(item, "%s.steps[%d] needs both at and value", key, i)
			ok = false
			continue
		}
		if n := len(r.Steps); n > 0 && !st.At.After(r.Steps[n-1].At) {
			add(item, "%s.steps[%d] at %s is not after the step before it (%s); list steps in time order, one per time", key, i, FormatTime(st.At), FormatTime(r.Steps[n-1].At))
			ok = false
		}
		r.Steps = append(r.Steps, st)
	}
	if !ok {
		return nil
	}
	return r
}

// render writes the ramp as the value lines of a percentage key, indented by
// indent with the given unit.
func (r *Ramp) render(indent, unit int) []string {
	p, q := pad(indent), pad(indent+unit)
	if !r.IsSteps() {
		return []string{
			p + "ramp:",
			q + "from: " + r.From.String(),
			q + "to: " + r.To.String(),
			q + "start: " + FormatTime(r.Start),
			q + "end: " + FormatTime(r.End),
		}
	}
	out := []string{p + "steps:"}
	for _, s := range r.Steps {
		out = append(out, q+"- at: "+FormatTime(s.At), q+"  value: "+s.Value.String())
	}
	return out
}

// endsAtStart describes a ramp whose end is its start: "ends at the time it
// starts (T)", with the end written too when it is the same instant in
// another form (another zone).
func endsAtStart(r *Ramp) string {
	end, start := FormatTime(r.End), FormatTime(r.Start)
	if end == start {
		return "ends at the time it starts (" + start + ")"
	}
	return "ends (" + end + ") at the time it starts (" + start + ")"
}
