package cleanup

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// pureCall reports whether dropping call c loses nothing but the check: its
// receiver and arguments have no side effects.
func (r *round) pureCall(c *ast.CallExpr, recv ast.Expr) bool {
	if recv != nil && !r.pure(recv) {
		return false
	}
	for _, a := range c.Args {
		if !r.pure(a) {
			return false
		}
	}
	return true
}

// pure reports whether evaluating e has no side effect: no call but
// conversions, builtins without effects, and constructors of the flag and
// OpenFeature packages and context; no receive.
func (r *round) pure(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a literal is a value; its body does not run
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
		case *ast.CallExpr:
			if !r.pureCallee(n) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

func (r *round) pureCallee(c *ast.CallExpr) bool {
	if tv, ok := r.info.Types[c.Fun]; ok && tv.IsType() {
		return true
	}
	fun := ast.Unparen(c.Fun)
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	}
	if id == nil {
		return false
	}
	switch obj := r.info.Uses[id].(type) {
	case *types.Builtin:
		switch obj.Name() {
		case "len", "cap", "min", "max", "real", "imag", "complex", "new", "make":
			return true
		}
	case *types.Func:
		if obj.Pkg() == nil {
			return false
		}
		switch obj.Pkg().Path() {
		case evalPath, ofPath, "context":
			return recvNamed(obj) != "Evaluator" || obj.Name() == "Flag"
		case "strings", "strconv", "unicode", "unicode/utf8", "math", "errors", "path", "path/filepath":
			return recvNamed(obj) == "" // package functions without state
		case "fmt":
			return strings.HasPrefix(obj.Name(), "Sprint") || obj.Name() == "Errorf"
		case "net/http":
			switch recvNamed(obj) + "." + obj.Name() {
			case "Request.Context", "Header.Get", "Header.Values":
				return r.pureRecv(c)
			}
		case "net/url":
			switch recvNamed(obj) + "." + obj.Name() {
			case "URL.Query", "Values.Get", "Values.Has", "URL.String":
				return r.pureRecv(c)
			}
		}
		if obj.Name() == "ActorID" {
			return r.pureRecv(c)
		}
	}
	return false
}

// pureRecv reports whether the receiver of method call c is pure (Inspect
// visits it anyway; this keeps pureCallee correct on its own).
func (r *round) pureRecv(c *ast.CallExpr) bool {
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		return r.pure(sel.X)
	}
	return true
}
