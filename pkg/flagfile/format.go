package flagfile

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Format returns the file in canonical form: block style with 2-space indentation,
// percentages written as "25%", booleans true/false, dates YYYY-MM-DD, and quotes
// only where a YAML 1.1 or 1.2 reader needs them. Key order, comments and single
// blank lines are kept (runs of blank lines collapse to one). Format is
// idempotent. It refuses a file with problems.
func (f *File) Format() ([]byte, error) {
	if err := f.Problems().Err(); err != nil {
		return nil, fmt.Errorf("%w:\n%v", ErrNotEditable, err)
	}
	p := &printer{f: f, oldUnit: f.unit()}
	root := f.root
	if len(root.Content) > 0 {
		// Everything above the first key (header comments, "---") is kept as is.
		first := f.headStart(root.Content[0])
		for i := 0; i < first; i++ {
			p.raw(f.lineText(i))
		}
		p.next = first
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		p.gap(k, 0)
		switch k.Value {
		case "version":
			p.line(0, "version: "+fmt.Sprint(f.Version), k, v)
		case "environment":
			p.line(0, "environment: "+scalar(f.Environment, quoteMinimal), k, v)
		case "flags":
			if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
				p.line(0, "flags: {}", k, v)
				break
			}
			if v.Style&yaml.FlowStyle != 0 {
				p.line(0, "flags:", k, v) // rewritten in block style; keeps its line comment
			} else {
				p.line(0, "flags:", k, nil)
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				p.flag(f.Flags[j/2], 2)
			}
		}
	}
	p.gap(nil, 0)
	// Drop trailing blank lines.
	for len(p.out) > 0 && p.out[len(p.out)-1] == "" {
		p.out = p.out[:len(p.out)-1]
	}
	out := []byte(f.joinLines(p.out))
	if err := f.verifyRewrite(out); err != nil {
		return nil, err
	}
	return out, nil
}

// verifyRewrite re-parses out, a rewrite of f that must mean the same, and
// returns an error unless it parses without problems to the same model: a
// writer's mistake is then an error, never a broken or changed file.
func (f *File) verifyRewrite(out []byte) error {
	g, err := Parse(f.Path, out, ParseOptions{})
	if err != nil {
		return fmt.Errorf("internal error: the formatted file would not parse (file left unchanged): %w", err)
	}
	if g.Version != f.Version || g.Environment != f.Environment || !sameModel(g.Flags, f.Flags) {
		return fmt.Errorf("internal error: formatting would change the meaning of the file (file left unchanged)")
	}
	return nil
}

type printer struct {
	f       *File
	oldUnit int
	out     []string
	next    int // first source line not yet emitted
}

func (p *printer) raw(s string) {
	s = strings.TrimRight(s, " \r")
	if s == "" && (len(p.out) == 0 || p.out[len(p.out)-1] == "") {
		return
	}
	p.out = append(p.out, s)
}

// gap emits the comment and blank lines between the last emitted line and key k
// (nil: the end of the file), re-indenting comments to the key's new indentation
// (at the end of the file, proportionally to their old indentation).
func (p *printer) gap(k *node, indent int) {
	end := p.f.numLines()
	if k != nil {
		end = k.Line - 1
	}
	for i := p.next; i < end; i++ {
		t := strings.TrimSpace(p.f.lineText(i))
		switch {
		case t == "":
			p.raw("")
		case strings.HasPrefix(t, "#"):
			ind := indent
			if k == nil {
				ind = p.f.indentOf(i) / max(p.oldUnit, 1) * 2
			}
			p.raw(pad(ind) + t)
		}
	}
	if end > p.next {
		p.next = end
	}
}

// line emits one line with the source line comment of k/v, and moves past the
// entry's source lines.
func (p *printer) line(indent int, text string, k, v *node) {
	text = pad(indent) + text
	if c := lineComment(k, v); c != "" {
		// Two spaces before the comment, or more to keep it in its column
		// (aligned comments stay aligned) unless the line is a flow mapping
		// rewritten in block style.
		gap := 2
		rewritten := v != nil && v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle != 0 && len(v.Content) > 0
		if col := p.commentColumn(c, k, v, indent); !rewritten && col >= utf8.RuneCountInString(text)+2 {
			gap = col - utf8.RuneCountInString(text)
		}
		text += pad(gap) + c
	}
	p.out = append(p.out, text)
	if v != nil && (v.Kind == yaml.ScalarNode || len(v.Content) == 0 || v.Style&yaml.FlowStyle != 0) {
		p.next = p.f.extent(k) + 1
	} else {
		p.next = k.Line
	}
}

// commentColumn returns the 0-based rune column line comment c should keep on
// a line re-indented to indent: its column in the source line of v or k, moved
// by the change of that line's indentation. It returns -1 when c is not found.
func (p *printer) commentColumn(c string, k, v *node, indent int) int {
	for _, n := range []*node{v, k} {
		if n == nil || n.Line < 1 || n.Line > p.f.numLines() {
			continue
		}
		t := p.f.lineText(n.Line - 1)
		if i := strings.LastIndex(t, c); i >= 0 {
			return utf8.RuneCountInString(t[:i]) + indent - p.f.indentOf(n.Line-1)
		}
	}
	return -1
}

func lineComment(k, v *node) string {
	if v != nil && v.Kind == yaml.ScalarNode && v.LineComment != "" {
		return v.LineComment
	}
	if k != nil && k.LineComment != "" {
		return k.LineComment
	}
	if v != nil && v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle != 0 {
		return v.LineComment
	}
	return ""
}

func (p *printer) flag(fl *Flag, indent int) {
	k, v := fl.key, fl.value
	p.gap(k, indent)
	name := scalar(fl.Name, quoteMinimal)
	switch {
	case v.Kind == yaml.ScalarNode:
		p.line(indent, fmt.Sprintf("%s: %v", name, fl.BooleanOn()), k, v)
		return
	case len(v.Content) == 0:
		p.line(indent, name+": {}", k, v)
		return
	case v.Style&yaml.FlowStyle != 0:
		// A flow mapping is rewritten in block style; comments inside it are lost.
		c := fl.Clone()
		c.Shorthand = false
		body := renderBody(c, indent+2, 2, styleHint{})
		if len(body) == 0 { // only empty gate mappings, e.g. {actors: {}}
			p.line(indent, name+": {}", k, v)
			return
		}
		p.line(indent, name+":", k, v)
		p.out = append(p.out, body...)
		return
	}
	p.line(indent, name+":", k, nil)
	for i := 0; i+1 < len(v.Content); i += 2 {
		ck, cv := v.Content[i], v.Content[i+1]
		p.gap(ck, indent+2)
		if ck.Value == "schedule" || cv.Kind == yaml.MappingNode && (ck.Value == "percentage_of_actors" || ck.Value == "percentage_of_time") {
			p.timed(fl, ck, cv, indent+2) // edit_timed.go
			continue
		}
		if ck.Value != "actors" && ck.Value != "groups" {
			v := scalarValue(fl, ck.Value)
			if v == "" {
				v = `""` // an empty description or owner, written as such
			}
			p.line(indent+2, ck.Value+": "+v, ck, cv)
			continue
		}
		gates := gatesOf(fl, ck.Value)
		if len(gates) == 0 {
			p.line(indent+2, ck.Value+": {}", ck, cv)
			continue
		}
		if cv.Style&yaml.FlowStyle != 0 {
			p.line(indent+2, ck.Value+":", ck, cv)
			for _, g := range gates {
				p.out = append(p.out, renderGate(g, indent+4, quoteMinimal))
			}
			continue
		}
		p.line(indent+2, ck.Value+":", ck, nil)
		for j := 0; j+1 < len(cv.Content); j += 2 {
			gk, gv := cv.Content[j], cv.Content[j+1]
			p.gap(gk, indent+4)
			on, _ := findGate(gates, gk.Value)
			p.line(indent+4, strings.TrimSpace(renderGate(Gate{ID: gk.Value, Enabled: on}, 0, quoteMinimal)), gk, gv)
		}
	}
}
