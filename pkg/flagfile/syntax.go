package flagfile

import (
	"fmt"
	"strings"
)

// yaml.v3 reports a syntax error with the line where its parser gave up (often
// the line before the broken construct, or the start of the enclosing mapping)
// and no column. syntaxProblem finds the construct itself: an unclosed bracket
// or quote, a plain value holding ": ", a line indented to no level. It is a
// small scanner of the YAML subset flag files use; when it finds nothing that
// fits the message, the parser's line stands.

// syntaxProblem returns the position (1-based line and rune column) of the
// construct yaml.v3's message msg is about, and a message that says how to fix
// it, or ok false.
func syntaxProblem(data []byte, lines []int, msg string) (line, col int, text string, ok bool) {
	s := scanSyntax(data)
	at := func(off int, format string, args ...any) (int, int, string, bool) {
		l, c := lineCol(data, lines, off)
		return l, c, fmt.Sprintf(format, args...), true
	}
	switch {
	case strings.Contains(msg, "did not find expected ',' or") ||
		strings.Contains(msg, "did not find expected node content") ||
		strings.Contains(msg, "unexpected end of stream") ||
		strings.Contains(msg, "while parsing a flow"):
		if s.quote >= 0 {
			q := data[s.quote]
			return at(s.quote, "invalid YAML: the quoted value starting here is never closed; end it with %c (file ends inside it)", q)
		}
		if s.flow >= 0 {
			o := data[s.flow]
			return at(s.flow, "invalid YAML: %q is never closed; close it with %q, or quote the value if the bracket is text (%s)", o, closing(o), msg)
		}
	case strings.Contains(msg, "mapping values are not allowed"):
		if s.colonValue >= 0 {
			return at(s.colonValue, "invalid YAML: %s: this value contains \": \"; quote it, e.g. description: \"Checkout: v2\"", msg)
		}
	case strings.Contains(msg, "did not find expected key") || strings.Contains(msg, "block mapping") ||
		strings.Contains(msg, "block sequence"):
		if s.badIndent >= 0 {
			return at(s.badIndent, "invalid YAML: this line's indentation matches no enclosing key; indent it like its siblings (%s)", msg)
		}
		if s.listItem >= 0 {
			return at(s.listItem, "invalid YAML: a list item (\"- \") where a key was expected; flag files hold mappings only (%s)", msg)
		}
	}
	return 0, 0, "", false
}

func closing(open byte) byte {
	if open == '[' {
		return ']'
	}
	return '}'
}

// syntaxScan holds the byte offsets of the first suspicious constructs, -1 when
// none.
type syntaxScan struct {
	flow       int // an unclosed '[' or '{' (the outermost)
	quote      int // an unclosed quote
	colonValue int // the start of a plain block value that contains ": "
	badIndent  int // the first character of a line indented to no open level
	listItem   int // a "- " entry among mapping keys
}

func scanSyntax(data []byte) syntaxScan {
	s := syntaxScan{flow: -1, quote: -1, colonValue: -1, badIndent: -1, listItem: -1}
	var flow []int     // offsets of open flow brackets
	levels := []int{0} // indentation of the open block mappings
	opened := false    // the previous key line ended with ':' (a nested block may start)
	blockScalar := -1  // >= 0: skipping a block scalar's lines indented deeper than this
	for off := 0; off < len(data); {
		end := off
		for end < len(data) && data[end] != '\n' {
			end++
		}
		ln := data[off:end]
		next := end + 1
		ind := 0
		for ind < len(ln) && ln[ind] == ' ' {
			ind++
		}
		rest := strings.TrimRight(string(ln[ind:]), "\r ")
		if blockScalar >= 0 {
			if rest == "" || ind > blockScalar {
				off = next
				continue
			}
			blockScalar = -1
		}
		if len(flow) == 0 && (rest == "" || rest[0] == '#' || rest == "---" || rest == "...") {
			off = next
			continue
		}
		if len(flow) == 0 {
			// Block context: check the indentation against the open levels.
			top := levels[len(levels)-1]
			switch {
			case ind > top && opened:
				levels = append(levels, ind)
			case ind > top:
				// A continuation of a multi-line plain scalar; not a new level.
			default:
				for len(levels) > 1 && ind < levels[len(levels)-1] {
					levels = levels[:len(levels)-1]
				}
				if ind != levels[len(levels)-1] && s.badIndent < 0 {
					s.badIndent = off + ind
				}
			}
			if strings.HasPrefix(rest, "- ") || rest == "-" {
				if s.listItem < 0 {
					s.listItem = off + ind
				}
			}
		}
		opened = false
		// Scan the line's tokens.
		tokenStart := true
		valueStart := -1 // offset where the current block value began
		i := off + ind
	line:
		for i < end {
			c := data[i]
			switch {
			case c == '#' && (i == off || data[i-1] == ' ' || data[i-1] == '\t'):
				break line
			case tokenStart && (c == '"' || c == '\''):
				j, closed := skipQuoted(data, i)
				if !closed {
					if s.quote < 0 {
						s.quote = i
					}
					return s
				}
				if j > end { // a quoted scalar over several lines
					for end < len(data) && end < j {
						end++
					}
					for end < len(data) && data[end] != '\n' {
						end++
					}
					next = end + 1
				}
				i = j
				tokenStart = false
				continue
			case tokenStart && len(flow) == 0 && (c == '|' || c == '>'):
				blockScalar = ind
				break line
			case c == '[' || c == '{':
				if tokenStart || len(flow) > 0 {
					flow = append(flow, i)
					tokenStart = true
					i++
					continue
				}
			case (c == ']' || c == '}') && len(flow) > 0:
				flow = flow[:len(flow)-1]
			case c == ',' && len(flow) > 0:
				tokenStart = true
				i++
				continue
			case c == ':' && (i+1 >= end || data[i+1] == ' ' || data[i+1] == '\r' || len(flow) > 0 && (data[i+1] == ',' || data[i+1] == ']' || data[i+1] == '}')):
				if len(flow) == 0 {
					if valueStart >= 0 && s.colonValue < 0 {
						s.colonValue = valueStart
					}
					if valueStart < 0 {
						valueStart = -2 // the key's colon: the value comes next
					}
					if strings.TrimRight(string(data[i+1:end]), " \r") == "" {
						opened = true
					}
				}
				tokenStart = true
				i++
				continue
			case c == '-' && tokenStart && (i+1 >= end || data[i+1] == ' '):
				i++
				continue
			case c == ' ' || c == '\t':
				i++
				continue
			}
			if tokenStart && valueStart == -2 && len(flow) == 0 {
				valueStart = i
			}
			tokenStart = false
			i++
		}
		off = next
	}
	if len(flow) > 0 {
		s.flow = flow[0]
	}
	return s
}

// skipQuoted returns the offset just after the quoted scalar opening at i, and
// whether it is closed before the end of data.
func skipQuoted(data []byte, i int) (int, bool) {
	q := data[i]
	for j := i + 1; j < len(data); j++ {
		switch {
		case q == '"' && data[j] == '\\':
			j++
		case data[j] == q && q == '\'' && j+1 < len(data) && data[j+1] == '\'':
			j++
		case data[j] == q:
			return j + 1, true
		}
	}
	return len(data), false
}
