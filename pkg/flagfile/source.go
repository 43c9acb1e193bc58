package flagfile

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// This file holds the line and byte arithmetic edits are built from. Lines are
// 0-based indexes into File.lines here; yaml.v3 positions are 1-based and count
// runes, so every conversion goes through offset.

func (f *File) numLines() int { return len(f.lines) }

// offset converts a yaml.v3 (1-based, rune-counting) position to a byte offset.
func (f *File) offset(line, col int) int {
	off := f.lines[line-1]
	for i := 1; i < col && off < len(f.src); i++ {
		_, size := utf8.DecodeRune(f.src[off:])
		off += size
	}
	return off
}

// lineEnd returns the offset of the end of line i, before its line break.
func (f *File) lineEnd(i int) int {
	end := len(f.src)
	if i+1 < len(f.lines) {
		end = f.lines[i+1] - 1
	} else if end > 0 && f.src[end-1] == '\n' {
		end--
	}
	if end > f.lines[i] && f.src[end-1] == '\r' {
		end--
	}
	return end
}

// nextLineStart returns the offset just after line i's line break.
func (f *File) nextLineStart(i int) int {
	if i+1 < len(f.lines) {
		return f.lines[i+1]
	}
	return len(f.src)
}

func (f *File) lineText(i int) string { return string(f.src[f.lines[i]:f.lineEnd(i)]) }

func (f *File) isBlank(i int) bool { return strings.TrimSpace(f.lineText(i)) == "" }

// isComment reports whether line i is a comment line. A line of a block or
// multi-line quoted scalar is text even when it begins with '#'.
func (f *File) isComment(i int) bool {
	return strings.HasPrefix(strings.TrimSpace(f.lineText(i)), "#") && !f.textLine(i)
}

// textLine reports whether line i continues the text of a scalar that spans
// lines (a block scalar, or a quoted scalar broken over lines).
func (f *File) textLine(i int) bool {
	if f.inText == nil {
		f.inText = map[int]bool{}
		if f.root != nil {
			f.markText(f.root, 0)
		}
	}
	return f.inText[i]
}

// markText marks in f.inText the continuation lines of every scalar under n that
// spans lines, from the node positions the parser gives: a block scalar's text
// is every line after its header up to the first non-blank line indented less
// than its content (YAML's rule, not a guess); a quoted scalar's text runs to its
// closing quote. parent is the indentation of the node holding n.
func (f *File) markText(n *node, parent int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			f.markText(n.Content[i], parent)
			f.markText(n.Content[i+1], n.Content[i].Column-1)
		}
		return
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			f.markText(c, c.Column-1)
		}
		return
	case yaml.ScalarNode:
	default:
		return
	}
	if n.Line < 1 || n.Line > f.numLines() {
		return
	}
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		header := f.src[f.offset(n.Line, n.Column):f.lineEnd(n.Line-1)]
		content := -1
		for _, c := range header {
			if c >= '1' && c <= '9' {
				content = parent + int(c-'0')
				break
			}
			if c == ' ' || c == '#' {
				break
			}
		}
		for i := n.Line; i < f.numLines(); i++ {
			if f.isBlankRaw(i) {
				continue
			}
			ind := f.indentOf(i)
			if content < 0 {
				if ind <= parent {
					return
				}
				content = ind
			}
			if ind < content {
				return
			}
			f.inText[i] = true
		}
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		q := byte('"')
		if n.Style&yaml.SingleQuotedStyle != 0 {
			q = '\''
		}
		start := f.offset(n.Line, n.Column)
		line := n.Line - 1
		for j := start + 1; j < len(f.src); j++ {
			switch c := f.src[j]; {
			case c == '\\' && q == '"':
				j++
			case c == q && q == '\'' && j+1 < len(f.src) && f.src[j+1] == '\'':
				j++
			case c == q:
				return
			case c == '\n':
				line++
				f.inText[line] = true
			}
		}
	}
}

func (f *File) isBlankRaw(i int) bool { return strings.TrimSpace(f.lineText(i)) == "" }

func (f *File) indentOf(i int) int {
	t := f.lineText(i)
	return len(t) - len(strings.TrimLeft(t, " "))
}

func (f *File) eol() string {
	if f.crlf {
		return "\r\n"
	}
	return "\n"
}

// extent returns the last line (0-based) of the mapping entry whose key is k: the
// key's line and every following line up to the last content line indented deeper
// than the key, or indented like it and starting with "- " (a sequence written
// at the key's indentation, "key:\n- item": in a block mapping such a line
// belongs to the value of the key above it). Trailing comments and blank lines
// belong to what follows.
func (f *File) extent(k *node) int {
	first := k.Line - 1
	indent := k.Column - 1
	last := first
	for i := first + 1; i < f.numLines(); i++ {
		if f.textLine(i) {
			last = i // the text of a multi-line scalar, whatever it looks like
			continue
		}
		if f.isBlank(i) || f.isComment(i) {
			continue
		}
		if in := f.indentOf(i); in < indent || in == indent && !isDashLine(f.lineText(i)[in:]) {
			break
		}
		last = i
	}
	return last
}

// isDashLine reports whether an unindented line starts a block sequence item.
func isDashLine(t string) bool {
	return t == "-" || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "-\r") || strings.HasPrefix(t, "-\t")
}

// headStart returns the first line of the comment block directly above key k (no
// blank line in between, same indentation), or k's own line.
func (f *File) headStart(k *node) int {
	first := k.Line - 1
	for first > 0 && f.isComment(first-1) && f.indentOf(first-1) == k.Column-1 {
		first--
	}
	return first
}

// scalarEnd returns the byte offset just after the source text of a single-line
// scalar node, or false when the scalar spans lines (block or multi-line styles).
func (f *File) scalarEnd(n *node) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return 0, false
	}
	start := f.offset(n.Line, n.Column)
	eolOff := f.lineEnd(n.Line - 1)
	s := f.src[start:eolOff]
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return start + i + 1, true
			}
		}
		return 0, false
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return start + i + 1, true
			}
		}
		return 0, false
	}
	text := string(s)
	if i := strings.Index(text, " #"); i >= 0 {
		text = text[:i]
	}
	if n.Value == "" && n.Tag == "!!null" {
		return start, true
	}
	text = strings.TrimRight(text, " ")
	// A plain key is followed by ':'; cut there.
	if i := strings.Index(text, ": "); i >= 0 && text[:i] == n.Value {
		text = text[:i]
	} else if strings.HasSuffix(text, ":") && text[:len(text)-1] == n.Value {
		text = text[:len(text)-1]
	}
	if text != n.Value {
		// A multi-line plain scalar, or text we do not understand: let the caller
		// replace whole lines instead.
		return 0, false
	}
	return start + len(text), true
}

// quoteStyle is how an existing scalar is quoted, so new siblings can match it.
type quoteStyle int

const (
	quoteMinimal quoteStyle = iota
	quoteDouble
	quoteSingle
)

func styleOf(n *node) quoteStyle {
	switch {
	case n == nil:
		return quoteMinimal
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return quoteDouble
	case n.Style&yaml.SingleQuotedStyle != 0:
		return quoteSingle
	}
	return quoteMinimal
}

// scalar renders s as a YAML scalar: plain where that reads back as the same
// string in YAML 1.1 and 1.2, quoted otherwise (or as qs asks).
func scalar(s string, qs quoteStyle) string {
	switch {
	case qs == quoteSingle && !strings.ContainsFunc(s, isControl):
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case qs == quoteDouble || needsQuotes(s):
		return strconv.Quote(s)
	}
	return s
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }

// needsQuotes reports whether s must be quoted to read back as the string s. It is
// conservative: anything YAML 1.1 would read as a number, boolean, null, date or
// sexagesimal (which needs a ':' or a leading digit) is quoted.
func needsQuotes(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsFunc(s, isControl) {
		return true
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`0123456789+.~") {
		return true
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.Contains(s, ":") || strings.HasSuffix(s, ":") {
		return true
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null",
		"<<", "=": // the merge key, and YAML 1.1's value key
		return true
	}
	return false
}
