package importer

import (
	"math"
	"strconv"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// FunWithFlags stores every gate as one record: a Redis hash field
// ("actor/user:42" → "true") or a row of fun_with_flags_toggles (gate_type
// "actor", target "user:42", enabled true). fwfToggle is one of them.
type fwfToggle struct {
	Flag    string
	Type    string // boolean, actor, group, percentage
	Target  string // actor ID, group name, "time/RATIO" or "actors/RATIO"
	Enabled bool
	// Where is the record's position in the source: "key fun_with_flags:NAME
	// field actor/user:42", "12" (a CSV line).
	Where string
}

// fwfBuilder collects toggles flag by flag, in the order flags first appear.
type fwfBuilder struct {
	source string
	env    string
	order  []string
	flags  map[string]*fwfFlag
}

type fwfFlag struct {
	fl      *flagfile.Flag
	model   *FWFGates
	where   string // position of the flag's first record
	created flagfile.Date
}

func newFWFBuilder(source, env string) *fwfBuilder {
	return &fwfBuilder{source: source, env: env, flags: map[string]*fwfFlag{}}
}

// flag returns the flag called name, creating it at position where.
func (b *fwfBuilder) flag(name, where string) *fwfFlag {
	f := b.flags[name]
	if f == nil {
		f = &fwfFlag{fl: &flagfile.Flag{}, model: &FWFGates{Flag: name, Actors: map[string]bool{}}, where: where}
		b.flags[name] = f
		b.order = append(b.order, name)
	}
	return f
}

// add applies one toggle; a malformed one is a SourceError.
func (b *fwfBuilder) add(t fwfToggle) error {
	f := b.flag(t.Flag, t.Where)
	fl, m := f.fl, f.model
	switch t.Type {
	case "boolean":
		fl.Boolean, m.Boolean = ptr(t.Enabled), ptr(t.Enabled)
	case "actor":
		if strings.TrimSpace(t.Target) == "" {
			return sourceErr(b.source, t.Where, "actor gate with an empty actor ID")
		}
		if _, dup := m.Actors[t.Target]; dup {
			return sourceErr(b.source, t.Where, "actor gate of %q listed twice; keep one of the rows", t.Target)
		}
		fl.Actors = append(fl.Actors, flagfile.Gate{ID: t.Target, Enabled: t.Enabled})
		m.Actors[t.Target] = t.Enabled
	case "group":
		if strings.TrimSpace(t.Target) == "" {
			return sourceErr(b.source, t.Where, "group gate with an empty group name")
		}
		for _, g := range m.Groups {
			if g.Name == t.Target {
				return sourceErr(b.source, t.Where, "group gate of %q listed twice; keep one of the rows", t.Target)
			}
		}
		fl.Groups = append(fl.Groups, flagfile.Gate{ID: t.Target, Enabled: t.Enabled})
		m.Groups = append(m.Groups, GroupGate{Name: t.Target, Enabled: t.Enabled})
	case "percentage":
		kind, ratio, ok := strings.Cut(t.Target, "/")
		r, err := strconv.ParseFloat(ratio, 64)
		if !ok || err != nil || (kind != "time" && kind != "actors") || math.IsNaN(r) {
			return sourceErr(b.source, t.Where, "percentage gate %q: expected time/RATIO or actors/RATIO, e.g. actors/0.25", t.Target)
		}
		if r <= 0 || r > 1 {
			return sourceErr(b.source, t.Where, "percentage gate %q: the ratio must be greater than 0 and at most 1", t.Target)
		}
		if kind == "actors" {
			m.PctActors, m.PctTime = r, 0
			fl.PercentageOfActors, fl.PercentageOfTime = fwfActorsPercent(r), 0
		} else {
			m.PctTime, m.PctActors = r, 0
			fl.PercentageOfTime, fl.PercentageOfActors = fwfTimePercent(r), 0
		}
	default:
		return sourceErr(b.source, t.Where, "unknown gate type %q; FunWithFlags writes boolean, actor, group and percentage", t.Type)
	}
	return nil
}

// result translates the collected flags. Flag names that are not valid flagctl
// names are renamed and reported; precision loss of percentage_of_time is
// reported (percentage_of_actors is always exact, see fwfActorsPercent).
func (b *fwfBuilder) result() *Result {
	res := NewResult(b.source)
	taken := validNames(b.order)
	for _, name := range b.order {
		f := b.flags[name]
		where := b.source + ":" + f.where
		newName, same := FlagName(name)
		if prev, dup := taken[newName]; dup && prev != name {
			res.Report(where, b.env, newName, "flag %q becomes %q, like flag %q; not imported: rename one of them first", name, newName, prev)
			continue
		}
		taken[newName] = name
		f.fl.Name = newName
		if !same {
			msg := "FunWithFlags flag %q is imported as %q (flag names are lower-case letters, digits and _): change the name in code"
			if f.fl.PercentageOfActors != 0 {
				msg += "; percentage-of-actors cohorts change with the name"
			}
			res.Report(where, b.env, newName, msg, name, newName)
		}
		if m := f.model; m.PctTime > 0 {
			if got := f.fl.PercentageOfTime.Float(); got != m.PctTime && math.Abs(got-m.PctTime) > 1e-12 {
				res.Report(where, b.env, newName, "percentage_of_time %v rounded to %s (flagctl keeps three decimals of a percent)", m.PctTime, f.fl.PercentageOfTime)
			}
		}
		f.fl.Created = f.created
		res.Add(b.env, f.fl, f.model)
	}
	return res
}

// fwfActorsPercent picks the percentage that opens exactly the actors
// FunWithFlags' ratio opens. FunWithFlags compares score = n/65536 (n the first
// two bytes of the SHA-256) with score <= ratio; flagctl opens n when
// n*100000 <= p*65536. Both open n = 0..K with K = floor(ratio*65536), and every
// K has a p (the interval for p is 100000/65536 > 1 wide), the one nearest to
// the ratio is taken.
func fwfActorsPercent(r float64) flagfile.Percent {
	if r >= 1 {
		return flagfile.PercentMax
	}
	k := int64(math.Floor(r * 65536))
	if k >= 65535 {
		k = 65535
	}
	lo := (k*100000 + 65535) / 65536 // ceil(k*100000/65536)
	hi := ((k+1)*100000 - 1) / 65536 // largest p with p*65536 < (k+1)*100000
	p := min(max(int64(math.Round(r*100000)), lo, 1), hi)
	if k == 65535 {
		p = min(max(int64(math.Round(r*100000)), lo), 100000)
	}
	return flagfile.Percent(p)
}

// fwfTimePercent rounds a ratio to flagctl's precision (at least 0.001%).
func fwfTimePercent(r float64) flagfile.Percent {
	return flagfile.Percent(min(max(int64(math.Round(r*100000)), 1), 100000))
}
