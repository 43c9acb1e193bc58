package cleanup

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
)

// round rewrites one file in one round.
type round struct {
	st     *state
	opts   *Options
	u      *unit
	info   *types.Info
	file   *ast.File
	name   string
	tf     *token.File
	src    []byte
	consts map[*types.Func]bool

	parent   map[ast.Node]ast.Node
	seeds    map[ast.Expr]bool
	roots    map[ast.Expr]bool
	consumed map[ast.Node]bool
	dropped  map[ast.Stmt]bool
	edits    []edit
	skipped  []Finding
	// rewritten counts the checks of the flag this round rewrites.
	rewritten int
	// unused holds the positions of the names type-checking found unused.
	unused map[token.Pos]bool
}

func newRound(st *state, u *unit, af *ast.File, consts map[*types.Func]bool) *round {
	tf := st.p.fset.File(af.Pos())
	r := &round{
		st: st, opts: st.opts, u: u, info: u.info, file: af, name: tf.Name(), tf: tf,
		src: st.p.src[tf.Name()], consts: consts,
		parent: map[ast.Node]ast.Node{}, seeds: map[ast.Expr]bool{}, roots: map[ast.Expr]bool{},
		consumed: map[ast.Node]bool{}, dropped: map[ast.Stmt]bool{},
	}
	var stack []ast.Node
	ast.Inspect(af, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			r.parent[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	return r
}

func (r *round) off(p token.Pos) int { return r.tf.Offset(p) }

// consume marks e as part of a site already handled.
func (r *round) consume(e ast.Expr) {
	r.consumed[e] = true
	e = ast.Unparen(e)
	r.consumed[e] = true
	if sel, ok := e.(*ast.SelectorExpr); ok {
		r.consumed[sel.Sel] = true
	}
}

func (r *round) skip(n ast.Node, format string, args ...any) {
	r.skipped = append(r.skipped, Finding{Pos: r.st.p.fset.Position(n.Pos()), Msg: fmt.Sprintf(format, args...)})
}

// run finds the sites of the file and turns them into edits.
func (r *round) run() {
	ast.Inspect(r.file, func(n ast.Node) bool {
		if r.consumed[n] {
			return true
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if !r.heldName(n) {
				r.visitCall(n)
			}
		case *ast.SelectorExpr:
			if r.isHandleField(r.info.Uses[n.Sel]) {
				r.consumed[n.Sel] = true
				r.skip(n, "the handle of %s is used here, not checked; left alone (change it by hand)", r.opts.Flag)
			}
		case *ast.Ident:
			if obj := r.info.Uses[n]; obj != nil && r.isFlagConst(obj) && r.st.generatedObj(obj) {
				r.skip(n, "the generated constant %s is used here, not in a check; left alone (it disappears at the next generate)", n.Name)
			}
		}
		return true
	})
	roots := make([]ast.Expr, 0, len(r.roots))
	for e := range r.roots {
		roots = append(roots, e)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].Pos() < roots[j].Pos() })
	for _, e := range roots {
		r.rewriteRoot(e)
	}
	r.deleteConstFuncs()
}

// generatedChecks reports the checks of the flag in a generated file, which
// cleanup does not edit: after the flag is removed they would answer false
// whatever the cleaned value.
func (r *round) generatedChecks() []Finding {
	ast.Inspect(r.file, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if _, ok := r.classify(c); ok {
				r.skip(c, "check of %s in generated code, which cleanup does not edit; change the generator or its input and regenerate", r.opts.Flag)
			}
		}
		return true
	})
	return r.skipped
}

func (r *round) visitCall(c *ast.CallExpr) {
	if fn := callee(r.info, c); fn != nil {
		if v, ok := r.consts[fn]; ok {
			r.consumed[c.Fun] = true
			if !r.pureCall(c, recvOf(r.info, c)) {
				r.skip(c, "%s always returns %v, but this call's arguments have side effects; left alone", fn.Name(), v)
				return
			}
			if r.site(c, c, v, fn.Name()+"()") {
				r.st.inlined[r.st.declKey(fn)] = true
			}
			return
		}
	}
	k, ok := r.classify(c)
	if !ok {
		return
	}
	if k.flag != nil {
		r.consume(k.flag)
	}
	if k.recv != nil && (k.form == formHandleM || k.form == formHandleX) {
		r.consumed[ast.Unparen(k.recv)] = true
		if sel, ok := ast.Unparen(k.recv).(*ast.SelectorExpr); ok {
			r.consumed[sel.Sel] = true
		}
		if c2, ok := ast.Unparen(k.recv).(*ast.CallExpr); ok {
			for _, a := range c2.Args {
				r.consumed[a] = true
			}
		}
	}
	val := r.opts.Value
	what := "check of " + r.opts.Flag
	if !r.pureCall(c, k.recv) {
		r.skip(c, "%s: its arguments have side effects; left alone", what)
		return
	}
	n := len(r.skipped)
	defer func() {
		if k.form != formHandle && len(r.skipped) == n {
			r.rewritten++
		}
	}()
	switch k.form {
	case formBool, formHandleM:
		r.site(c, c, val, what)
	case formHandle:
		r.skip(c, "the handle of %s is stored or passed here, not checked; left alone (change it by hand)", r.opts.Flag)
	case formStruct, formHandleX:
		field := k.field
		if k.form == formHandleX {
			field = "Enabled"
		}
		if sel, ok := r.parent[c].(*ast.SelectorExpr); ok && !k.pair && sel.Sel.Name == field {
			r.consumed[sel] = true
			r.site(sel, c, val, what)
			return
		}
		r.holder(c, k.pair, field, val, what)
	case formPair:
		r.holder(c, true, "", val, what)
	}
}

// holder handles a result held in a variable: v := ev.Explain(…), v, _ :=
// client.BooleanValue(…), d, _ := client.BooleanValueDetails(…). field is the
// field holding the value ("" when the variable is the value).
func (r *round) holder(c *ast.CallExpr, pair bool, field string, val bool, what string) {
	as, ok := r.parent[c].(*ast.AssignStmt)
	want := 1
	if pair {
		want = 2
	}
	if !ok || len(as.Rhs) != 1 || len(as.Lhs) != want {
		r.skip(c, "%s: its result is used in a way cleanup does not rewrite; left alone", what)
		return
	}
	if pair {
		if id, ok := as.Lhs[1].(*ast.Ident); !ok || id.Name != "_" {
			r.skip(c, "%s: its error result is used; left alone (after the cleanup it is always nil)", what)
			return
		}
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		r.skip(c, "%s: its result is stored in a field; left alone", what)
		return
	}
	if id.Name == "_" {
		r.dropStmt(as)
		return
	}
	obj := r.info.Defs[id]
	if obj != nil && as.Tok == token.DEFINE {
		if r.propagate(as, obj, field, val) {
			return
		}
	}
	if field != "" {
		r.skip(c, "%s: the value is kept in %s and used beyond %s.%s; left alone", what, id.Name, id.Name, field)
		return
	}
	tok := " = "
	if obj != nil && as.Tok == token.DEFINE {
		tok = " := "
	}
	r.replace(id.End(), as.End(), tok+boolText(val))
}

// site handles e (a bool expression that is a check with the value val) whose
// dropped parts (call c) were found pure.
func (r *round) site(e ast.Expr, c *ast.CallExpr, val bool, what string) bool {
	root := r.root(e)
	switch p := r.parent[root].(type) {
	case *ast.IfStmt, *ast.ForStmt, *ast.ReturnStmt:
		if ifs, ok := p.(*ast.IfStmt); ok && ifs.Cond != root {
			break
		}
		if fs, ok := p.(*ast.ForStmt); ok && fs.Cond != root {
			break
		}
		r.seeds[e] = val
		r.roots[root] = true
		return true
	case *ast.ExprStmt:
		if root == ast.Expr(c) {
			r.dropStmt(p)
			return true
		}
	case *ast.AssignStmt:
		i := indexOf(p.Rhs, root)
		if i < 0 || len(p.Lhs) != len(p.Rhs) {
			break
		}
		id, ok := p.Lhs[i].(*ast.Ident)
		if !ok {
			r.skip(e, "%s: the value is stored in a field or element; left alone", what)
			return false
		}
		if obj := r.info.Defs[id]; obj != nil && len(p.Lhs) == 1 && root == e && p.Tok == token.DEFINE {
			if r.propagate(p, obj, "", val) {
				return true
			}
		}
		r.seeds[e] = val
		r.roots[root] = true
		return true
	case *ast.ValueSpec:
		if len(p.Names) == 1 && root == e {
			if ds, ok := r.parent[r.parent[p]].(*ast.DeclStmt); ok && len(r.parent[p].(*ast.GenDecl).Specs) == 1 {
				if obj := r.info.Defs[p.Names[0]]; obj != nil && r.propagate(ds, obj, "", val) {
					return true
				}
			}
		}
		r.seeds[e] = val
		r.roots[root] = true
		return true
	case *ast.CallExpr:
		r.skip(e, "%s: the value is passed to a function; left alone", what)
		return false
	case *ast.CompositeLit, *ast.KeyValueExpr:
		r.skip(e, "%s: the value is stored in a struct field or literal; left alone", what)
		return false
	case *ast.SwitchStmt, *ast.CaseClause:
		r.skip(e, "%s: the value is used in a switch; left alone", what)
		return false
	}
	r.skip(e, "%s: used in a position cleanup does not rewrite; left alone", what)
	return false
}

// root climbs from e through parentheses, ! and the boolean operators.
func (r *round) root(e ast.Expr) ast.Expr {
	for {
		switch p := r.parent[e].(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.UnaryExpr:
			if p.Op == token.NOT {
				e = p
				continue
			}
		case *ast.BinaryExpr:
			if p.Op == token.LAND || p.Op == token.LOR || (p.Op == token.EQL || p.Op == token.NEQ) && r.isBool(p.X) && r.isBool(p.Y) {
				e = p
				continue
			}
		}
		return e
	}
}

func (r *round) isBool(e ast.Expr) bool {
	tv, ok := r.info.Types[e]
	if !ok {
		return false
	}
	b, ok := tv.Type.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

func indexOf(list []ast.Expr, e ast.Expr) int {
	for i, x := range list {
		if x == e {
			return i
		}
	}
	return -1
}

// propagate replaces every use of a local variable holding the value (or, with
// field, every v.field) when each is in a condition or a return, and deletes
// the declaration decl. It reports whether it did.
func (r *round) propagate(decl ast.Stmt, obj types.Object, field string, val bool) bool {
	var uses []ast.Expr
	ok := true
	ast.Inspect(r.file, func(n ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !ok || !isID || r.info.Uses[id] != obj {
			return ok
		}
		var e ast.Expr = id
		if field != "" {
			sel, isSel := r.parent[id].(*ast.SelectorExpr)
			if !isSel || sel.X != id || sel.Sel.Name != field {
				ok = false
				return false
			}
			e = sel
		}
		switch p := r.parent[r.root(e)].(type) {
		case *ast.IfStmt:
			ok = p.Cond == r.root(e)
		case *ast.ForStmt:
			ok = p.Cond == r.root(e)
		case *ast.ReturnStmt:
		default:
			ok = false
		}
		uses = append(uses, e)
		return ok
	})
	if !ok || len(uses) == 0 {
		return false
	}
	for _, e := range uses {
		r.seeds[e] = val
		r.roots[r.root(e)] = true
	}
	r.dropStmt(decl)
	return true
}

func recvOf(info *types.Info, c *ast.CallExpr) ast.Expr {
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && info.Selections[sel] != nil {
		return sel.X
	}
	return nil
}

func boolText(v bool) string {
	if v {
		return "true"
	}
	return "false"
}

// generatedObj reports whether obj is declared in a generated file.
func (st *state) generatedObj(obj types.Object) bool {
	fset := st.p.fset
	if obj.Pkg() == nil || !st.p.unitPaths[obj.Pkg().Path()] {
		fset = st.p.depFset
	}
	name := fset.Position(obj.Pos()).Filename
	if name == "" {
		return false
	}
	if src, ok := st.p.src[name]; ok {
		return isGenerated(src)
	}
	src, err := st.opts.ReadFile(name)
	return err == nil && isGenerated(src)
}
