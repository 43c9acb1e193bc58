package flagfile

import (
	"bytes"
	"unicode/utf8"
)

// lineStarts returns the byte offset where each line begins.
func lineStarts(data []byte) []int {
	out := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			out = append(out, i+1)
		}
	}
	return out
}

// lineCol converts a byte offset to a 1-based line and rune column.
func lineCol(data []byte, lines []int, off int) (int, int) {
	l := 0
	for l+1 < len(lines) && lines[l+1] <= off {
		l++
	}
	return l + 1, utf8.RuneCount(data[lines[l]:off]) + 1
}

func firstRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// controlChar returns the offset of the first character YAML does not allow in
// a document (a control character other than tab, LF and CR, or a
// non-character), or -1. data is valid UTF-8.
func controlChar(data []byte) int {
	for i := 0; i < len(data); {
		c := data[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r >= 0x80 && r <= 0x9f && r != 0x85 || r >= 0xd800 && r <= 0xdfff || r == 0xfffe || r == 0xffff {
			return i
		}
		i += size
	}
	return -1
}

// oddLineBreak returns the offset of the first line break other than LF or CRLF
// (YAML also breaks lines at CR, NEL, LS and PS), or -1.
func oddLineBreak(data []byte) int {
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\r':
			if i+1 >= len(data) || data[i+1] != '\n' {
				return i
			}
		case 0xc2:
			if i+1 < len(data) && data[i+1] == 0x85 {
				return i
			}
		case 0xe2:
			if i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9) {
				return i
			}
		}
	}
	return -1
}

// tabIndents returns the line and column of the first tab in the leading
// whitespace of each line that has one.
func tabIndents(data []byte, lines []int) [][2]int {
	var out [][2]int
	for i, start := range lines {
		for j := start; j < len(data); j++ {
			c := data[j]
			if c == '\t' {
				out = append(out, [2]int{i + 1, j - start + 1})
				break
			}
			if c != ' ' {
				break
			}
		}
	}
	return out
}
