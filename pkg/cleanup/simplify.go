package cleanup

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
)

// tri is a simplified expression's constant value: unknown, false or true.
type tri int8

const (
	unknown tri = iota
	isFalse
	isTrue
)

func triOf(v bool) tri {
	if v {
		return isTrue
	}
	return isFalse
}

// simp simplifies e given the seeds (checks with a known value). Only seeds and
// what they make constant are folded: a literal true the author wrote stays.
func (r *round) simp(e ast.Expr) (ast.Expr, tri) {
	if v, ok := r.seeds[e]; ok {
		return &ast.Ident{NamePos: e.Pos(), Name: boolText(v)}, triOf(v)
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		in, c := r.simp(x.X)
		if c != unknown {
			return in, c
		}
		if in == x.X {
			return x, unknown
		}
		if simple(in) {
			return in, unknown
		}
		return &ast.ParenExpr{Lparen: x.Lparen, X: in, Rparen: x.Rparen}, unknown
	case *ast.UnaryExpr:
		if x.Op != token.NOT {
			return x, unknown
		}
		in, c := r.simp(x.X)
		switch c {
		case isTrue:
			return &ast.Ident{NamePos: x.Pos(), Name: "false"}, isFalse
		case isFalse:
			return &ast.Ident{NamePos: x.Pos(), Name: "true"}, isTrue
		}
		if in == x.X {
			return x, unknown
		}
		return not(in), unknown
	case *ast.BinaryExpr:
		switch x.Op {
		case token.LAND, token.LOR, token.EQL, token.NEQ:
		default:
			return x, unknown
		}
		l, cl := r.simp(x.X)
		rt, cr := r.simp(x.Y)
		rebuild := func() (ast.Expr, tri) {
			if l == x.X && rt == x.Y {
				return x, unknown
			}
			return &ast.BinaryExpr{X: l, OpPos: x.OpPos, Op: x.Op, Y: rt}, unknown
		}
		switch x.Op {
		case token.LAND:
			switch {
			case cl == isFalse:
				return l, isFalse // the right side never ran
			case cl == isTrue:
				return rt, cr
			case cr == isTrue:
				return l, unknown
			case cr == isFalse && r.pure(x.X):
				return rt, isFalse
			}
		case token.LOR:
			switch {
			case cl == isTrue:
				return l, isTrue
			case cl == isFalse:
				return rt, cr
			case cr == isFalse:
				return l, unknown
			case cr == isTrue && r.pure(x.X):
				return rt, isTrue
			}
		case token.EQL, token.NEQ:
			eq := x.Op == token.EQL
			switch {
			case cl != unknown && cr != unknown:
				v := (cl == cr) == eq
				return &ast.Ident{NamePos: x.Pos(), Name: boolText(v)}, triOf(v)
			case cl != unknown:
				if (cl == isTrue) == eq {
					return rt, unknown
				}
				return not(rt), unknown
			case cr != unknown:
				if (cr == isTrue) == eq {
					return l, unknown
				}
				return not(l), unknown
			}
		}
		return rebuild()
	}
	return e, unknown
}

// simple reports whether e needs no parentheses as an operand of !.
func simple(e ast.Expr) bool {
	switch e.(type) {
	case *ast.Ident, *ast.CallExpr, *ast.SelectorExpr, *ast.ParenExpr, *ast.UnaryExpr, *ast.IndexExpr, *ast.BasicLit:
		return true
	}
	return false
}

func not(e ast.Expr) ast.Expr {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return u.X // keeps its parentheses: !(a || b) negated is (a || b)
	}
	if !simple(e) {
		e = &ast.ParenExpr{Lparen: e.Pos(), X: e, Rparen: e.End()}
	}
	return &ast.UnaryExpr{OpPos: e.Pos(), Op: token.NOT, X: e}
}

func (r *round) print(e ast.Expr) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, r.st.p.fset, e); err != nil {
		return r.text(e.Pos(), e.End())
	}
	return b.String()
}

// rewriteRoot replaces a condition, return value or assigned value holding seeds.
func (r *round) rewriteRoot(root ast.Expr) {
	out, c := r.simp(root)
	if ifs, ok := r.parent[root].(*ast.IfStmt); ok && ifs.Cond == root && c != unknown {
		r.ifEdit(ifs, c == isTrue)
		return
	}
	if out != root {
		r.replace(root.Pos(), root.End(), r.print(out))
	}
}

// ifEdit rewrites an if statement whose condition is now the constant val.
func (r *round) ifEdit(ifs *ast.IfStmt, val bool) {
	initText := ""
	if ifs.Init != nil && !r.dropped[ifs.Init] {
		initText = r.text(ifs.Init.Pos(), ifs.Init.End())
	}
	parentIf, elseIf := r.parent[ifs].(*ast.IfStmt)
	elseIf = elseIf && parentIf.Else == ifs
	// keep makes block b (the branch that stays) replace the whole statement.
	keep := func(b *ast.BlockStmt) {
		if initText != "" {
			if r.src[r.off(b.Lbrace)+1] != '\n' {
				initText += "\n"
			}
			r.replace(ifs.Pos(), b.Lbrace+1, "{\n"+initText)
			r.del(b.Rbrace+1, ifs.End())
			return
		}
		inline := !elseIf && r.canInline(ifs, b)
		if inline {
			r.del(ifs.Pos(), b.Lbrace+1)
			r.del(b.Rbrace, ifs.End())
		} else {
			r.del(ifs.Pos(), b.Lbrace)
			r.del(b.Rbrace+1, ifs.End())
		}
		if !elseIf && terminates(r.info, b) {
			r.dropRest(ifs)
			if inline {
				r.dropRedundantJump(ifs, b.List[len(b.List)-1])
			}
		}
	}
	if val {
		keep(ifs.Body)
		return
	}
	switch els := ifs.Else.(type) {
	case nil:
		switch {
		case elseIf:
			r.del(parentIf.Body.Rbrace+1, ifs.End())
		case initText != "":
			r.replace(ifs.Pos(), ifs.End(), "{\n"+initText+"\n}")
		default:
			r.dropStmt(ifs)
		}
	case *ast.BlockStmt:
		keep(els)
	case *ast.IfStmt:
		if initText != "" {
			r.replace(ifs.Pos(), els.Pos(), "{\n"+initText+"\n")
			r.replace(ifs.End(), ifs.End(), "\n}")
			return
		}
		r.del(ifs.Pos(), els.Pos())
	}
}

// stmtList returns the statement list holding s, and the position where the
// list ends (the closing brace of a block, the end of a case clause).
func (r *round) stmtList(s ast.Stmt) ([]ast.Stmt, token.Pos, ast.Node) {
	switch p := r.parent[s].(type) {
	case *ast.BlockStmt:
		return p.List, p.Rbrace, p
	case *ast.CaseClause:
		return p.Body, p.End(), p
	case *ast.CommClause:
		return p.Body, p.End(), p
	}
	return nil, token.NoPos, nil
}

// canInline reports whether block b's statements can replace if statement ifs
// in its enclosing list: ifs is directly in a list, and no name b declares is
// declared in that scope or used after ifs.
func (r *round) canInline(ifs *ast.IfStmt, b *ast.BlockStmt) bool {
	list, _, holder := r.stmtList(ifs)
	if holder == nil {
		return false
	}
	inner := r.info.Scopes[b]
	if inner == nil || len(inner.Names()) == 0 {
		return true
	}
	var outer *types.Scope
	if blk, ok := holder.(*ast.BlockStmt); ok {
		switch fp := r.parent[blk].(type) {
		case *ast.FuncDecl:
			outer = r.info.Scopes[fp.Type]
		case *ast.FuncLit:
			outer = r.info.Scopes[fp.Type]
		default:
			outer = r.info.Scopes[blk]
		}
	} else {
		outer = r.info.Scopes[holder]
	}
	after := map[string]bool{}
	seen := false
	for _, s := range list {
		if s == ast.Stmt(ifs) {
			seen = true
			continue
		}
		if seen {
			ast.Inspect(s, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					after[id.Name] = true
				}
				return true
			})
		}
	}
	for _, n := range inner.Names() {
		if after[n] || outer == nil || outer.Lookup(n) != nil {
			return false
		}
	}
	return true
}

// dropRedundantJump deletes last, the final statement of a block inlined in
// place of ifs, when it is a bare return ending a function body or a bare
// continue ending a loop body: ifs is now the last statement there.
func (r *round) dropRedundantJump(ifs *ast.IfStmt, last ast.Stmt) {
	blk, ok := r.parent[ifs].(*ast.BlockStmt)
	if !ok || len(blk.List) == 0 {
		return
	}
	for _, s := range blk.List {
		if _, ok := s.(*ast.LabeledStmt); ok {
			return // dropRest kept the statements after ifs
		}
	}
	redundant := false
	switch j := last.(type) {
	case *ast.ReturnStmt:
		switch fn := r.parent[blk].(type) {
		case *ast.FuncDecl:
			redundant = len(j.Results) == 0 && (fn.Type.Results == nil || len(fn.Type.Results.List) == 0)
		case *ast.FuncLit:
			redundant = len(j.Results) == 0 && (fn.Type.Results == nil || len(fn.Type.Results.List) == 0)
		}
	case *ast.BranchStmt:
		switch r.parent[blk].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			redundant = j.Tok == token.CONTINUE && j.Label == nil
		}
	}
	if redundant {
		start, end := r.stmtRange(last)
		r.edits = append(r.edits, edit{start, end, ""})
	}
}

// terminates reports whether b ends in a return, a branch or a panic.
func terminates(info *types.Info, b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		if c, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(c.Fun).(*ast.Ident); ok {
				_, isBuiltin := info.Uses[id].(*types.Builtin)
				return isBuiltin && id.Name == "panic"
			}
		}
	}
	return false
}

// dropRest deletes the statements after s in its list: s now always leaves it.
// A labelled statement among them (a goto target) keeps them all.
func (r *round) dropRest(s ast.Stmt) {
	list, end, holder := r.stmtList(s)
	if holder == nil {
		return
	}
	i := 0
	for i < len(list) && list[i] != s {
		i++
	}
	rest := list[i+1:]
	if len(rest) == 0 {
		return
	}
	for _, x := range rest {
		if _, ok := x.(*ast.LabeledStmt); ok {
			return
		}
	}
	// Whole lines, from the first dead statement (with its comments) to the
	// last one, or to the closing brace of a block (comments before it go too).
	from, _ := r.stmtRange(rest[0])
	_, to := r.stmtRange(rest[len(rest)-1])
	if _, ok := holder.(*ast.BlockStmt); ok {
		e := r.off(end)
		for e > 0 && (r.src[e-1] == ' ' || r.src[e-1] == '\t') {
			e--
		}
		if e > 0 && r.src[e-1] == '\n' {
			to = max(to, e)
		}
	}
	r.edits = append(r.edits, edit{from, to, ""})
}
