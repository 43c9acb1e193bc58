package cleanup

import (
	"go/ast"
	"go/constant"
	"go/types"
)

// nameArg returns the argument of c that names the flag when c is a call of
// one of the check forms (eval, OpenFeature, a configured call), whatever
// that argument is; nil when c is none of them.
func (r *round) nameArg(c *ast.CallExpr) ast.Expr {
	fn := callee(r.info, c)
	if fn == nil || fn.Pkg() == nil {
		return nil
	}
	at := func(i int) ast.Expr {
		if i < len(c.Args) {
			return c.Args[i]
		}
		return nil
	}
	switch fn.Pkg().Path() {
	case evalPath:
		switch recvNamed(fn) + "." + fn.Name() {
		case "Evaluator.Enabled", "Evaluator.EnabledFor", "Evaluator.Explain", "Evaluator.Flag":
			return at(0)
		}
		return nil
	case ofPath:
		switch fn.Name() {
		case "Boolean", "BooleanValue", "BooleanValueDetails":
			return at(1)
		}
		return nil
	}
	if !r.opts.calls[fn.Name()] {
		return nil
	}
	for _, a := range c.Args {
		if t, ok := r.info.Types[a]; ok {
			if b, ok := t.Type.Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				return a
			}
		}
	}
	return nil
}

// heldName reports a check whose flag name is not a constant but a variable
// that holds the flag's name somewhere in the package (var n = "name", n :=
// FlagConst, n = "name"): which value it has at the check cannot be known
// without guessing, so the check is reported and left alone.
func (r *round) heldName(c *ast.CallExpr) bool {
	a := r.nameArg(c)
	if a == nil {
		return false
	}
	if tv, ok := r.info.Types[a]; !ok || tv.Value != nil {
		return false // a constant: classify decides
	}
	id, ok := ast.Unparen(a).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := r.info.Uses[id].(*types.Var)
	if !ok || !r.st.holdsFlag(r.u)[v] {
		return false
	}
	r.consumed[c.Fun] = true
	r.skip(c, "check of %s with the name held in a variable (%s); cleanup does not guess its value; left alone (write the name or its constant in the check, or change it by hand)", r.opts.Flag, id.Name)
	return true
}

// holdsFlag returns the variables of u that are given the flag's name: in a
// var declaration, a := or an = whose right side is a constant equal to it.
// It is computed once per type-check of u.
func (st *state) holdsFlag(u *unit) map[*types.Var]bool {
	if m, ok := st.holders[u.info]; ok {
		return m
	}
	m := map[*types.Var]bool{}
	isName := func(e ast.Expr) bool {
		tv, ok := u.info.Types[e]
		return ok && tv.Value != nil && tv.Value.Kind() == constant.String && constant.StringVal(tv.Value) == st.opts.Flag
	}
	mark := func(lhs, rhs []ast.Expr) {
		if len(lhs) != len(rhs) {
			return
		}
		for i, l := range lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || !isName(rhs[i]) {
				continue
			}
			obj := u.info.Defs[id]
			if obj == nil {
				obj = u.info.Uses[id]
			}
			if v, ok := obj.(*types.Var); ok {
				m[v] = true
			}
		}
	}
	for _, f := range u.syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				lhs := make([]ast.Expr, len(n.Names))
				for i, id := range n.Names {
					lhs[i] = id
				}
				mark(lhs, n.Values)
			case *ast.AssignStmt:
				mark(n.Lhs, n.Rhs)
			}
			return true
		})
	}
	if st.holders == nil {
		st.holders = map[*types.Info]map[*types.Var]bool{}
	}
	st.holders[u.info] = m
	return m
}
