package flagfile

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Positioned errors wrap one of them where it applies, so callers
// can test with errors.Is.
var (
	// ErrUnknownFlag is returned by edits that name a flag the file does not define.
	ErrUnknownFlag = errors.New("unknown flag")
	// ErrFlagExists is returned by AddFlag when the flag is already defined.
	ErrFlagExists = errors.New("flag already exists")
	// ErrTooLarge is returned for files over MaxFileSize.
	ErrTooLarge = errors.New("file too large")
	// ErrNewerVersion is returned for files written by a newer flagctl.
	ErrNewerVersion = errors.New("written by a newer flagctl")
	// ErrInvalid marks a validation problem in a flag file.
	ErrInvalid = errors.New("invalid flag file")
	// ErrConflict is returned by WriteIfUnchanged when the file changed since it was read.
	ErrConflict = errors.New("file changed since it was read")
)

// Pos is a position in a flag file. Line and Column are 1-based; Column counts
// characters (runes), as editors do. A zero Line means "the whole file".
type Pos struct {
	File   string
	Line   int
	Column int
}

// String formats the position as file:line:column, omitting what is unknown.
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, max(p.Column, 1))
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Error is one problem at one position. Flag names the flag the problem is inside
// of ("" for file-level problems); Warning marks findings that do not make the file
// invalid (lint uses them).
type Error struct {
	Pos     Pos
	Msg     string
	Flag    string
	Warning bool
	// Kind is a sentinel this error wraps (ErrInvalid when nil).
	Kind error
}

// Error formats the error as "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos == (Pos{}) {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Unwrap returns the sentinel the error belongs to.
func (e *Error) Unwrap() error {
	if e.Kind != nil {
		return e.Kind
	}
	return ErrInvalid
}

// ErrorList is a list of positioned errors. Its zero value is an empty list.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, flag, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Flag: flag, Msg: fmt.Sprintf(format, args...)})
}

// Len, Less and Swap implement sort.Interface by file, line and column.
func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	a, b := l[i].Pos, l[j].Pos
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	return l[i].Msg < l[j].Msg
}

// Sort sorts the list by position (stable for equal positions).
func (l ErrorList) Sort() { sort.Stable(l) }

// Error prints every error, one per line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns nil for an empty list, and the sorted list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Unwrap lets errors.Is and errors.As look at every error in the list.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Errors returns the entries that are not warnings.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Suggest returns the candidate closest to name by edit distance, or "" when none
// is close enough to be a plausible typo: at most one edit per four characters of
// name (at least one, and fewer than name's length), a transposition counting as
// one edit. A candidate that starts with name (a forgotten "_enabled" suffix) is
// always plausible. So "chekout_v3_enabled" suggests "checkout_v2_enabled" but
// never "search_v2_enabled".
func Suggest(name string, candidates []string) string {
	n := utf8.RuneCountInString(name)
	limit := max(1, n/4)
	best, bestD := "", -1
	for _, c := range candidates {
		d := editDistance(name, c)
		if n >= 4 && strings.HasPrefix(c, name) {
			d = min(d, 1)
		}
		if bestD < 0 || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > limit || bestD >= n {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance of a and b: insertions,
// deletions, substitutions and transpositions of adjacent runes, each one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1) // row i-2
	prev := make([]int, len(rb)+1)  // row i-1
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// DidYouMean formats Suggest's answer as a message suffix
// (`; did you mean "x"?`), or "" when there is none.
func DidYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}
