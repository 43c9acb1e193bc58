// Package flagdiff compares flag files semantically: which flags were added or
// removed, which gates and metadata changed. Formatting and comments are not
// changes; a file whose bytes differ without a semantic change is reported as
// such.
package flagdiff

import (
	"fmt"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Change kinds of a flag.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Item is one changed gate or metadata field. From and To are "" when the gate
// or field is absent on that side.
type Item struct {
	// Field is a metadata field ("owner"), "boolean", "actor", "group",
	// "percentage_of_actors", "percentage_of_time" (a plain value or a ramp in
	// words), "schedule" or "bucketing".
	Field string `json:"field"`
	// Key is the actor ID or group name for actor and group gates, and the time
	// (RFC 3339) of a schedule entry.
	Key  string `json:"key,omitempty"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// IsGate reports whether the item is a gate (not metadata).
func (it Item) IsGate() bool {
	switch it.Field {
	case "boolean", "actor", "group", "percentage_of_actors", "percentage_of_time", "schedule", "bucketing":
		return true
	}
	return false
}

// String renders the item: "boolean off → on", "+ actor user:42 on",
// "- group beta (was on)", "owner a → b", "scheduled on at 2026-12-24 18:00
// +01:00".
func (it Item) String() string {
	if it.Field == "schedule" {
		return it.describeSchedule() // timed.go
	}
	name := it.Field
	if it.Key != "" {
		name += " " + it.Key
	}
	switch {
	case it.From == "":
		return "+ " + name + " " + it.To
	case it.To == "":
		return "- " + name + " (was " + it.From + ")"
	}
	return name + " " + it.From + " → " + it.To
}

// FlagChange is what changed in one flag of one environment.
type FlagChange struct {
	Flag string `json:"flag"`
	Env  string `json:"env"`
	// Type is Added, Removed or Changed.
	Type  string `json:"type"`
	Items []Item `json:"items,omitempty"`
}

// GateChanged reports whether any gate changed (or the flag came or went).
func (c FlagChange) GateChanged() bool {
	if c.Type != Changed {
		return true
	}
	for _, it := range c.Items {
		if it.IsGate() {
			return true
		}
	}
	return false
}

// String renders the change on one line:
// "new_checkout_enabled [production]: boolean off → on; + actor user:42 on".
func (c FlagChange) String() string {
	var parts []string
	for _, it := range c.Items {
		parts = append(parts, it.String())
	}
	head := fmt.Sprintf("%s [%s]", c.Flag, c.Env)
	switch c.Type {
	case Added:
		return head + ": added" + suffix(parts)
	case Removed:
		return head + ": removed" + suffix(parts)
	}
	return head + ": " + strings.Join(parts, "; ")
}

func suffix(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// Files compares two versions of one environment's file; nil means the file does
// not exist on that side. Flags keep the order of the new file (removed ones in
// the order of the old).
func Files(env string, old, new *flagfile.File) []FlagChange {
	var out []FlagChange
	for _, nf := range flagsOf(new) {
		var of *flagfile.Flag
		if old != nil {
			of = old.Flag(nf.Name)
		}
		if of == nil {
			out = append(out, FlagChange{Flag: nf.Name, Env: env, Type: Added, Items: Flags(&flagfile.Flag{}, nf)})
			continue
		}
		if items := Flags(of, nf); len(items) > 0 {
			out = append(out, FlagChange{Flag: nf.Name, Env: env, Type: Changed, Items: items})
		}
	}
	gone := map[string]bool{} // a duplicated name is removed once
	for _, of := range flagsOf(old) {
		if (new == nil || new.Flag(of.Name) == nil) && !gone[of.Name] {
			gone[of.Name] = true
			out = append(out, FlagChange{Flag: of.Name, Env: env, Type: Removed})
		}
	}
	return out
}

func flagsOf(f *flagfile.File) []*flagfile.Flag {
	if f == nil {
		return nil
	}
	return f.Flags
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// Flags lists what changed from a to b: metadata first, then gates.
func Flags(a, b *flagfile.Flag) []Item {
	var out []Item
	str := func(field, from, to string) {
		if from != to {
			out = append(out, Item{Field: field, From: from, To: to})
		}
	}
	str("description", a.Description, b.Description)
	str("owner", a.Owner, b.Owner)
	str("kind", string(a.Kind), string(b.Kind))
	str("created", a.Created.String(), b.Created.String())
	str("expires", a.Expires.String(), b.Expires.String())
	boolStr := func(p *bool) string {
		if p == nil {
			return ""
		}
		return onOff(*p)
	}
	str("boolean", boolStr(a.Boolean), boolStr(b.Boolean))
	gates := func(field string, ga, gb []flagfile.Gate, inA, inB func(string) (bool, bool)) {
		for _, g := range ga {
			to := ""
			if on, ok := inB(g.ID); ok {
				to = onOff(on)
			}
			if from := onOff(g.Enabled); from != to {
				out = append(out, Item{Field: field, Key: g.ID, From: from, To: to})
			}
		}
		for _, g := range gb {
			if _, ok := inA(g.ID); !ok {
				out = append(out, Item{Field: field, Key: g.ID, To: onOff(g.Enabled)})
			}
		}
	}
	gates("actor", a.Actors, b.Actors, a.Actor, b.Actor)
	gates("group", a.Groups, b.Groups, a.Group, b.Group)
	pct := func(p flagfile.Percent) string {
		if p == 0 {
			return ""
		}
		return p.String()
	}
	str("percentage_of_actors", pctOrRamp(pct(a.PercentageOfActors), a.RampOfActors), pctOrRamp(pct(b.PercentageOfActors), b.RampOfActors))
	str("percentage_of_time", pctOrRamp(pct(a.PercentageOfTime), a.RampOfTime), pctOrRamp(pct(b.PercentageOfTime), b.RampOfTime))
	str("bucketing", string(a.Bucketing), string(b.Bucketing))
	return append(out, scheduleItems(a, b)...) // timed.go
}
