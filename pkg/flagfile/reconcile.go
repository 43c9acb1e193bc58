package flagfile

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ---- reconciling source text with a model ----

type reconciler struct {
	opts  ParseOptions
	steps int
	// skip names flags with problems; no edit touches them (File.editable), so
	// they are left as they are.
	skip map[string]bool
	// requireFast makes a splice that cannot take spliceFast an error (tests).
	requireFast bool
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
	if nf := spliceFast(f, a, b, text, out, r.opts); nf != nil {
		return nf, nil
	}
	if r.requireFast {
		return nil, fmt.Errorf("internal error: splice at %d..%d re-read the whole file", a, b)
	}
	nf, err := Parse(f.Path, out, r.opts)
	if nf == nil {
		return nil, fmt.Errorf("internal error: edit produced an unparsable file (file left unchanged): %w", err)
	}
	return nf, nil
}

func (r *reconciler) run(f *File, want []*Flag) (*File, error) {
	var err error
	// Usually no flag comes or goes: the names match in order.
	same := len(want) == len(f.Flags)
	for i := 0; same && i < len(want); i++ {
		same = want[i].Name == f.Flags[i].Name
	}
	if !same {
		wantNames := make(map[string]bool, len(want))
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
	}
	// New flags come last in the model (AddFlag appends); they are added in one
	// splice after the others are brought up to date, so adding thousands of
	// flags re-parses the file once, not once per flag.
	var adds []*Flag
	for _, w := range want {
		have := f.Flag(w.Name)
		if have == w || r.skip[w.Name] {
			continue // the parsed flag itself: no edit touched it
		}
		if have == nil {
			adds = append(adds, w)
			continue
		}
		if f, err = r.flag(f, w); err != nil {
			return nil, err
		}
	}
	if len(adds) > 0 {
		return r.addFlags(f, adds)
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
	return &Error{Pos: Pos{File: f.Path, Line: k.Line, Column: k.Column}, Kind: ErrNotEditable,
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
		if v.Value == "" {
			return f, nil // "key:" with nothing after it
		}
		// "key: ~" or "key: null": drop the word, keep a line comment.
		end, ok := f.scalarEnd(v)
		if !ok {
			return nil, fmt.Errorf("internal error: cannot find the end of %s's value", k.Value)
		}
		return r.splice(f, f.afterKey(k), end, "")
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

// addFlags appends flags at the end of the flags mapping in one splice.
func (r *reconciler) addFlags(f *File, ws []*Flag) (*File, error) {
	unit := f.unit()
	k, v := f.flagsKey, f.flagsNode
	if k == nil {
		return nil, fmt.Errorf("the file has no flags key; add \"flags: {}\"")
	}
	indent := k.Column - 1 + unit
	// Keep the file's rhythm: when flags are separated by blank lines, so are these.
	blank := false
	if v.Kind == yaml.MappingNode && len(v.Content) > 2 {
		lastKey := v.Content[len(v.Content)-2]
		hs := f.headStart(lastKey)
		blank = hs > 0 && f.isBlank(hs-1)
	}
	var body []string
	for i, w := range ws {
		if blank && (i > 0 || !isEmptyFlow(v)) {
			body = append(body, "")
		}
		body = append(body, renderFlag(w, indent, unit, styleHint{})...)
	}
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
	return r.insertAfter(f, f.extent(v.Content[len(v.Content)-2]), body)
}
