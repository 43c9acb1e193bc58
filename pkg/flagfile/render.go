package flagfile

import (
	"fmt"
	"strings"
)

// styleHint carries the quoting used by existing siblings.
type styleHint struct {
	actors, groups quoteStyle
}

// renderFlag renders a flag entry in block style at the given indentation.
func renderFlag(fl *Flag, indent, unit int, hint styleHint) []string {
	name := scalar(fl.Name, quoteMinimal)
	if fl.Shorthand && fl.Boolean != nil && onlyBoolean(fl) {
		return []string{fmt.Sprintf("%s%s: %v", pad(indent), name, *fl.Boolean)}
	}
	body := renderBody(fl, indent+unit, unit, hint)
	if len(body) == 0 {
		return []string{pad(indent) + name + ": {}"}
	}
	return append([]string{pad(indent) + name + ":"}, body...)
}

func onlyBoolean(fl *Flag) bool {
	return equalFlag(&Flag{Name: fl.Name, Boolean: fl.Boolean}, fl)
}

// renderBody renders the keys of a flag mapping in canonical order.
func renderBody(fl *Flag, indent, unit int, hint styleHint) []string {
	var out []string
	for _, key := range flagKeys {
		out = append(out, renderKey(fl, key, indent, unit, hint)...)
	}
	return out
}

// renderKey renders one key of a flag mapping, or nothing when it is unset.
func renderKey(fl *Flag, key string, indent, unit int, hint styleHint) []string {
	p := pad(indent)
	line := func(v string) []string { return []string{p + key + ": " + v} }
	switch key {
	case "description":
		if fl.Description != "" {
			return line(scalar(fl.Description, quoteMinimal))
		}
	case "owner":
		if fl.Owner != "" {
			return line(scalar(fl.Owner, quoteMinimal))
		}
	case "kind":
		if fl.Kind != "" {
			return line(scalar(string(fl.Kind), quoteMinimal))
		}
	case "created":
		if !fl.Created.IsZero() {
			return line(fl.Created.String())
		}
	case "expires":
		if !fl.Expires.IsZero() {
			return line(fl.Expires.String())
		}
	case "enabled":
		if fl.Boolean != nil {
			return line(fmt.Sprint(*fl.Boolean))
		}
	case "actors", "groups":
		gates, qs := fl.Actors, hint.actors
		if key == "groups" {
			gates, qs = fl.Groups, hint.groups
		}
		if len(gates) == 0 {
			return nil
		}
		out := []string{p + key + ":"}
		for _, g := range gates {
			out = append(out, renderGate(g, indent+unit, qs))
		}
		return out
	case "percentage_of_actors":
		if fl.RampOfActors != nil {
			return append([]string{p + key + ":"}, fl.RampOfActors.render(indent+unit, unit)...)
		}
		if fl.PercentageOfActors != 0 {
			return line(fl.PercentageOfActors.String())
		}
	case "percentage_of_time":
		if fl.RampOfTime != nil {
			return append([]string{p + key + ":"}, fl.RampOfTime.render(indent+unit, unit)...)
		}
		if fl.PercentageOfTime != 0 {
			return line(fl.PercentageOfTime.String())
		}
	case "schedule":
		if len(fl.Schedule) > 0 {
			return append([]string{p + key + ":"}, renderSchedule(fl.Schedule, indent+unit, unit)...)
		}
	case "bucketing":
		if fl.Bucketing != BucketingDefault {
			return line(string(fl.Bucketing))
		}
	}
	return nil
}

func renderGate(g Gate, indent int, qs quoteStyle) string {
	if qs == quoteMinimal && strings.Contains(g.ID, ":") {
		qs = quoteDouble
	}
	return fmt.Sprintf("%s%s: %v", pad(indent), scalar(g.ID, qs), g.Enabled)
}

// scalarValue renders the value of key in fl as it would appear after "key: ".
func scalarValue(fl *Flag, key string) string {
	ls := renderKey(fl, key, 0, 2, styleHint{})
	if len(ls) != 1 {
		return ""
	}
	_, v, _ := strings.Cut(ls[0], ": ")
	return v
}
