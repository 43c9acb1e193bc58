package flagfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// An Edit is one change to the model of a flag file. Edits are pure model
// transforms; File.Apply reconciles the source text with the changed model by
// splicing bytes, so comments and layout of everything else survive.
type Edit struct {
	desc  string
	apply func(m *model) error
}

// String describes the edit.
func (e Edit) String() string { return e.desc }

// model is the ordered list of flags an Edit transforms.
type model struct {
	flags []*Flag
}

func (m *model) find(name string) (*Flag, error) {
	for _, fl := range m.flags {
		if fl.Name == name {
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
	return Edit{desc: desc, apply: func(m *model) error {
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
		copyGates(fl, src)
		return nil
	})
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
	return Edit{desc: "add " + fl.Name, apply: func(m *model) error {
		if !ValidFlagName(add.Name) {
			return fmt.Errorf("bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", add.Name)
		}
		for _, have := range m.flags {
			if have.Name == add.Name {
				return &Error{Kind: ErrFlagExists, Flag: add.Name, Msg: fmt.Sprintf("flag %q already exists", add.Name)}
			}
		}
		if add.PercentageOfActors != 0 && add.PercentageOfTime != 0 {
			return fmt.Errorf("flag %q sets both percentage gates", add.Name)
		}
		m.flags = append(m.flags, add.Clone())
		return nil
	}}
}

// RemoveFlag deletes a flag, with the comment block directly above it.
func RemoveFlag(name string) Edit {
	return Edit{desc: "remove " + name, apply: func(m *model) error {
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

// ErrNotEditable is returned by Apply for a file with validation problems.
var ErrNotEditable = errors.New("file has errors; fix them before editing")

// Apply applies edits in order and returns the new source and its parse. The
// receiver is not modified. Apply never re-encodes the document: it splices bytes
// (replacing scalars in place, inserting and deleting whole lines at their
// siblings' indentation), then re-parses the result and checks that it means
// exactly the edited model; anything else is an error and no bytes are returned.
// Edits that change nothing return the source unchanged.
func (f *File) Apply(opts ParseOptions, edits ...Edit) ([]byte, *File, error) {
	if err := f.Problems().Err(); err != nil {
		return nil, nil, fmt.Errorf("%w:\n%v", ErrNotEditable, err)
	}
	m := &model{}
	for _, fl := range f.Flags {
		m.flags = append(m.flags, fl.Clone())
	}
	for _, e := range edits {
		if err := e.apply(m); err != nil {
			return nil, nil, err
		}
	}
	cur := f
	r := reconciler{opts: opts}
	var err error
	if cur, err = r.run(cur, m.flags); err != nil {
		return nil, nil, err
	}
	// Every splice re-parsed the file, so cur is the parse of the final bytes.
	final := cur
	if err := final.Problems().Err(); err != nil {
		return nil, nil, fmt.Errorf("internal error: the edited file does not validate (file left unchanged): %w", err)
	}
	if !sameModel(final.Flags, m.flags) {
		return nil, nil, fmt.Errorf("internal error: the edit would change more than intended (file left unchanged)")
	}
	return final.src, final, nil
}

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
		a.PercentageOfActors != b.PercentageOfActors || a.PercentageOfTime != b.PercentageOfTime ||
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

// ---- reconciling source text with a model ----

type reconciler struct {
	opts  ParseOptions
	steps int
}

// maxSteps bounds the number of splices per Apply; each splice makes progress, so
// reaching it means a bug, reported rather than looped on.
const maxSteps = 1 << 16

// splice replaces src[a:b] with text and re-parses the result.
func (r *reconciler) splice(f *File, a, b int, text string) (*File, error) {
	r.steps++
	if r.steps > maxSteps {
		return nil, fmt.Errorf("internal error: edit did not converge (file left unchanged)")
	}
	out := make([]byte, 0, len(f.src)-(b-a)+len(text))
	out = append(out, f.src[:a]...)
	out = append(out, text...)
	out = append(out, f.src[b:]...)
	nf, err := Parse(f.Path, out, r.opts)
	if nf == nil {
		return nil, fmt.Errorf("internal error: edit produced an unparsable file (file left unchanged): %w", err)
	}
	return nf, nil
}

func (r *reconciler) run(f *File, want []*Flag) (*File, error) {
	var err error
	wantNames := map[string]bool{}
	for _, fl := range want {
		wantNames[fl.Name] = true
	}
	for _, fl := range f.Flags {
		if !wantNames[fl.Name] {
			if f, err = r.removeFlag(f, fl.Name); err != nil {
				return nil, err
			}
		}
	}
	for _, w := range want {
		if f.Flag(w.Name) == nil {
			if f, err = r.addFlag(f, w); err != nil {
				return nil, err
			}
			continue
		}
		if f, err = r.flag(f, w); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// unit is the file's indentation step, detected from the flags mapping.
func (f *File) unit() int {
	if f.flagsNode != nil && f.flagsNode.Kind == yaml.MappingNode && f.flagsNode.Style&yaml.FlowStyle == 0 && len(f.flagsNode.Content) > 0 {
		if u := f.flagsNode.Content[0].Column - f.flagsKey.Column; u > 0 {
			return u
		}
	}
	for _, fl := range f.Flags {
		if v := fl.value; v != nil && v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
			if u := v.Content[0].Column - fl.key.Column; u > 0 {
				return u
			}
		}
	}
	return 2
}

func pad(n int) string { return strings.Repeat(" ", n) }

// lines joins rendered lines with the file's line ending, each line terminated.
func (f *File) joinLines(ls []string) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l)
		b.WriteString(f.eol())
	}
	return b.String()
}

// insertAfter inserts whole lines after line i (-1 = at the top).
func (r *reconciler) insertAfter(f *File, i int, ls []string) (*File, error) {
	at := 0
	if i >= 0 {
		at = f.nextLineStart(i)
	}
	text := f.joinLines(ls)
	if at == len(f.src) && len(f.src) > 0 && f.src[len(f.src)-1] != '\n' {
		text = f.eol() + strings.TrimSuffix(text, f.eol())
	}
	return r.splice(f, at, at, text)
}

// deleteLines deletes lines first..last (inclusive) and then one of two blank
// lines the deletion brought together.
func (r *reconciler) deleteLines(f *File, first, last int) (*File, error) {
	a, b := f.lines[first], f.nextLineStart(last)
	prevBlank := first > 0 && f.isBlank(first-1)
	nextBlank := last+1 >= f.numLines() || f.isBlank(last+1)
	switch {
	case prevBlank && nextBlank:
		a = f.lines[first-1]
	case nextBlank && last+1 < f.numLines() && (first == 0 || f.indentOf(first-1) < f.indentOf(first)):
		// The first entry under its parent: do not leave blank lines behind the parent.
		for last+1 < f.numLines() && f.isBlank(last+1) {
			last++
		}
		b = f.nextLineStart(last)
	}
	return r.splice(f, a, b, "")
}

// ---- flags ----

func (r *reconciler) removeFlag(f *File, name string) (*File, error) {
	fl := f.Flag(name)
	if len(f.flagsNode.Content) == 2 && f.flagsNode.Style&yaml.FlowStyle == 0 {
		// The last flag: delete it and leave "flags: {}".
		nf, err := r.deleteLines(f, f.headStart(fl.key), f.extent(fl.key))
		if err != nil {
			return nil, err
		}
		colon := nf.afterKey(nf.flagsKey)
		return r.splice(nf, colon, colon, " {}")
	}
	if f.flagsNode.Style&yaml.FlowStyle != 0 {
		return nil, flowError(f, f.flagsKey)
	}
	return r.deleteLines(f, f.headStart(fl.key), f.extent(fl.key))
}

func flowError(f *File, k *node) error {
	return &Error{Pos: Pos{File: f.Path, Line: k.Line, Column: k.Column},
		Msg: fmt.Sprintf("%s is written in flow style ({...}); run \"flagctl fmt\" first", k.Value)}
}

// afterKey returns the offset just after the ':' that follows key k.
func (f *File) afterKey(k *node) int {
	end, ok := f.scalarEnd(k)
	if !ok {
		end = f.offset(k.Line, k.Column) + len(k.Value)
	}
	for end < len(f.src) && f.src[end] != ':' {
		end++
	}
	return min(end+1, len(f.src))
}

// openMapping makes the value of key k ready to take block entries: an empty flow
// mapping "{}" or an empty value is removed, keeping any line comment. It returns
// the file and whether the mapping was empty.
func (r *reconciler) openEmpty(f *File, k, v *node) (*File, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return f, nil
	}
	start := f.afterKey(k)
	closeBrace := f.offset(v.Line, v.Column)
	for closeBrace < len(f.src) && f.src[closeBrace] != '}' {
		closeBrace++
	}
	keep := ""
	if closeBrace+1 < len(f.src) && f.src[closeBrace+1] == '#' {
		keep = " " // "key: {}#c" must not become "key:#c"
	}
	return r.splice(f, start, closeBrace+1, keep)
}

func isEmptyFlow(v *node) bool {
	return v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle != 0 && len(v.Content) == 0 ||
		v.Kind == yaml.ScalarNode && v.Tag == "!!null"
}

func (r *reconciler) addFlag(f *File, w *Flag) (*File, error) {
	unit := f.unit()
	k, v := f.flagsKey, f.flagsNode
	if k == nil {
		return nil, fmt.Errorf("the file has no flags key; add \"flags: {}\"")
	}
	indent := k.Column - 1 + unit
	body := renderFlag(w, indent, unit, styleHint{})
	if isEmptyFlow(v) {
		nf, err := r.openEmpty(f, k, v)
		if err != nil {
			return nil, err
		}
		return r.insertAfter(nf, nf.flagsKey.Line-1, body)
	}
	if v.Style&yaml.FlowStyle != 0 {
		return nil, flowError(f, k)
	}
	lastKey := v.Content[len(v.Content)-2]
	last := f.extent(lastKey)
	// Keep the file's rhythm: when flags are separated by blank lines, so is this one.
	if hs := f.headStart(lastKey); hs > 0 && f.isBlank(hs-1) && len(v.Content) > 2 {
		body = append([]string{""}, body...)
	}
	return r.insertAfter(f, last, body)
}

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

// ---- one flag ----

// flag brings the flag called w.Name in f to the state w, one splice at a time.
func (r *reconciler) flag(f *File, w *Flag) (*File, error) {
	for {
		have := f.Flag(w.Name)
		if equalFlag(have, w) {
			return f, nil
		}
		nf, err := r.flagStep(f, have, w)
		if err != nil {
			return nil, err
		}
		f = nf
	}
}

// flagStep makes one splice that brings have closer to w.
func (r *reconciler) flagStep(f *File, have, w *Flag) (*File, error) {
	k, v := have.key, have.value
	if v.Kind == yaml.ScalarNode {
		// Shorthand. It stays shorthand while only the boolean gate is set.
		if w.Boolean != nil && onlyBoolean(w) {
			return r.replaceScalar(f, k, v, fmt.Sprint(*w.Boolean))
		}
		if !w.HasGates() && onlyBoolean(w) {
			return r.replaceScalar(f, k, v, "{}")
		}
		return r.rewriteFlag(f, have, have)
	}
	if v.Style&yaml.FlowStyle != 0 && len(v.Content) > 0 {
		return r.rewriteFlag(f, have, have)
	}
	if nf, ok, err := r.timedStep(f, have, w); ok || err != nil { // ramps and schedules (edit_timed.go)
		return nf, err
	}
	// Switching percentage kinds renames the key in place, keeping its line.
	for _, key := range []string{"percentage_of_actors", "percentage_of_time"} {
		other := otherPercentage(key)
		if wv := scalarValue(w, key); wv != "" && scalarValue(have, key) == "" && scalarValue(have, other) != "" && scalarValue(w, other) == "" {
			k, v := entry(have, other)
			if end, ok := f.scalarEnd(v); ok {
				return r.splice(f, f.offset(k.Line, k.Column), end, key+": "+wv)
			}
		}
	}
	// Scalar keys, in canonical order; removal of a percentage gate comes before
	// adding the other one so the file never holds both.
	for _, key := range []string{"description", "owner", "kind", "created", "expires", "enabled", "percentage_of_actors", "percentage_of_time"} {
		hv, wv := scalarValue(have, key), scalarValue(w, key)
		if hv == wv {
			continue
		}
		if wv == "" {
			return r.removeKey(f, have, key)
		}
		if other := otherPercentage(key); scalarValue(have, other) != "" && scalarValue(w, other) == "" {
			return r.removeKey(f, have, other)
		}
		return r.setKey(f, have, key, []string{wv})
	}
	for _, key := range []string{"actors", "groups"} {
		hg, wg := have.Actors, w.Actors
		if key == "groups" {
			hg, wg = have.Groups, w.Groups
		}
		if sameGates(hg, wg) {
			continue
		}
		if len(wg) == 0 {
			return r.removeKey(f, have, key)
		}
		return r.gates(f, have, key, wg)
	}
	return nil, fmt.Errorf("internal error: cannot bring flag %q to the requested state", w.Name)
}

func otherPercentage(key string) string {
	if key == "percentage_of_actors" {
		return "percentage_of_time"
	}
	return "percentage_of_actors"
}

// entry finds key in a flag's mapping.
func entry(fl *Flag, key string) (k, v *node) {
	m := fl.value
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// replaceScalar replaces the value of key k in place, or its whole lines when the
// value spans several.
func (r *reconciler) replaceScalar(f *File, k, v *node, text string) (*File, error) {
	if end, ok := f.scalarEnd(v); ok && !(v.Tag == "!!null" && v.Value == "") {
		// Keep a trailing comment in its column when there is room.
		lineEnd := f.lineEnd(v.Line - 1)
		gap := end
		for gap < lineEnd && f.src[gap] == ' ' {
			gap++
		}
		if gap < lineEnd && f.src[gap] == '#' {
			width := utf8.RuneCount(f.src[f.offset(v.Line, v.Column):end])
			spaces := gap - end + width - utf8.RuneCountInString(text)
			return r.splice(f, f.offset(v.Line, v.Column), gap, text+pad(max(spaces, 1)))
		}
		return r.splice(f, f.offset(v.Line, v.Column), end, text)
	}
	first, last := k.Line-1, f.extent(k)
	keyEnd := f.afterKey(k)
	line := string(f.src[f.lines[first]:keyEnd]) + " " + text
	if v.LineComment != "" && v.Kind != yaml.MappingNode {
		line += " " + v.LineComment
	} else if k.LineComment != "" {
		line += "  " + k.LineComment
	}
	return r.splice(f, f.lines[first], f.nextLineStart(last), f.joinLines([]string{line}))
}

// rewriteFlag rewrites a shorthand or flow-style flag as a block mapping holding
// the state as, keeping its head and line comments.
func (r *reconciler) rewriteFlag(f *File, have, as *Flag) (*File, error) {
	k := have.key
	unit := f.unit()
	c := as.Clone()
	c.Shorthand = false
	ls := renderFlag(c, k.Column-1, unit, styleHint{})
	keyText := string(f.src[f.lines[k.Line-1]:f.afterKey(k)])
	comment := have.value.LineComment
	if comment == "" {
		comment = k.LineComment
	}
	ls[0] = keyText
	if len(ls) == 1 {
		ls[0] += " {}"
	}
	if comment != "" {
		ls[0] += "  " + comment
	}
	return r.splice(f, f.lines[k.Line-1], f.nextLineStart(f.extent(k)), f.joinLines(ls))
}

// setKey sets a key of a flag mapping to a single-line value, inserting the key
// at its canonical position when absent.
func (r *reconciler) setKey(f *File, have *Flag, key string, value []string) (*File, error) {
	if k, v := entry(have, key); k != nil {
		return r.replaceScalar(f, k, v, value[0])
	}
	return r.insertKey(f, have, key, []string{key + ": " + value[0]})
}

// insertKey inserts lines (unindented; the first is "key: ...") into a flag
// mapping at the key's canonical position.
func (r *reconciler) insertKey(f *File, have *Flag, key string, ls []string) (*File, error) {
	k, m := have.key, have.value
	unit := f.unit()
	if isEmptyFlow(m) {
		nf, err := r.openEmpty(f, k, m)
		if err != nil {
			return nil, err
		}
		return r.insertAfter(nf, nf.Flag(have.Name).key.Line-1, indentLines(ls, k.Column-1+unit))
	}
	indent := m.Content[0].Column - 1
	rank := keyRank(key)
	after := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		if keyRank(m.Content[i].Value) < rank {
			after = i
		}
	}
	ls = indentLines(ls, indent)
	if after < 0 {
		return r.insertAfter(f, f.headStart(m.Content[0])-1, ls)
	}
	return r.insertAfter(f, f.extent(m.Content[after]), ls)
}

func indentLines(ls []string, indent int) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = pad(indent) + l
	}
	return out
}

// removeKey deletes a key (and its comment block) from a flag mapping; removing
// the last key leaves "name: {}".
func (r *reconciler) removeKey(f *File, have *Flag, key string) (*File, error) {
	k, _ := entry(have, key)
	if k == nil {
		return nil, fmt.Errorf("internal error: key %s not found in flag %s", key, have.Name)
	}
	if len(have.value.Content) == 2 {
		return r.replaceScalar(f, have.key, have.value, "{}")
	}
	return r.deleteLines(f, f.headStart(k), f.extent(k))
}

// gates brings an actors or groups mapping to the gates want (non-empty).
func (r *reconciler) gates(f *File, have *Flag, key string, want []Gate) (*File, error) {
	k, m := entry(have, key)
	unit := f.unit()
	if k == nil {
		ls := []string{key + ":"}
		for _, g := range want {
			ls = append(ls, renderGate(g, unit, quoteMinimal))
		}
		return r.insertKey(f, have, key, ls)
	}
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("internal error: %s of %s is not a mapping", key, have.Name)
	}
	if m.Style&yaml.FlowStyle != 0 && len(m.Content) > 0 {
		return r.rewriteFlag(f, have, have)
	}
	wantIDs := map[string]bool{}
	for _, g := range want {
		wantIDs[g.ID] = true
	}
	// Remove gates that go, one per step.
	for i := 0; i+1 < len(m.Content); i += 2 {
		gk := m.Content[i]
		if !wantIDs[gk.Value] {
			return r.deleteLines(f, f.headStart(gk), f.extent(gk))
		}
	}
	// Change values in place.
	for i := 0; i+1 < len(m.Content); i += 2 {
		gk, gv := m.Content[i], m.Content[i+1]
		for _, g := range want {
			if g.ID == gk.Value {
				if b, _ := parseBool(gv); b != g.Enabled {
					return r.replaceScalar(f, gk, gv, fmt.Sprint(g.Enabled))
				}
			}
		}
	}
	// Append new ones after the last entry, matching the siblings' indentation and
	// quoting.
	var add []Gate
	for _, g := range want {
		if _, ok := findGate(gatesOf(have, key), g.ID); !ok {
			add = append(add, g)
		}
	}
	if len(add) == 0 {
		return nil, fmt.Errorf("internal error: %s of %s are in an unexpected order", key, have.Name)
	}
	if isEmptyFlow(m) {
		nf, err := r.openEmpty(f, k, m)
		if err != nil {
			return nil, err
		}
		var ls []string
		for _, g := range add {
			ls = append(ls, renderGate(g, k.Column-1+unit, quoteMinimal))
		}
		return r.insertAfter(nf, k.Line-1, ls)
	}
	lastKey := m.Content[len(m.Content)-2]
	qs := styleOf(lastKey)
	var ls []string
	for _, g := range add {
		ls = append(ls, renderGate(g, lastKey.Column-1, qs))
	}
	return r.insertAfter(f, f.extent(lastKey), ls)
}

func gatesOf(fl *Flag, key string) []Gate {
	if key == "groups" {
		return fl.Groups
	}
	return fl.Actors
}
