package cleanup

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// fixUnused turns a "declared and not used" or "imported and not used" error
// the previous round caused into edits: the declaration goes (its value stays as
// a statement when it has side effects), the import goes.
func fixUnused(r *round, te types.Error) ([]edit, bool) {
	r.edits = nil
	af := r.file
	switch {
	case strings.Contains(te.Msg, "declared and not used"):
		var id *ast.Ident
		ast.Inspect(af, func(n ast.Node) bool {
			if x, ok := n.(*ast.Ident); ok && x.Pos() == te.Pos {
				id = x
			}
			return id == nil
		})
		if id == nil {
			return nil, false
		}
		switch p := r.parent[id].(type) {
		case *ast.AssignStmt:
			if ts, ok := r.parent[p].(*ast.TypeSwitchStmt); ok && ts.Assign == p {
				r.del(p.Pos(), p.Rhs[0].Pos()) // switch v := x.(type) → switch x.(type)
				break
			}
			r.unusedAssign(p, id)
		case *ast.RangeStmt:
			switch {
			case p.Value == ast.Expr(id): // for k, v := range → for k := range
				r.del(p.Key.End(), id.End())
			case p.Value == nil || isBlank(p.Value): // for k := range → for range
				r.del(p.Key.Pos(), p.Range)
			default:
				r.replace(id.Pos(), id.End(), "_")
			}
		case *ast.ValueSpec:
			gd, _ := r.parent[p].(*ast.GenDecl)
			ds, _ := r.parent[gd].(*ast.DeclStmt)
			if ds == nil {
				return nil, false
			}
			if len(p.Names) > 1 || len(gd.Specs) > 1 {
				r.replace(id.Pos(), id.End(), "_")
				break
			}
			pure := true
			for _, v := range p.Values {
				pure = pure && r.pure(v)
			}
			if pure {
				r.dropStmt(ds)
			} else {
				r.replace(ds.Pos(), ds.End(), "_ = "+r.text(p.Values[0].Pos(), p.Values[len(p.Values)-1].End()))
			}
		default:
			return nil, false
		}
		return r.edits, len(r.edits) > 0
	case strings.Contains(te.Msg, "imported") && strings.HasSuffix(te.Msg, "and not used"):
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT {
				continue
			}
			for _, s := range gd.Specs {
				if s.Pos() <= te.Pos && te.Pos < s.End() {
					var n ast.Node = s
					if len(gd.Specs) == 1 {
						n = gd
					}
					start, end := r.stmtRange(n)
					return []edit{{start, end, ""}}, true
				}
			}
		}
	}
	return nil, false
}

// unusedAssign removes id from a short variable declaration.
func (r *round) unusedAssign(as *ast.AssignStmt, id *ast.Ident) {
	if len(as.Lhs) == 1 {
		if len(as.Rhs) == 1 && !r.pure(as.Rhs[0]) {
			if _, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
				r.replace(as.Pos(), as.Rhs[0].Pos(), "")
				return
			}
			r.replace(as.Pos(), as.Rhs[0].Pos(), "_ = ")
			return
		}
		r.dropStmt(as)
		return
	}
	// Every unused name of the statement goes at once (each has its own error).
	gone := func(l ast.Expr) bool {
		x, ok := l.(*ast.Ident)
		return ok && (x == id || r.unused[x.Pos()])
	}
	news, left := 0, 0
	for _, l := range as.Lhs {
		if isBlank(l) || gone(l) {
			continue
		}
		left++
		if x, ok := l.(*ast.Ident); ok && r.info.Defs[x] != nil {
			news++
		}
	}
	pure := true
	for _, v := range as.Rhs {
		pure = pure && r.pure(v)
	}
	if left == 0 && pure {
		r.dropStmt(as)
		return
	}
	if left == 0 && len(as.Rhs) == 1 {
		if _, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
			r.replace(as.Pos(), as.Rhs[0].Pos(), "") // keep the call for its effects
			return
		}
	}
	for _, l := range as.Lhs {
		if gone(l) {
			r.replace(l.Pos(), l.End(), "_")
		}
	}
	if news == 0 && as.Tok == token.DEFINE { // := needs a new variable on the left
		r.replace(as.TokPos, as.TokPos+2, "=")
	}
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}
