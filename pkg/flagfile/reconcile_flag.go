package flagfile

import (
	"fmt"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ---- one flag ----

// flag brings the flag called w.Name in f to the state w, one splice at a time.
func (r *reconciler) flag(f *File, w *Flag) (*File, error) {
	for {
		have := f.Flag(w.Name)
		if equalFlag(have, w) {
			return f, nil
		}
		if f.flagsNode.Style&yaml.FlowStyle != 0 {
			return nil, flowError(f, f.flagsKey)
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
	for _, key := range []string{"description", "owner", "kind", "created", "expires", "enabled", "percentage_of_actors", "percentage_of_time", "bucketing"} {
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
