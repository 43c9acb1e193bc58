package flagfile

import (
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastParse is called by Parse only after the file was checked to be valid UTF-8
// without tab indentation or odd line breaks.
//
// fastParse builds the yaml.v3 node tree for the block-style subset flag files are
// written in — nested block mappings of plain or simply quoted scalars, "{}",
// comments and blank lines — about ten times faster than yaml.v3. Anything outside
// that subset (flow collections, block scalars, multi-line scalars, anchors, tags,
// escapes, documents markers, odd indentation, …) returns false and the caller
// uses yaml.v3, so the result is always what yaml.v3 would build. FuzzFastParse
// checks that, field by field.
func fastParse(data []byte, lines []int) (*node, bool) { return fastParseAt(data, lines, 0) }

// fastParseAt is fastParse for a document whose top-level mapping is indented by
// base spaces (a run of flag entries cut out of a file; see spliceFast). A line
// indented less than base is refused.
func fastParseAt(data []byte, lines []int, base int) (*node, bool) {
	if len(data) >= 3 && string(data[:3]) == "\xef\xbb\xbf" {
		return nil, false
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x20 && c != '\n' && c != '\r' || c == 0x7f {
			return nil, false // control characters and tabs: yaml.v3 words the error
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRune(data[i:])
			if !yamlPrintable(r) {
				return nil, false
			}
			i += size - 1
		}
	}
	p := fastParser{src: string(data)}
	content := 0
	for i := range lines {
		t := p.line(lines, i)
		if s := strings.TrimLeft(t, " "); s != "" && s[0] != '#' {
			content++
			if s[0] == '-' {
				content++ // a sequence item adds its mapping (and maybe the sequence)
			}
		}
	}
	if content == 0 {
		return nil, false
	}
	p.slab = make([]node, 0, 2*content+2)
	doc := p.node()
	doc.Kind = yaml.DocumentNode
	root := p.node()
	root.Kind, root.Tag = yaml.MappingNode, "!!map"
	doc.Content = []*node{root}

	type level struct {
		indent int
		m      *node // a mapping, or a block sequence of mappings (schedules, steps)
	}
	stack := []level{{base, root}}
	var pendingKey *node // a "key:" line whose mapping has not started yet
	pendingIndent := 0
	lastScalarIndent := -1 // indent of the last "key: value" line
	for i := range lines {
		t := p.line(lines, i)
		body := strings.TrimLeft(t, " ")
		if body == "" || body[0] == '#' {
			continue
		}
		indent := len(t) - len(body)
		lineNo := i + 1
		item := body[0] == '-' // a block sequence item, "- key: value"
		if pendingKey != nil {
			if indent < pendingIndent || indent == pendingIndent && !item {
				return nil, false // "key:" with a null value
			}
			m := p.node()
			m.Kind, m.Tag = yaml.MappingNode, "!!map"
			if item {
				m.Kind, m.Tag = yaml.SequenceNode, "!!seq"
			}
			m.Line, m.Column = lineNo, indent+1
			m.Content = p.content()
			parent := stack[len(stack)-1].m
			parent.Content = append(parent.Content, m)
			stack = append(stack, level{indent, m})
			pendingKey = nil
		} else {
			if lastScalarIndent >= 0 && indent > lastScalarIndent {
				return nil, false // a multi-line scalar or a syntax error
			}
			for len(stack) > 1 && indent < stack[len(stack)-1].indent {
				stack = stack[:len(stack)-1]
			}
			if top := stack[len(stack)-1]; top.m.Kind == yaml.SequenceNode && !item && len(stack) > 1 {
				stack = stack[:len(stack)-1] // a key after a sequence at its parent's indentation
			}
			if indent != stack[len(stack)-1].indent {
				return nil, false
			}
		}
		if item {
			// "- key: value" starts a mapping item at the column of key.
			seq := stack[len(stack)-1].m
			rest := strings.TrimLeft(body[1:], " ")
			if seq.Kind != yaml.SequenceNode || len(body) < 2 || body[1] != ' ' || rest == "" || rest[0] == '#' || rest[0] == '-' {
				return nil, false
			}
			indent += len(body) - len(rest)
			body = rest
			m := p.node()
			m.Kind, m.Tag = yaml.MappingNode, "!!map"
			m.Line, m.Column = lineNo, indent+1
			m.Content = p.content()
			seq.Content = append(seq.Content, m)
			stack = append(stack, level{indent, m})
		} else if stack[len(stack)-1].m.Kind == yaml.SequenceNode {
			return nil, false
		}
		if len(stack) == 1 && root.Line == 0 {
			root.Line, root.Column = lineNo, indent+1
			doc.Line, doc.Column = lineNo, indent+1
		}
		key, rest, ok := p.scalar(body, true)
		if !ok {
			return nil, false
		}
		key.Line, key.Column = lineNo, indent+1
		rest, ok = strings.CutPrefix(rest, ":")
		if !ok || rest != "" && rest[0] != ' ' {
			return nil, false
		}
		rest = strings.TrimLeft(rest, " ")
		m := stack[len(stack)-1].m
		m.Content = append(m.Content, key)
		valueCol := indent + 1 + utf8.RuneCountInString(body[:len(body)-len(rest)])
		if rest == "" || rest[0] == '#' {
			// "key:" opens a mapping on the following lines.
			key.LineComment = rest
			pendingKey, pendingIndent, lastScalarIndent = key, indent, -1
			continue
		}
		var val *node
		if strings.HasPrefix(rest, "{}") {
			val = p.node()
			val.Kind, val.Tag, val.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
			rest = rest[2:]
		} else if val, rest, ok = p.scalar(rest, false); !ok {
			return nil, false
		}
		rest = strings.TrimLeft(rest, " ")
		if rest != "" {
			if rest[0] != '#' || !strings.HasSuffix(body[:len(body)-len(rest)], " ") {
				return nil, false
			}
			val.LineComment = rest
		}
		val.Line, val.Column = lineNo, valueCol
		m.Content = append(m.Content, val)
		lastScalarIndent = indent
	}
	if pendingKey != nil {
		return nil, false
	}
	return doc, true
}

type fastParser struct {
	src  string // the whole file, converted once; node values are substrings
	slab []node
	ptrs []*node // backing store for small Content slices
}

// content returns an empty Content slice with room for a small mapping, carved
// from a shared array; a mapping that outgrows it reallocates as usual.
func (p *fastParser) content() []*node {
	const chunk = 24
	if len(p.ptrs)+chunk > cap(p.ptrs) {
		p.ptrs = make([]*node, 0, 256*chunk)
	}
	n := len(p.ptrs)
	p.ptrs = p.ptrs[:n+chunk]
	return p.ptrs[n : n : n+chunk]
}

func (p *fastParser) node() *node {
	p.slab = append(p.slab, node{})
	return &p.slab[len(p.slab)-1]
}

func (p *fastParser) line(lines []int, i int) string {
	end := len(p.src)
	if i+1 < len(lines) {
		end = lines[i+1]
	}
	t := p.src[lines[i]:end]
	t = strings.TrimSuffix(t, "\n")
	return strings.TrimSuffix(t, "\r")
}

// scalar reads one scalar at the start of s and returns it with the rest of s. A
// key ends at ": " or a final ":"; a value at " #" or the end of the line.
func (p *fastParser) scalar(s string, isKey bool) (*node, string, bool) {
	if s == "" || isKey && len(s) > 1000 {
		return nil, "", false // YAML limits implicit keys to 1024 characters; long lines go to yaml.v3
	}
	n := p.node()
	n.Kind = yaml.ScalarNode
	switch s[0] {
	case '"':
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return nil, "", false
		}
		v := s[1 : 1+end]
		if strings.IndexByte(v, '\\') >= 0 {
			return nil, "", false
		}
		n.Value, n.Tag, n.Style = v, "!!str", yaml.DoubleQuotedStyle
		return n, s[2+end:], true
	case '\'':
		i := 1
		for {
			j := strings.IndexByte(s[i:], '\'')
			if j < 0 {
				return nil, "", false
			}
			i += j
			if i+1 < len(s) && s[i+1] == '\'' {
				i += 2
				continue
			}
			break
		}
		v := s[1:i]
		n.Value, n.Tag, n.Style = strings.ReplaceAll(v, "''", "'"), "!!str", yaml.SingleQuotedStyle
		return n, s[i+1:], true
	}
	if strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", s[0]) >= 0 {
		return nil, "", false
	}
	var v, rest string
	if isKey {
		i := strings.Index(s, ": ")
		if i < 0 {
			if !strings.HasSuffix(s, ":") {
				return nil, "", false
			}
			i = len(s) - 1
		}
		v, rest = s[:i], s[i:]
		if strings.Contains(v, " #") {
			return nil, "", false
		}
	} else {
		v = s
		if i := strings.Index(s, " #"); i >= 0 {
			v, rest = s[:i], s[i:]
		}
		v = strings.TrimRight(v, " ")
		if strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
			return nil, "", false
		}
	}
	if strings.HasSuffix(v, " ") {
		return nil, "", false
	}
	tag, ok := resolvePlain(v)
	if !ok {
		return nil, "", false
	}
	n.Value, n.Tag = v, tag
	return n, rest, true
}

// resolvePlain returns yaml.v3's tag for a plain scalar, for the forms flag files
// use; false for anything it is not sure about.
func resolvePlain(v string) (string, bool) {
	switch v {
	case "<<":
		return "", false // a merge key
	case "~", "null", "Null", "NULL":
		return "!!null", true
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool", true
	}
	c := v[0]
	if c != '+' && c != '-' && c != '.' && (c < '0' || c > '9') {
		return "!!str", true
	}
	switch {
	case isDigits(v):
		if len(v) > 1 && v[0] == '0' {
			return "", false // octal in yaml.v3
		}
		if len(v) > 18 {
			return "", false
		}
		return "!!int", true
	case strings.HasSuffix(v, "%") && isDigitsDot(v[:len(v)-1]):
		return "!!str", true
	case len(v) == 10 && v[4] == '-' && v[7] == '-' && isDigits(v[:4]+v[5:7]+v[8:]):
		if _, ok := parseYMD(v); ok {
			return "!!timestamp", true
		}
		return "", false
	case isDigitsDot(v) && strings.Count(v, ".") == 1 && c != '.' && v[len(v)-1] != '.':
		return "!!float", true
	case len(v) > 10 && v[4] == '-' && strings.IndexByte(v, 'T') == 10:
		// An RFC 3339 time (ramps, schedules), resolved as yaml.v3 does.
		if _, err := time.Parse("2006-1-2T15:4:5.999999999Z07:00", v); err == nil {
			return "!!timestamp", true
		}
	}
	return "", false
}

// yamlPrintable reports whether a non-ASCII rune is in YAML's printable set
// (NEL is a line break there, and Parse refuses it).
func yamlPrintable(r rune) bool {
	return r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF || r >= 0x10000 && r <= 0x10FFFF
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isDigitsDot(s string) bool {
	return s != "" && isDigits(strings.ReplaceAll(s, ".", "0"))
}
