package flagdiff

import (
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// pctOrRamp describes a percentage gate: its plain value, or its ramp in words.
func pctOrRamp(plain string, r *flagfile.Ramp) string {
	if r != nil {
		return r.String()
	}
	return plain
}

// scheduleItems lists the schedule entries added, removed or changed from a to
// b, keyed by their time: "+ schedule 2026-12-24T18:00:00+01:00 on".
func scheduleItems(a, b *flagfile.Flag) []Item {
	entries := func(fl *flagfile.Flag) (map[string]string, []string) {
		m := map[string]string{}
		var order []string
		for _, e := range fl.Schedule {
			k := flagfile.FormatTime(e.At)
			if _, ok := m[k]; !ok {
				order = append(order, k)
				m[k] = e.String()
			} else {
				m[k] += "; then " + e.String()
			}
		}
		return m, order
	}
	am, aOrder := entries(a)
	bm, bOrder := entries(b)
	var out []Item
	for _, k := range aOrder {
		if to := bm[k]; to != am[k] {
			out = append(out, Item{Field: "schedule", Key: k, From: am[k], To: to})
		}
	}
	for _, k := range bOrder {
		if _, ok := am[k]; !ok {
			out = append(out, Item{Field: "schedule", Key: k, To: bm[k]})
		}
	}
	return out
}

// describeSchedule says a schedule item in words: "scheduled on at 2026-12-24
// 18:00 +01:00", "unscheduled off at …", "schedule at …: on → off".
func (it Item) describeSchedule() string {
	at := it.Key
	if t, err := flagfile.ParseTime(it.Key); err == nil {
		at = flagfile.HumanTime(t)
	}
	switch {
	case it.From == "":
		return "scheduled " + it.To + " at " + at
	case it.To == "":
		return "unscheduled " + it.From + " at " + at
	}
	return "schedule at " + at + ": " + strings.TrimSpace(it.From) + " → " + it.To
}
