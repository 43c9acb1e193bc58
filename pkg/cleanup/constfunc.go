package cleanup

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// declKey is the funcKey of a function object of the program.
func (st *state) declKey(fn *types.Func) string {
	pos := st.p.fset.Position(fn.Pos())
	recv := recvNamed(fn)
	if recv != "" {
		recv += "."
	}
	return pos.Filename + "\x00" + recv + fn.Name()
}

// constFuncs returns the unexported functions of u a previous round left
// returning a constant, and notes the exported ones (in the final round).
func (st *state) constFuncs(u *unit, notes *[]Finding) map[*types.Func]bool {
	out := map[*types.Func]bool{}
	for _, af := range u.syntax {
		name := st.p.fset.File(af.Pos()).Name()
		if st.p.owner[name] != u {
			continue
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !st.marked[funcKey(name, fd)] {
				continue
			}
			v, ok := constReturn(u.info, fd)
			if !ok {
				continue
			}
			fn, _ := u.info.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			if fd.Name.IsExported() || fd.Name.Name == "init" || fd.Name.Name == "main" || strings.HasPrefix(fd.Name.Name, "Test") {
				*notes = append(*notes, Finding{Pos: st.p.fset.Position(fd.Name.Pos()),
					Msg: fmt.Sprintf("%s now always returns %v; it is exported, so it is kept: inline it by hand", fd.Name.Name, v)})
				continue
			}
			*notes = append(*notes, Finding{Pos: st.p.fset.Position(fd.Name.Pos()),
				Msg: fmt.Sprintf("%s now always returns %v; it is still referenced other than by calls, so it is kept", fd.Name.Name, v)})
			out[fn] = v
		}
	}
	return out
}

// constReturn reports whether fd's body is just `return true` or `return false`.
func constReturn(info *types.Info, fd *ast.FuncDecl) (bool, bool) {
	if len(fd.Body.List) != 1 || fd.Type.Results == nil || fd.Type.Results.NumFields() != 1 {
		return false, false
	}
	ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false, false
	}
	id, ok := ret.Results[0].(*ast.Ident)
	if !ok {
		return false, false
	}
	switch info.Uses[id] {
	case types.Universe.Lookup("true"):
		return true, true
	case types.Universe.Lookup("false"):
		return false, true
	}
	return false, false
}

// deleteConstFuncs deletes the constant functions whose calls were all
// rewritten: those no longer referenced anywhere in the package.
func (r *round) deleteConstFuncs() {
	if len(r.consts) == 0 {
		return
	}
	used := map[types.Object]bool{}
	for _, obj := range r.u.info.Uses {
		used[obj] = true
	}
	for _, d := range r.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fn, _ := r.info.Defs[fd.Name].(*types.Func)
		v, isConst := r.consts[fn]
		if fn == nil || !isConst || used[fn] || !r.st.inlined[funcKey(r.name, fd)] {
			continue
		}
		if fd.Recv != nil && r.interfaceMethod(fd.Name.Name) {
			continue // the type may implement an interface through it
		}
		start, end := r.stmtRange(fd)
		r.edits = append(r.edits, edit{start, end, ""})
		r.st.res.Notes = append(r.st.res.Notes, Finding{Pos: token.Position{Filename: r.name},
			Msg: fmt.Sprintf("removed %s: it always returned %v and every call was rewritten", fd.Name.Name, v)})
	}
}

// interfaceMethod reports whether an interface type of the package declares a
// method called name (an unexported method can only satisfy those).
func (r *round) interfaceMethod(name string) bool {
	found := false
	for _, af := range r.u.syntax {
		ast.Inspect(af, func(n ast.Node) bool {
			it, ok := n.(*ast.InterfaceType)
			if !ok || found {
				return !found
			}
			for _, m := range it.Methods.List {
				for _, id := range m.Names {
					found = found || id.Name == name
				}
			}
			return true
		})
	}
	return found
}
