package flagfile

import (
	"slices"
	"strings"
)

// sortedGates returns the gates sorted by ID (nil when empty): gate order has no
// meaning, so models compare without it.
func sortedGates(gs []Gate) []Gate {
	if len(gs) == 0 {
		return nil
	}
	out := slices.Clone(gs)
	slices.SortFunc(out, func(a, b Gate) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// sameModel reports whether two flag lists mean the same, ignoring positions,
// layout and the order of gates.
func sameModel(a, b []*Flag) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalFlag(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalFlag(a, b *Flag) bool {
	if a.Name != b.Name || a.Description != b.Description || a.Owner != b.Owner || a.Kind != b.Kind ||
		a.Created != b.Created || a.Expires != b.Expires ||
		a.PercentageOfActors != b.PercentageOfActors || a.PercentageOfTime != b.PercentageOfTime || a.Bucketing != b.Bucketing ||
		(a.Boolean == nil) != (b.Boolean == nil) || a.Boolean != nil && *a.Boolean != *b.Boolean {
		return false
	}
	return sameGates(a.Actors, b.Actors) && sameGates(a.Groups, b.Groups) &&
		a.RampOfActors.Equal(b.RampOfActors) && a.RampOfTime.Equal(b.RampOfTime) && sameSchedule(a.Schedule, b.Schedule)
}

// sameGates compares gate lists as sets (IDs are unique within a list).
func sameGates(a, b []Gate) bool {
	if len(a) != len(b) {
		return false
	}
	if slices.Equal(a, b) {
		return true
	}
	return slices.Equal(sortedGates(a), sortedGates(b))
}

// Equal reports whether two flags have the same gates and metadata.
func (f *Flag) Equal(g *Flag) bool { return sameModel([]*Flag{f}, []*Flag{g}) }

// SameGates reports whether two flags have the same gates, ignoring metadata.
func (f *Flag) SameGates(g *Flag) bool {
	a, b := &Flag{}, &Flag{}
	copyGates(a, f)
	copyGates(b, g)
	return a.Equal(b)
}
