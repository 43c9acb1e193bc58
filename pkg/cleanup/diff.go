package cleanup

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines around each hunk.
const diffContext = 3

// UnifiedDiff returns the unified diff (diff -u style, 3 lines of context) that
// turns old into new; "" when they are equal. Paths label the two sides.
func UnifiedDiff(oldPath, newPath string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	if len(ops) == 0 {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldPath, newPath)
	// Group the changes into hunks with context.
	type line struct {
		kind byte // ' ', '-', '+'
		text string
		ai   int // index in a of the next old line
		bi   int
	}
	var all []line
	ai, bi := 0, 0
	for _, op := range ops {
		for ai < op.a {
			all = append(all, line{' ', a[ai], ai, bi})
			ai++
			bi++
		}
		for _, t := range a[op.a : op.a+op.del] {
			all = append(all, line{'-', t, ai, bi})
			ai++
		}
		for _, t := range b[op.b : op.b+op.ins] {
			all = append(all, line{'+', t, ai, bi})
			bi++
		}
	}
	for ai < len(a) {
		all = append(all, line{' ', a[ai], ai, bi})
		ai++
		bi++
	}
	for i := 0; i < len(all); {
		if all[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-diffContext, 0)
		end := i
		for j := i; j < len(all); j++ {
			if all[j].kind != ' ' {
				end = j
			} else if j-end > 2*diffContext {
				break
			}
		}
		end = min(end+diffContext+1, len(all))
		oldN, newN := 0, 0
		for _, l := range all[start:end] {
			if l.kind != '+' {
				oldN++
			}
			if l.kind != '-' {
				newN++
			}
		}
		oldStart, newStart := all[start].ai+1, all[start].bi+1
		if oldN == 0 {
			oldStart--
		}
		if newN == 0 {
			newStart--
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", oldStart, oldN, newStart, newN)
		for _, l := range all[start:end] {
			out.WriteByte(l.kind)
			out.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// op replaces a[a:a+del] with b[b:b+ins].
type op struct{ a, del, b, ins int }

// diffLines computes a shortest edit script by longest common subsequence
// over the part between the common prefix and suffix.
func diffLines(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	x, y := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(x), len(y)
	if n == 0 && m == 0 {
		return nil
	}
	// lcs[i][j] is the LCS length of x[i:], y[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		if i < n && j < m && x[i] == y[j] {
			i++
			j++
			continue
		}
		o := op{a: pre + i, b: pre + j}
		for i < n || j < m {
			if i < n && j < m && x[i] == y[j] {
				break
			}
			if j == m || i < n && lcs[i+1][j] >= lcs[i][j+1] {
				i++
				o.del++
			} else {
				j++
				o.ins++
			}
		}
		ops = append(ops, o)
	}
	return ops
}
