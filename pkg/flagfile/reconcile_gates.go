package flagfile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

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
	if m.Kind != yaml.MappingNode && !isEmptyFlow(m) {
		return nil, fmt.Errorf("internal error: %s of %s is not a mapping", key, have.Name)
	}
	if m.Style&yaml.FlowStyle != 0 && len(m.Content) > 0 {
		return r.blockGates(f, k, m, gatesOf(have, key))
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
	// quoting. New gates come before the removal of old ones, so replacing a
	// mapping whole (no key in common) never passes through an empty mapping.
	var add []Gate
	for _, g := range want {
		if _, ok := findGate(gatesOf(have, key), g.ID); !ok {
			add = append(add, g)
		}
	}
	if len(add) > 0 {
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
	// Remove gates that go, one per step.
	wantIDs := map[string]bool{}
	for _, g := range want {
		wantIDs[g.ID] = true
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		gk := m.Content[i]
		if !wantIDs[gk.Value] {
			return r.deleteLines(f, f.headStart(gk), f.extent(gk))
		}
	}
	return nil, fmt.Errorf("internal error: %s of %s are in an unexpected order", key, have.Name)
}

// blockGates rewrites the non-empty flow-style gate mapping m of key k, and only
// it, as a block mapping holding gates (the current ones) at the same place. A
// comment after the closing brace moves to the key's line; everything else in
// the flag stays byte for byte.
func (r *reconciler) blockGates(f *File, k, m *node, gates []Gate) (*File, error) {
	end, ok := f.flowEnd(f.offset(m.Line, m.Column))
	if !ok {
		return nil, flowError(f, k)
	}
	last, _ := lineCol(f.src, f.lines, end-1)
	comment := strings.TrimSpace(string(f.src[end:f.lineEnd(last-1)]))
	if comment != "" && !strings.HasPrefix(comment, "#") {
		return nil, flowError(f, k)
	}
	first := string(f.src[f.lines[k.Line-1]:f.afterKey(k)])
	if comment != "" {
		first += "  " + comment
	}
	ls := []string{first}
	qs := styleOf(m.Content[0])
	for _, g := range gates {
		ls = append(ls, renderGate(g, k.Column-1+f.unit(), qs))
	}
	return r.splice(f, f.lines[k.Line-1], f.nextLineStart(last-1), f.joinLines(ls))
}

// flowEnd returns the offset just after the '}' or ']' that closes the flow
// collection opening at offset open, skipping quoted scalars and comments.
func (f *File) flowEnd(open int) (int, bool) {
	depth := 0
	for i := open; i < len(f.src); i++ {
		switch c := f.src[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"':
			for i++; i < len(f.src) && f.src[i] != '"'; i++ {
				if f.src[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(f.src); i++ {
				if f.src[i] == '\'' {
					if i+1 < len(f.src) && f.src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > 0 && (f.src[i-1] == ' ' || f.src[i-1] == '\t' || f.src[i-1] == '\n') {
				for i < len(f.src) && f.src[i] != '\n' {
					i++
				}
			}
		}
	}
	return 0, false
}

func gatesOf(fl *Flag, key string) []Gate {
	if key == "groups" {
		return fl.Groups
	}
	return fl.Actors
}
