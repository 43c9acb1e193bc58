package cleanup

import (
	"go/ast"
	"go/constant"
	"go/types"
)

// Import paths of the packages whose call forms are known.
const (
	evalPath = "github.com/flagctl/flagctl/pkg/eval"
	ofPath   = "github.com/open-feature/go-sdk/openfeature"
)

// form says how a recognised call carries the flag's value.
type form int

const (
	formNone    form = iota
	formBool         // the call is the value: Enabled, EnabledFor, Boolean
	formPair         // (value bool, err error): BooleanValue
	formStruct       // a struct whose field holds the value: Explain, BooleanValueDetails
	formHandle       // an eval.Flag handle: Evaluator.Flag
	formHandleM      // a method of a handle: Flag.Enabled, Flag.EnabledFor
	formHandleX      // Flag.Explain
)

// call is a recognised check of the flag.
type call struct {
	form  form
	field string // formStruct: the field holding the value (Enabled, Value)
	pair  bool   // formStruct: the struct comes with an error ((T, error))
	recv  ast.Expr
	flag  ast.Expr // the argument naming the flag (nil for handle methods)
}

// callee returns the function or method a call invokes, nil if unknown.
func callee(info *types.Info, c *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch fun := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	case *ast.IndexExpr: // generic instantiation
		return nil
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

// recvNamed returns the name of the named type a method belongs to ("" for a
// function).
func recvNamed(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// isNamed reports whether t is the named type pkg.name (or a pointer to it).
func isNamed(t types.Type, pkg, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// names reports whether e is a constant string equal to the flag's name.
func (r *round) names(e ast.Expr) bool {
	tv, ok := r.info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.String && constant.StringVal(tv.Value) == r.opts.Flag
}

// classify recognises c as a check of the flag.
func (r *round) classify(c *ast.CallExpr) (call, bool) {
	fn := callee(r.info, c)
	if fn == nil || fn.Pkg() == nil {
		return call{}, false
	}
	var recv ast.Expr
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		if s := r.info.Selections[sel]; s != nil {
			recv = sel.X
		}
	}
	arg := func(i int) ast.Expr {
		if i < len(c.Args) && r.names(c.Args[i]) {
			return c.Args[i]
		}
		return nil
	}
	switch fn.Pkg().Path() {
	case evalPath:
		switch recvNamed(fn) + "." + fn.Name() {
		case "Evaluator.Enabled", "Evaluator.EnabledFor":
			if a := arg(0); a != nil {
				return call{form: formBool, recv: recv, flag: a}, true
			}
		case "Evaluator.Explain":
			if a := arg(0); a != nil {
				return call{form: formStruct, field: "Enabled", recv: recv, flag: a}, true
			}
		case "Evaluator.Flag":
			if a := arg(0); a != nil {
				return call{form: formHandle, recv: recv, flag: a}, true
			}
		case "Flag.Enabled", "Flag.EnabledFor", "Flag.Explain":
			if recv != nil && r.isHandle(recv) {
				f := formHandleM
				if fn.Name() == "Explain" {
					f = formHandleX
				}
				return call{form: f, recv: recv}, true
			}
		}
	case ofPath:
		switch fn.Name() {
		case "Boolean":
			if a := arg(1); a != nil {
				return call{form: formBool, recv: recv, flag: a}, true
			}
		case "BooleanValue":
			if a := arg(1); a != nil {
				return call{form: formPair, recv: recv, flag: a}, true
			}
		case "BooleanValueDetails":
			if a := arg(1); a != nil {
				return call{form: formStruct, field: "Value", pair: true, recv: recv, flag: a}, true
			}
		}
	}
	if !r.opts.calls[fn.Name()] {
		return call{}, false
	}
	// A configured call: the first string argument names the flag; the result is
	// a bool, or a bool and an error.
	var flag ast.Expr
	for _, a := range c.Args {
		if t, ok := r.info.Types[a]; ok {
			if b, ok := t.Type.Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				flag = a
				break
			}
		}
	}
	if flag == nil || !r.names(flag) {
		return call{}, false
	}
	sig := fn.Type().(*types.Signature)
	res := sig.Results()
	isBool := func(t types.Type) bool {
		b, ok := t.Underlying().(*types.Basic)
		return ok && b.Kind() == types.Bool
	}
	switch {
	case res.Len() == 1 && isBool(res.At(0).Type()):
		return call{form: formBool, recv: recv, flag: flag}, true
	case res.Len() == 2 && isBool(res.At(0).Type()) && types.Identical(res.At(1).Type(), types.Universe.Lookup("error").Type()):
		return call{form: formPair, recv: recv, flag: flag}, true
	}
	return call{}, false
}

// isHandle reports whether e is a handle of the flag: ev.Flag("name") or a
// field of generated code (a struct field of type eval.Flag whose package
// declares a constant of the same name holding the flag's name).
func (r *round) isHandle(e ast.Expr) bool {
	e = ast.Unparen(e)
	if c, ok := e.(*ast.CallExpr); ok {
		k, ok := r.classify(c)
		return ok && k.form == formHandle
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	return r.isHandleField(r.info.Uses[sel.Sel])
}

func (r *round) isHandleField(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	if !ok || !v.IsField() || v.Pkg() == nil || !isNamed(v.Type(), evalPath, "Flag") {
		return false
	}
	return r.isFlagConst(v.Pkg().Scope().Lookup(v.Name()))
}

func (r *round) isFlagConst(obj types.Object) bool {
	c, ok := obj.(*types.Const)
	return ok && c.Val().Kind() == constant.String && constant.StringVal(c.Val()) == r.opts.Flag
}
