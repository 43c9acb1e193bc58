package cleanup

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Pos, fs[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
}

// state carries what lasts across rounds.
type state struct {
	opts *Options
	p    *program
	res  *Result
	// marked holds the functions (funcKey) a round edited: only they are
	// candidates for "now returns a constant".
	marked map[string]bool
	// inlined holds the constant functions whose calls were rewritten.
	inlined    map[string]bool
	constNoted map[string]bool
	// holders caches, per type-check of a unit, the variables given the
	// flag's name (holdsFlag).
	holders map[*types.Info]map[*types.Var]bool
}

// origPos maps a position of the rewritten text back to the original by a line
// diff that ignores indentation (kept code may have moved out of a block).
func origPos(old, new []byte, pos token.Position) token.Position {
	out := pos
	out.Line, out.Offset = 0, 0
	if string(old) == string(new) {
		return pos
	}
	a, b := splitLines(string(old)), splitLines(string(new))
	ta, tb := make([]string, len(a)), make([]string, len(b))
	for i, l := range a {
		ta[i] = strings.TrimSpace(l)
	}
	for i, l := range b {
		tb[i] = strings.TrimSpace(l)
	}
	ai, bi := 0, 0
	mapLine := func(ai, bi int) {
		if bi+1 == pos.Line {
			out.Line = ai + 1
			indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }
			out.Column = pos.Column - indent(b[bi]) + indent(a[ai])
		}
	}
	for _, o := range diffLines(ta, tb) {
		for ai < o.a {
			mapLine(ai, bi)
			ai++
			bi++
		}
		ai += o.del
		bi += o.ins
	}
	for ai < len(a) && bi < len(b) {
		mapLine(ai, bi)
		ai++
		bi++
	}
	return out
}

// lineOf quotes line n of src, as the rewrite would have written it.
func lineOf(src []byte, n int) string {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return fmt.Sprintf(" (in the rewritten line %q)", strings.TrimSpace(lines[n-1]))
}

func dedupe(fs []Finding) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, f := range fs {
		if k := f.String(); !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// excluded reports the files build constraints kept out of this run that
// mention the flag (its quoted name or a constant holding it): they were not
// rewritten.
func (st *state) excluded() []Finding {
	if len(st.p.ignored) == 0 {
		return nil
	}
	needles := st.p.needles
	var out []Finding
	for _, f := range st.p.ignored {
		src, err := st.opts.ReadFile(f)
		if err != nil || isGenerated(src) {
			continue
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, n := range needles {
				if col := strings.Index(line, n); col >= 0 {
					if n[0] == '.' {
						col++ // at the identifier
					}
					out = append(out, Finding{Pos: token.Position{Filename: f, Line: i + 1, Column: col + 1},
						Msg: "this file is excluded by its build constraints here, so it was not rewritten; run cleanup again under its configuration (GOOS=…, GOARCH=…, GOFLAGS=-tags=…)"})
					break
				}
			}
		}
	}
	return out
}
