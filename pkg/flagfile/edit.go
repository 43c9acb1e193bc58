package flagfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An Edit is one change to the model of a flag file. Edits are pure model
// transforms; File.Apply reconciles the source text with the changed model by
// splicing bytes, so comments and layout of everything else survive.
type Edit struct {
	desc  string
	apply func(m *model) error
	// flags names the flags the edit reads or changes; nil means it may touch
	// any, and then Apply needs a file without problems.
	flags []string
	// removes is set for RemoveFlag: the only edit Apply lets touch a flag
	// with problems, since deleting it needs no reading of what it means.
	removes bool
}

// String describes the edit.
func (e Edit) String() string { return e.desc }

// model is the ordered list of flags an Edit transforms. It starts out sharing
// the parsed flags; find hands out a private copy (copy on write), so edits may
// change what it returns and the parsed file stays as it was.
type model struct {
	flags []*Flag
	owned map[*Flag]bool // the copies find made, and flags AddFlag added
	// renames are the flags RenameFlag renamed (old, new), in order; Apply
	// rewrites their keys in place before reconciling the rest.
	renames [][2]string
}

func (m *model) find(name string) (*Flag, error) {
	for i, fl := range m.flags {
		if fl.Name == name {
			if !m.owned[fl] {
				if m.owned == nil {
					m.owned = map[*Flag]bool{}
				}
				fl = fl.Clone()
				m.flags[i] = fl
				m.owned[fl] = true
			}
			return fl, nil
		}
	}
	names := make([]string, len(m.flags))
	for i, fl := range m.flags {
		names[i] = fl.Name
	}
	return nil, &Error{Kind: ErrUnknownFlag, Flag: name, Msg: fmt.Sprintf("unknown flag %q%s", name, DidYouMean(name, names))}
}

func flagEdit(name, desc string, fn func(fl *Flag) error) Edit {
	return Edit{desc: desc, flags: []string{name}, apply: func(m *model) error {
		fl, err := m.find(name)
		if err != nil {
			return err
		}
		return fn(fl)
	}}
}

// SetBoolean sets the boolean gate of a flag.
func SetBoolean(name string, on bool) Edit {
	return flagEdit(name, fmt.Sprintf("%s: boolean %s", name, onOff(on)), func(fl *Flag) error {
		fl.Boolean = &on
		return nil
	})
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// ClearBoolean removes the boolean gate of a flag.
func ClearBoolean(name string) Edit {
	return flagEdit(name, name+": clear boolean", func(fl *Flag) error {
		fl.Boolean = nil
		return nil
	})
}

// SetActor sets an actor gate.
func SetActor(name, id string, on bool) Edit {
	return flagEdit(name, fmt.Sprintf("%s: actor %s %s", name, id, onOff(on)), func(fl *Flag) error {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("empty actor ID")
		}
		if err := checkGateID("actor ID", id); err != nil {
			return err
		}
		fl.Actors = setGate(fl.Actors, id, on)
		return nil
	})
}

// ClearActor removes an actor gate. Clearing a gate that is not set is a no-op.
func ClearActor(name, id string) Edit {
	return flagEdit(name, fmt.Sprintf("%s: clear actor %s", name, id), func(fl *Flag) error {
		fl.Actors = clearGate(fl.Actors, id)
		return nil
	})
}

// SetGroup sets a group gate.
func SetGroup(name, group string, on bool) Edit {
	return flagEdit(name, fmt.Sprintf("%s: group %s %s", name, group, onOff(on)), func(fl *Flag) error {
		if strings.TrimSpace(group) == "" {
			return fmt.Errorf("empty group name")
		}
		if err := checkGateID("group name", group); err != nil {
			return err
		}
		fl.Groups = setGate(fl.Groups, group, on)
		return nil
	})
}

// ClearGroup removes a group gate. Clearing a gate that is not set is a no-op.
func ClearGroup(name, group string) Edit {
	return flagEdit(name, fmt.Sprintf("%s: clear group %s", name, group), func(fl *Flag) error {
		fl.Groups = clearGate(fl.Groups, group)
		return nil
	})
}

// SetPercentageOfActors sets the percentage-of-actors gate and removes a
// percentage-of-time gate and any ramp.
func SetPercentageOfActors(name string, p Percent) Edit {
	return flagEdit(name, fmt.Sprintf("%s: percentage_of_actors %s", name, p), func(fl *Flag) error {
		if p == 0 || p > PercentMax {
			return fmt.Errorf("percentage out of range")
		}
		fl.PercentageOfActors, fl.PercentageOfTime = p, 0
		fl.RampOfActors, fl.RampOfTime = nil, nil
		return nil
	})
}

// SetPercentageOfTime sets the percentage-of-time gate and removes a
// percentage-of-actors gate and any ramp.
func SetPercentageOfTime(name string, p Percent) Edit {
	return flagEdit(name, fmt.Sprintf("%s: percentage_of_time %s", name, p), func(fl *Flag) error {
		if p == 0 || p > PercentMax {
			return fmt.Errorf("percentage out of range")
		}
		fl.PercentageOfActors, fl.PercentageOfTime = 0, p
		fl.RampOfActors, fl.RampOfTime = nil, nil
		return nil
	})
}

// ClearPercentage removes both percentage gates, ramps included.
func ClearPercentage(name string) Edit {
	return flagEdit(name, name+": clear percentage", func(fl *Flag) error {
		fl.PercentageOfActors, fl.PercentageOfTime = 0, 0
		fl.RampOfActors, fl.RampOfTime = nil, nil
		return nil
	})
}

// ClearGates removes every gate of a flag; its metadata stays.
func ClearGates(name string) Edit {
	return flagEdit(name, name+": clear all gates", func(fl *Flag) error {
		copyGates(fl, &Flag{})
		return nil
	})
}

// SetGates replaces every gate of a flag with the gates of from (its metadata
// stays). Promotion and restore use it.
func SetGates(name string, from *Flag) Edit {
	src := from.Clone()
	return flagEdit(name, name+": set gates", func(fl *Flag) error {
		if err := checkGateIDs(src); err != nil {
			return err
		}
		copyGates(fl, src)
		fl.Bucketing = src.Bucketing // it decides what the percentage gate means
		return nil
	})
}

// MaxGateID is the longest actor ID or group name, in characters, an edit
// writes: YAML reads a mapping key of at most 1024 characters, quotes included.
const MaxGateID = 1000

// maxGateKey is the longest gate key as written (quotes and escapes included).
const maxGateKey = 1020

// checkGateID refuses an ID longer than MaxGateID characters, or one whose
// quotes and escapes make its key longer than YAML reads.
func checkGateID(what, id string) error {
	if n := utf8.RuneCountInString(id); n > MaxGateID {
		return fmt.Errorf("%s is %d characters long; the limit is %d", what, n, MaxGateID)
	}
	written := max(utf8.RuneCountInString(strconv.Quote(id)), utf8.RuneCountInString(scalar(id, quoteSingle)))
	if written > maxGateKey {
		return fmt.Errorf("%s is %d characters long once quoted for YAML; the limit is %d", what, written, maxGateKey)
	}
	return nil
}

func checkGateIDs(fl *Flag) error {
	for _, g := range fl.Actors {
		if err := checkGateID("actor ID", g.ID); err != nil {
			return err
		}
	}
	for _, g := range fl.Groups {
		if err := checkGateID("group name", g.ID); err != nil {
			return err
		}
	}
	return nil
}

func copyGates(dst, src *Flag) {
	dst.Boolean = nil
	if src.Boolean != nil {
		b := *src.Boolean
		dst.Boolean = &b
	}
	dst.Actors = append([]Gate(nil), src.Actors...)
	dst.Groups = append([]Gate(nil), src.Groups...)
	dst.PercentageOfActors, dst.PercentageOfTime = src.PercentageOfActors, src.PercentageOfTime
	c := src.Clone() // ramps and schedule
	dst.RampOfActors, dst.RampOfTime, dst.Schedule = c.RampOfActors, c.RampOfTime, c.Schedule
}

// Meta names a metadata field.
type Meta string

// The metadata fields.
const (
	MetaDescription Meta = "description"
	MetaOwner       Meta = "owner"
	MetaKind        Meta = "kind"
	MetaCreated     Meta = "created"
	MetaExpires     Meta = "expires"
)

// SetMeta sets a metadata field; an empty value removes it. Kind and dates are
// validated.
func SetMeta(name string, field Meta, value string) Edit {
	return flagEdit(name, fmt.Sprintf("%s: %s %q", name, field, value), func(fl *Flag) error {
		return setMeta(fl, field, value)
	})
}

func setMeta(fl *Flag, field Meta, value string) error {
	switch field {
	case MetaDescription:
		fl.Description = value
	case MetaOwner:
		fl.Owner = value
	case MetaKind:
		if value != "" && !validKind(Kind(value)) {
			return fmt.Errorf("unknown kind %q; use one of release, experiment, ops, permission%s", value, DidYouMean(value, kindNames()))
		}
		fl.Kind = Kind(value)
	case MetaCreated, MetaExpires:
		var d Date
		if value != "" {
			var err error
			if d, err = ParseDate(value); err != nil {
				return err
			}
		}
		if field == MetaCreated {
			fl.Created = d
		} else {
			fl.Expires = d
		}
		if !fl.Created.IsZero() && !fl.Expires.IsZero() && fl.Expires.Before(fl.Created) {
			return fmt.Errorf("expires %s is before created %s", fl.Expires, fl.Created)
		}
	default:
		return fmt.Errorf("unknown metadata field %q", field)
	}
	return nil
}

// AddFlag appends a new flag at the end of the file.
func AddFlag(fl *Flag) Edit {
	add := fl.Clone()
	return Edit{desc: "add " + fl.Name, flags: []string{fl.Name}, apply: func(m *model) error {
		if !ValidFlagName(add.Name) {
			return fmt.Errorf("bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", add.Name)
		}
		for _, have := range m.flags {
			if have.Name == add.Name {
				return &Error{Kind: ErrFlagExists, Flag: add.Name, Msg: fmt.Sprintf("flag %q already exists", add.Name)}
			}
		}
		if err := checkGateIDs(add); err != nil {
			return err
		}
		if add.PercentageOfActors != 0 && add.PercentageOfTime != 0 {
			return fmt.Errorf("flag %q sets both percentage gates", add.Name)
		}
		m.flags = append(m.flags, add.Clone())
		return nil
	}}
}

// RemoveFlag deletes a flag (every entry of a duplicated name), with the
// comment block directly above it. Unlike every other edit, it applies to a
// flag with problems too (see File.Apply).
func RemoveFlag(name string) Edit {
	return Edit{desc: "remove " + name, flags: []string{name}, removes: true, apply: func(m *model) error {
		if _, err := m.find(name); err != nil {
			return err
		}
		m.flags = removeFlag(m.flags, name)
		return nil
	}}
}

func removeFlag(flags []*Flag, name string) []*Flag {
	out := flags[:0:0]
	for _, fl := range flags {
		if fl.Name != name {
			out = append(out, fl)
		}
	}
	return out
}

func setGate(gs []Gate, id string, on bool) []Gate {
	for i := range gs {
		if gs[i].ID == id {
			gs[i].Enabled = on
			return gs
		}
	}
	return append(gs, Gate{ID: id, Enabled: on})
}

func clearGate(gs []Gate, id string) []Gate {
	out := gs[:0:0]
	for _, g := range gs {
		if g.ID != id {
			out = append(out, g)
		}
	}
	return out
}
