package cleanup

import (
	"go/ast"
	"go/token"
	"sort"
)

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// del deletes [from, to); when nothing else is on the lines it spans, the
// whole lines go.
func (r *round) del(from, to token.Pos) {
	start, end := r.off(from), r.off(to)
	if r.blankBefore(start) {
		le := end
		for le < len(r.src) && (r.src[le] == ' ' || r.src[le] == '\t' || r.src[le] == '\r') {
			le++
		}
		if le < len(r.src) && r.src[le] == '\n' {
			for start > 0 && r.src[start-1] != '\n' {
				start--
			}
			end = le + 1
		}
	}
	r.edits = append(r.edits, edit{start, end, ""})
}

func (r *round) replace(from, to token.Pos, text string) {
	r.edits = append(r.edits, edit{r.off(from), r.off(to), text})
}

func (r *round) text(from, to token.Pos) string { return string(r.src[r.off(from):r.off(to)]) }

// normalize sorts edits and drops those inside another edit's range (the
// outer edit already removes or rewrites them) and those overlapping an earlier
// one (the next round redoes them).
func normalize(es []edit) []edit {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].start != es[j].start {
			return es[i].start < es[j].start
		}
		return es[i].end > es[j].end
	})
	var out []edit
	for _, e := range es {
		if n := len(out); n > 0 {
			last := out[n-1]
			insertion := e.start == e.end
			if e == last {
				continue
			}
			if insertion && (e.start == last.end || e.start == last.start) {
				out = append(out, e)
				continue
			}
			if e.start < last.end {
				if e.text == "" && last.text == "" && e.end > last.end {
					out[n-1].end = e.end // two deletions overlap: delete both
				}
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// splice applies sorted, disjoint edits.
func splice(src []byte, es []edit) []byte {
	out := make([]byte, 0, len(src))
	at := 0
	for _, e := range es {
		if e.start < at {
			continue
		}
		out = append(out, src[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, src[at:]...)
}

// stmtRange is the byte range deleting n removes: n, the comment group
// directly above it (no blank line between), a comment on its last line, and
// the whole lines when nothing else is on them.
func (r *round) stmtRange(n ast.Node) (int, int) {
	start, end := r.off(n.Pos()), r.off(n.End())
	if fd, ok := n.(*ast.FuncDecl); ok && fd.Doc != nil {
		start = r.off(fd.Doc.Pos())
	}
	if gd, ok := n.(*ast.GenDecl); ok && gd.Doc != nil {
		start = r.off(gd.Doc.Pos())
	}
	startLine := r.tf.Line(r.tf.Pos(start))
	endLine := r.tf.Line(n.End())
	for _, cg := range r.file.Comments {
		cs, ce := r.off(cg.Pos()), r.off(cg.End())
		if ce <= start && r.tf.Line(cg.End()) == startLine-1 && r.blankBefore(cs) {
			start = cs
			startLine = r.tf.Line(cg.Pos())
		}
		if cs >= end && r.tf.Line(cg.Pos()) == endLine && r.tf.Line(cg.End()) == endLine {
			end = ce
		}
	}
	// Widen to whole lines when the statement is alone on them.
	if r.blankBefore(start) {
		ls := start
		for ls > 0 && r.src[ls-1] != '\n' {
			ls--
		}
		le := end
		for le < len(r.src) && (r.src[le] == ' ' || r.src[le] == '\t' || r.src[le] == '\r') {
			le++
		}
		if le == len(r.src) || r.src[le] == '\n' {
			start = ls
			if le < len(r.src) {
				le++
			}
			end = le
		}
	}
	return start, end
}

// blankBefore reports whether only spaces precede offset on its line.
func (r *round) blankBefore(off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch r.src[i] {
		case '\n':
			return true
		case ' ', '\t':
		default:
			return false
		}
	}
	return true
}

// dropStmt deletes a statement, with the comments attached to it.
func (r *round) dropStmt(s ast.Stmt) {
	r.dropped[s] = true
	switch p := r.parent[s].(type) {
	case *ast.IfStmt:
		if p.Init == s {
			r.del(s.Pos(), p.Cond.Pos())
			return
		}
	case *ast.SwitchStmt:
		if p.Init == s {
			end := p.Body.Lbrace
			if p.Tag != nil {
				end = p.Tag.Pos()
			}
			r.del(s.Pos(), end)
			return
		}
	case *ast.TypeSwitchStmt:
		if p.Init == s {
			r.del(s.Pos(), p.Assign.Pos())
			return
		}
	case *ast.ForStmt:
		if p.Init == s || p.Post == s {
			r.del(s.Pos(), s.End())
			return
		}
	case *ast.LabeledStmt:
		r.replace(s.Pos(), s.End(), "{}")
		return
	}
	start, end := r.stmtRange(s)
	r.edits = append(r.edits, edit{start, end, ""})
}
