package flagfile

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// spliceFast re-reads only what a splice changed. out is f.src with src[a:b]
// replaced by text. When f was read by the fast parser, has no problems, and the
// splice lies within the run of flag entries from one flag's key line to a later
// flag's key line (or the end of the flags mapping), that run of whole lines is
// parsed alone, as a mapping indented like the flags. The proof that this equals
// parsing the whole file: in the fast parser's subset the structure is fixed by
// indentation line by line, the run starts with a key at the flags' indentation,
// every other content line of it is indented deeper than that or is a sibling
// key (fastParseAt refuses less), and the lines before and after are unchanged.
// The entries before the run keep their nodes, those after it are copied with
// their lines moved. The result is validated as a whole (build), and Apply still
// checks the final model. spliceFast returns nil when any condition fails; the
// caller then parses the whole file.
func spliceFast(f *File, a, b int, text string, out []byte, opts ParseOptions) *File {
	fm := f.flagsNode
	if !f.fast || f.root == nil || fm == nil || fm.Kind != yaml.MappingNode || fm.Style&yaml.FlowStyle != 0 || len(f.Flags) == 0 ||
		len(fm.Content) != 2*len(f.Flags) {
		return nil
	}
	for _, fl := range f.Flags {
		if len(fl.Problems) > 0 {
			return nil
		}
	}
	keyStart := func(i int) int { return f.lines[f.Flags[i].key.Line-1] }
	// i: the last flag whose key line starts before a; its run holds a (an
	// insertion at a key line joins the run before it).
	i := sort.Search(len(f.Flags), func(i int) bool { return keyStart(i) >= a }) - 1
	if i < 0 {
		return nil
	}
	rs := keyStart(i)
	// j: the first flag after i whose key line starts at or after b.
	j := sort.Search(len(f.Flags), func(j int) bool { return j > i && keyStart(j) >= b })
	re := len(f.src)
	if j < len(f.Flags) {
		re = keyStart(j)
	} else {
		for k := 0; k+1 < len(f.root.Content); k += 2 {
			if n := f.root.Content[k]; n.Line > f.flagsKey.Line {
				re = f.lines[n.Line-1]
				break
			}
		}
	}
	if b > re || rs > 0 && f.src[rs-1] != '\n' {
		return nil
	}
	grow := len(text) - (b - a)
	run := out[rs : re+grow]
	if len(run) == 0 || (re < len(f.src) && run[len(run)-1] != '\n') {
		return nil
	}
	// Parse's checks of the whole file, for the part that changed.
	if !utf8.Valid(run) || controlChar(run) >= 0 || oddLineBreak(run) >= 0 || len(tabIndents(run, lineStarts(run))) > 0 {
		return nil
	}
	indent := f.Flags[0].key.Column - 1
	doc, ok := fastParseAt(run, lineStarts(run), indent)
	if !ok {
		return nil
	}
	mini := doc.Content[0]
	if mini.Kind != yaml.MappingNode || mini.Column != indent+1 || len(mini.Content) == 0 {
		return nil
	}
	first := f.Flags[i].key.Line - 1 // 0-based line of rs, in both files
	shiftTree(mini, first)
	delta := bytes.Count(run, []byte{'\n'}) - bytes.Count(f.src[rs:re], []byte{'\n'})

	flags := *fm
	flags.Content = make([]*node, 0, 2*i+len(mini.Content)+len(fm.Content)-2*j)
	flags.Content = append(flags.Content, fm.Content[:2*i]...)
	flags.Content = append(flags.Content, mini.Content...)
	// The flags outside the run are not validated again: they had no problems
	// and their nodes are the same (moved by delta lines).
	reuse := make(map[*node]*Flag, len(f.Flags)-(j-i))
	for _, fl := range f.Flags[:i] {
		reuse[fl.key] = fl
	}
	for _, fl := range f.Flags[j:] {
		k, v := copyShift(fl.key, delta), copyShift(fl.value, delta)
		flags.Content = append(flags.Content, k, v)
		if delta == 0 {
			reuse[k] = fl
			continue
		}
		c := *fl
		c.key, c.value = k, v
		c.Pos.Line += delta
		reuse[k] = &c
	}
	if i == 0 {
		flags.Line, flags.Column = mini.Line, mini.Column
	}
	root := *f.root
	root.Content = make([]*node, len(f.root.Content))
	for k, n := range f.root.Content {
		switch {
		case n == fm:
			root.Content[k] = &flags
		case n.Line > f.flagsKey.Line && n != fm:
			root.Content[k] = copyShift(n, delta)
		default:
			root.Content[k] = n
		}
	}
	top := &node{Kind: yaml.DocumentNode, Line: root.Line, Column: root.Column, Content: []*node{&root}}
	nf, err := build(f.Path, out, lineStarts(out), top, opts, reuse)
	if nf == nil || err != nil {
		return nil
	}
	nf.fast = true
	nf.inText = map[int]bool{}
	return nf
}

// shiftTree moves every node under n down by lines (n's nodes are new).
func shiftTree(n *node, lines int) {
	n.Line += lines
	for _, c := range n.Content {
		shiftTree(c, lines)
	}
}

// copyShift returns a copy of the tree n moved down by lines (n itself when
// lines is 0: nodes are never modified once built, so they can be shared).
func copyShift(n *node, lines int) *node {
	if lines == 0 {
		return n
	}
	c := *n
	c.Line += lines
	if len(n.Content) > 0 {
		c.Content = make([]*node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = copyShift(k, lines)
		}
	}
	return &c
}
