package flagfile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

func (fl *Flag) parseValue(v *node, pos func(l, c int) Pos) {
	add := func(n *node, format string, args ...any) {
		fl.Problems.Add(pos(n.Line, n.Column), fl.Name, format, args...)
	}
	if v.Kind == yaml.ScalarNode {
		if b, msg := parseBool(v); msg == "" {
			fl.Boolean, fl.Shorthand = &b, true
		} else if v.Tag == "!!null" {
			add(v, "flag %q has no value; write \"%s: false\" or give it gates", fl.Name, fl.Name)
		} else {
			add(v, "flag %q must be true, false or a mapping of gates; %s", fl.Name, msg)
		}
		return
	}
	if v.Kind != yaml.MappingNode {
		add(v, "flag %q must be true, false or a mapping of gates, found %s", fl.Name, describe(v))
		return
	}
	var seenKnown uint32          // bit i: flagKeys[i] seen
	var seenOther map[string]bool // unknown keys, rare
	var pctNode [2]*node
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		dup := false
		if r := keyRank(k.Value); r < len(flagKeys) {
			dup = seenKnown&(1<<r) != 0
			seenKnown |= 1 << r
		} else {
			if seenOther == nil {
				seenOther = map[string]bool{}
			}
			dup = seenOther[k.Value]
			seenOther[k.Value] = true
		}
		if dup {
			add(k, "duplicate key %q in flag %q; remove one of them", k.Value, fl.Name)
			continue
		}
		str := func() (string, bool) {
			s, ok := scalarString(val)
			if !ok {
				add(val, "%s must be a string, found %s; quote it", k.Value, describe(val))
			}
			return s, ok
		}
		switch k.Value {
		case "description":
			fl.Description, _ = str()
		case "owner":
			fl.Owner, _ = str()
		case "kind":
			if s, ok := str(); ok {
				fl.Kind = Kind(s)
				if !validKind(fl.Kind) {
					add(val, "unknown kind %q; use one of release, experiment, ops, permission%s", s, DidYouMean(s, kindNames()))
				}
			}
		case "created", "expires":
			d, ok := parseDateNode(val)
			if !ok {
				add(val, "%s: bad date %q; write YYYY-MM-DD, e.g. 2027-01-15", k.Value, val.Value)
			} else if k.Value == "created" {
				fl.Created = d
			} else {
				fl.Expires = d
			}
		case "enabled":
			b, msg := parseBool(val)
			if msg != "" {
				add(val, "enabled: %s", msg)
			} else {
				fl.Boolean = &b
			}
		case "actors", "groups":
			gates := fl.parseGates(k.Value, val, add)
			if k.Value == "actors" {
				fl.Actors = gates
			} else {
				fl.Groups = gates
			}
		case "percentage_of_actors", "percentage_of_time":
			idx := 0
			if k.Value == "percentage_of_time" {
				idx = 1
			}
			pctNode[idx] = k
			if val.Kind == yaml.MappingNode { // a ramp (ramp.go)
				r := parseRamp(k.Value, val, add)
				if r != nil {
					r.Pos = pos(k.Line, k.Column)
				}
				if idx == 0 {
					fl.RampOfActors = r
				} else {
					fl.RampOfTime = r
				}
				continue
			}
			if val.Kind != yaml.ScalarNode || val.Tag == "!!null" || val.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				hint := ""
				if _, err := ParsePercent(val.Value); err == nil && val.Kind == yaml.ScalarNode && val.Tag != "!!null" {
					hint = "; write it without quotes: " + strings.TrimSpace(val.Value)
				}
				add(val, "%s must be a percentage such as 25%% or 0.25, found %s%s", k.Value, describe(val), hint)
				continue
			}
			p, err := ParsePercent(val.Value)
			if err != nil {
				add(val, "%s: %v", k.Value, err)
			} else if idx == 0 {
				fl.PercentageOfActors = p
			} else {
				fl.PercentageOfTime = p
			}
		case "schedule": // schedule.go
			fl.parseSchedule(val, pos, add)
		case "bucketing":
			if s, ok := str(); ok {
				b, err := ParseBucketing(s)
				if err != nil {
					add(val, "%v", err)
				} else {
					fl.Bucketing = b
				}
			}
		default:
			add(k, "unknown key %q in flag %q%s", k.Value, fl.Name, DidYouMean(k.Value, flagKeys))
		}
	}
	if pctNode[0] != nil && pctNode[1] != nil {
		add(pctNode[1], "flag %q sets both percentage_of_actors and percentage_of_time; keep one", fl.Name)
	}
	if !fl.Created.IsZero() && !fl.Expires.IsZero() && fl.Expires.Before(fl.Created) {
		for i := 0; i+1 < len(v.Content); i += 2 {
			if v.Content[i].Value == "expires" {
				add(v.Content[i+1], "expires %s is before created %s; fix one of the dates", fl.Expires, fl.Created)
				break
			}
		}
	}
}

func (fl *Flag) parseGates(key string, v *node, add func(*node, string, ...any)) []Gate {
	what := "actor ID"
	if key == "groups" {
		what = "group name"
	}
	if v.Kind != yaml.MappingNode {
		add(v, "%s must be a mapping of %s to true/false, found %s", key, what, describe(v))
		return nil
	}
	gates := make([]Gate, 0, len(v.Content)/2)
	var seen map[string]bool // for long lists; short ones are scanned
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		id, ok := scalarString(k)
		if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
			add(k, "%s: a %s must be a string", key, what)
			continue
		}
		if !ok {
			id = k.Value
		}
		if strings.TrimSpace(id) == "" {
			add(k, "%s: empty %s; remove the entry or name it", key, what)
			continue
		}
		dup := false
		if len(v.Content) <= 32 {
			_, dup = findGate(gates, id)
		} else {
			if seen == nil {
				seen = make(map[string]bool, len(v.Content)/2)
			}
			dup = seen[id]
			seen[id] = true
		}
		if dup {
			add(k, "%s: duplicate %s %q; remove one of them", key, what, id)
			continue
		}
		b, msg := parseBool(val)
		if msg != "" {
			add(val, "%s %q: %s", what, id, msg)
			continue
		}
		gates = append(gates, Gate{ID: id, Enabled: b})
	}
	return gates
}

// parseBool accepts exactly the plain scalars true and false. The message says how
// to fix anything else.
func parseBool(n *node) (bool, string) {
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		switch n.Value {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
	}
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on", "y":
			return false, fmt.Sprintf("%q is not a boolean here; write true (unquoted)", n.Value)
		case "false", "no", "off", "n":
			return false, fmt.Sprintf("%q is not a boolean here; write false (unquoted)", n.Value)
		}
	}
	return false, fmt.Sprintf("expected true or false, found %s", describe(n))
}

func parseDateNode(n *node) (Date, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!timestamp" && n.Tag != "!!str") {
		return Date{}, false
	}
	d, err := ParseDate(n.Value)
	return d, err == nil
}

func scalarString(n *node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", false
	}
	return n.Value, true
}

func validKind(k Kind) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

func describe(n *node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!timestamp":
			return "the date " + n.Value
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected node"
}
