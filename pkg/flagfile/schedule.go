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
