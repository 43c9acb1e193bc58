package flagfile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// timed prints a ramp or a schedule in canonical form: block style, values
// canonical (times RFC 3339 in their own zone, percentages 25%), keys in their
// written order. Comment lines and line comments are kept, as for gates; inside
// flow-style parts ({...}, [...]) they are not, as for flow-style flags.
func (p *printer) timed(fl *Flag, k, v *node, indent int) {
	ls := renderKey(fl, k.Value, indent, 2, styleHint{})
	if v.Style&yaml.FlowStyle != 0 || !p.timedBlock(fl, k, v, indent) {
		p.line(indent, ls[0][indent:], k, nil)
		p.out = append(p.out, ls[1:]...)
		p.next = max(p.next, p.f.extent(k)+1)
	}
}

// timedBlock prints a block-style ramp or schedule, keeping comments; false (and
// nothing printed) when the source does not line up with the model.
func (p *printer) timedBlock(fl *Flag, k, v *node, indent int) bool {
	if k.Value == "schedule" {
		if v.Kind != yaml.SequenceNode || len(v.Content) != len(fl.Schedule) {
			return false
		}
		p.line(indent, "schedule:", k, nil)
		for i, item := range v.Content {
			p.entry(item, indent+2, func(key string, val *node) []string { return entryValue(fl.Schedule[i], key, indent+4) })
		}
		p.next = max(p.next, p.f.extent(k)+1)
		return true
	}
	r := rampOf(fl, k.Value)
	if r == nil || v.Kind != yaml.MappingNode || len(v.Content) != 2 {
		return false
	}
	rk, rv := v.Content[0], v.Content[1]
	if rv.Style&yaml.FlowStyle != 0 {
		return false
	}
	p.line(indent, k.Value+":", k, nil)
	p.gap(rk, indent+2)
	p.line(indent+2, rk.Value+":", rk, nil)
	if rk.Value == "ramp" {
		for i := 0; i+1 < len(rv.Content); i += 2 {
			sk, sv := rv.Content[i], rv.Content[i+1]
			p.gap(sk, indent+4)
			p.line(indent+4, sk.Value+": "+rampValue(r, sk.Value), sk, sv)
		}
	} else {
		if rv.Kind != yaml.SequenceNode || len(rv.Content) != len(r.Steps) {
			return false // cannot happen for a parsed ramp
		}
		for i, item := range rv.Content {
			st := r.Steps[i]
			p.entry(item, indent+4, func(key string, _ *node) []string {
				if key == "at" {
					return []string{FormatTime(st.At)}
				}
				return []string{st.Value.String()}
			})
		}
	}
	p.next = max(p.next, p.f.extent(k)+1)
	return true
}

// entry prints one block mapping item of a sequence, "- " before its first key,
// its keys in written order with their canonical values (value returns the text
// after "key: ", or "" and nested lines for a mapping value).
func (p *printer) entry(item *node, indent int, value func(key string, val *node) []string) {
	p.gap(item, indent)
	if item.Style&yaml.FlowStyle != 0 {
		// A flow item: its keys on block lines (comments inside it are lost).
		for j := 0; j+1 < len(item.Content); j += 2 {
			p.out = append(p.out, entryLines(item.Content[j].Value, value(item.Content[j].Value, item.Content[j+1]), indent, j == 0)...)
		}
		p.next = max(p.next, p.f.itemEnd(item)+1)
		return
	}
	for j := 0; j+1 < len(item.Content); j += 2 {
		sk, sv := item.Content[j], item.Content[j+1]
		if j > 0 {
			p.gap(sk, indent+2)
		}
		ls := entryLines(sk.Value, value(sk.Value, sv), indent, j == 0)
		if len(ls) > 1 && sv.Kind == yaml.MappingNode && sv.Style&yaml.FlowStyle == 0 && len(sv.Content) == 2*(len(ls)-1) {
			// Block gates: one line per gate, with its comments.
			p.line(0, ls[0], sk, nil)
			for g := 0; g+1 < len(sv.Content); g += 2 {
				p.gap(sv.Content[g], indent+4)
				p.line(0, ls[1+g/2], sv.Content[g], sv.Content[g+1])
			}
			continue
		}
		p.line(0, ls[0], sk, sv)
		if len(ls) > 1 {
			p.out = append(p.out, ls[1:]...)
			p.next = max(p.next, p.f.extent(sk)+1)
		}
	}
	p.next = max(p.next, p.f.itemEnd(item)+1)
}

// entryLines renders key and its value lines; the first key of an item takes
// the "- ".
func entryLines(key string, val []string, indent int, first bool) []string {
	lead := pad(indent + 2)
	if first {
		lead = pad(indent) + "- "
	}
	if len(val) == 1 {
		return []string{lead + key + ": " + val[0]}
	}
	return append([]string{lead + key + ":"}, val[1:]...)
}

// entryValue renders the value of key in a schedule entry: a one-element slice
// for a scalar, or "" followed by the nested lines (at indent+2) of a gates
// mapping.
func entryValue(e ScheduleEntry, key string, indent int) []string {
	switch key {
	case "at":
		return []string{FormatTime(e.At)}
	case "enabled":
		if e.Boolean != nil {
			return []string{fmt.Sprint(*e.Boolean)}
		}
	case "percentage_of_actors":
		if e.PercentageOfActors != nil {
			return []string{e.PercentageOfActors.String()}
		}
	case "percentage_of_time":
		if e.PercentageOfTime != nil {
			return []string{e.PercentageOfTime.String()}
		}
	case "actors", "groups":
		gates := e.Actors
		if key == "groups" {
			gates = e.Groups
		}
		if len(gates) == 0 {
			return []string{"{}"}
		}
		out := []string{""}
		for _, g := range gates {
			out = append(out, renderGate(g, indent+2, quoteMinimal))
		}
		return out
	}
	return []string{`""`}
}

// rampValue renders a linear ramp's field.
func rampValue(r *Ramp, key string) string {
	switch key {
	case "from":
		return r.From.String()
	case "to":
		return r.To.String()
	case "start":
		return FormatTime(r.Start)
	case "end":
		return FormatTime(r.End)
	}
	return strings.TrimSpace(key)
}
