package cleanup

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// unit is one package variant to type-check from source: a package of the
// patterns, or its test variant.
type unit struct {
	id      string
	path    string
	files   []string                     // absolute .go paths, compiled order
	imports map[string]*packages.Package // import path -> dependency
	deps    []*unit                      // imported units, checked first

	// Results of the last check.
	syntax []*ast.File
	info   *types.Info
	types  *types.Package
	errs   []types.Error
}

// program is every unit of the patterns with the current bytes of their files.
type program struct {
	dir   string
	units []*unit // dependency order
	src   map[string][]byte
	fset  *token.FileSet
	// depFset holds the positions of the dependencies' objects.
	depFset *token.FileSet
	// unitPaths are the package paths of the units.
	unitPaths map[string]bool
	// owner is, for each file, the unit whose view of it is used for rewriting:
	// the variant with the most files (a package's test variant sees its tests).
	owner map[string]*unit
	// needles are the texts a file mentioning the flag contains: its quoted
	// name, or a selector of a constant holding it (.NewCheckoutEnabled).
	needles []string
	// ignored are the Go files of the packages that build constraints exclude
	// from this configuration (GOOS, GOARCH, tags).
	ignored []string
	// baseline holds the units that did not type-check before any change.
	baseline map[*unit][]types.Error
}

// load lists the packages of patterns (with their tests) and reads their
// files. Dependencies come from export data; the packages themselves are
// type-checked from source by check, so cgo files are read as written.
func load(dir string, patterns []string, readFile func(string) ([]byte, error), flag string, idents []string) (*program, error) {
	depFset := token.NewFileSet()
	cfg := &packages.Config{
		Fset:  depFset,
		Mode:  packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedTypes | packages.NeedExportFile,
		Dir:   dir,
		Tests: true,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("listing packages in %s: %w", dir, err)
	}
	p := &program{depFset: depFset, dir: dir, src: map[string][]byte{}, owner: map[string]*unit{}}
	byID := map[string]*unit{}
	ignoredSet := map[string]bool{}
	var roots []*packages.Package
	for _, pkg := range pkgs {
		if strings.HasSuffix(pkg.ID, ".test") || pkg.PkgPath == "" {
			continue // the generated test main
		}
		var files []string
		for _, f := range pkg.GoFiles {
			if strings.HasSuffix(f, ".go") {
				files = append(files, f)
			}
		}
		if len(files) == 0 {
			if len(pkg.Errors) > 0 {
				return nil, fmt.Errorf("%s: %v", pkg.PkgPath, pkg.Errors[0])
			}
			continue
		}
		for _, f := range pkg.IgnoredFiles {
			if strings.HasSuffix(f, ".go") {
				ignoredSet[f] = true
			}
		}
		u := &unit{id: pkg.ID, path: pkg.PkgPath, files: files, imports: pkg.Imports}
		byID[pkg.ID] = u
		roots = append(roots, pkg)
	}
	if len(byID) == 0 {
		return nil, fmt.Errorf("no Go packages match %s in %s", strings.Join(patterns, " "), dir)
	}
	for f := range ignoredSet {
		p.ignored = append(p.ignored, f)
	}
	sort.Strings(p.ignored)
	// Dependency order among the units.
	state := map[string]int{}
	var visit func(pkg *packages.Package)
	visit = func(pkg *packages.Package) {
		u := byID[pkg.ID]
		if u == nil || state[pkg.ID] != 0 {
			return
		}
		state[pkg.ID] = 1
		paths := make([]string, 0, len(pkg.Imports))
		for ip := range pkg.Imports {
			paths = append(paths, ip)
		}
		sort.Strings(paths)
		for _, ip := range paths {
			dep := pkg.Imports[ip]
			if d := byID[dep.ID]; d != nil {
				visit(dep)
				u.deps = append(u.deps, d)
			}
		}
		state[pkg.ID] = 2
		p.units = append(p.units, u)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].ID < roots[j].ID })
	for _, pkg := range roots {
		visit(pkg)
	}
	for _, u := range p.units {
		for _, f := range u.files {
			if _, ok := p.src[f]; !ok {
				data, err := readFile(f)
				if err != nil {
					return nil, err
				}
				p.src[f] = data
			}
		}
	}
	p.needles = needles(pkgs, flag, idents)
	p.units = p.relevant(p.units)
	all := p.src
	p.src = map[string][]byte{}
	p.unitPaths = map[string]bool{}
	for _, u := range p.units {
		p.unitPaths[u.path] = true
		for _, f := range u.files {
			p.src[f] = all[f]
			if o := p.owner[f]; o == nil || len(u.files) > len(o.files) {
				p.owner[f] = u
			}
		}
	}
	return p, nil
}

// check parses and type-checks every unit from the current bytes.
func (p *program) check() error {
	p.fset = token.NewFileSet()
	parsed := map[string]*ast.File{}
	for _, u := range p.units {
		u.syntax = u.syntax[:0]
		for _, f := range u.files {
			af, ok := parsed[f]
			if !ok {
				var err error
				af, err = parser.ParseFile(p.fset, f, p.src[f], parser.ParseComments|parser.SkipObjectResolution)
				if err != nil {
					return err
				}
				parsed[f] = af
			}
			u.syntax = append(u.syntax, af)
		}
	}
	// A file shared by two variants is parsed once; each check records into its
	// own Info, keyed by the same nodes. Rewriting uses the owner's Info only, so
	// the owner is checked last.
	checked := map[*unit]bool{}
	var run func(u *unit)
	run = func(u *unit) {
		if checked[u] {
			return
		}
		checked[u] = true
		for _, d := range u.deps {
			run(d)
		}
		u.errs = nil
		u.info = &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
			Scopes:     map[ast.Node]*types.Scope{},
		}
		conf := types.Config{
			FakeImportC: true,
			Sizes:       types.SizesFor("gc", goarch()),
			Error: func(err error) {
				var te types.Error
				if errors.As(err, &te) {
					u.errs = append(u.errs, te)
				}
			},
			Importer: importerFunc(func(path string) (*types.Package, error) {
				dep := u.imports[path]
				if dep == nil {
					return nil, fmt.Errorf("package %s is not a dependency of %s", path, u.path)
				}
				for _, d := range u.deps {
					if d.id == dep.ID {
						return d.types, nil
					}
				}
				if dep.Types == nil {
					return nil, fmt.Errorf("no type information for %s", path)
				}
				return dep.Types, nil
			}),
		}
		u.types, _ = conf.Check(u.path, p.fset, u.syntax, u.info)
	}
	for _, u := range p.units {
		run(u)
	}
	return nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// isGenerated reports whether src starts with a "Code generated … DO NOT EDIT."
// line before the package clause.
func isGenerated(src []byte) bool {
	for _, line := range bytes.Split(src, []byte("\n")) {
		s := bytes.TrimSpace(line)
		if bytes.HasPrefix(s, []byte("package ")) {
			return false
		}
		if bytes.HasPrefix(s, []byte("// Code generated ")) && bytes.HasSuffix(s, []byte(" DO NOT EDIT.")) {
			return true
		}
	}
	return false
}

// isFlagctlGenerated reports whether src is flagctl's own generated code
// (flagctl generate go), which regenerating after the removal updates.
func isFlagctlGenerated(src []byte) bool {
	return bytes.Contains(src, []byte("// Code generated by flagctl. DO NOT EDIT."))
}

// goarch is the architecture go list builds for: $GOARCH, else this one.
func goarch() string {
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	return runtime.GOARCH
}

// needles lists what a file that mentions the flag contains: the quoted name,
// and a selector of every package-level constant holding it (in any loaded
// package, from export data) or of the given identifiers.
func needles(pkgs []*packages.Package, flag string, idents []string) []string {
	out := []string{strconv.Quote(flag)}
	for _, id := range idents {
		out = append(out, "."+id)
	}
	packages.Visit(pkgs, nil, func(pkg *packages.Package) {
		if pkg.Types == nil {
			return
		}
		sc := pkg.Types.Scope()
		for _, name := range sc.Names() {
			c, ok := sc.Lookup(name).(*types.Const)
			if ok && c.Val().Kind() == constant.String && constant.StringVal(c.Val()) == flag && !slices.Contains(out, "."+name) {
				out = append(out, "."+name)
			}
		}
	})
	return out
}

// mentions reports whether src contains a needle.
func (p *program) mentions(src []byte) bool {
	for _, n := range p.needles {
		if bytes.Contains(src, []byte(n)) {
			return true
		}
	}
	return false
}

// relevant keeps, in dependency order, the units the cleanup needs: those whose
// hand-written files mention the flag (they may change), those importing them
// (they must still compile), and every unit these import (so that all of them
// are checked from the same sources). The rest is neither read nor checked.
func (p *program) relevant(units []*unit) []*unit {
	need := map[*unit]bool{}
	for _, u := range units {
		for _, f := range u.files {
			// flagctl's own generated code always names the flag; other
			// generated code that does is reported (generatedChecks).
			if src := p.src[f]; !isFlagctlGenerated(src) && p.mentions(src) {
				need[u] = true
				break
			}
		}
	}
	// Importers, transitively (units are in dependency order).
	for _, u := range units {
		for _, d := range u.deps {
			if need[d] {
				need[u] = true
			}
		}
	}
	// Dependencies, transitively.
	for i := len(units) - 1; i >= 0; i-- {
		if need[units[i]] {
			for _, d := range units[i].deps {
				need[d] = true
			}
		}
	}
	var out []*unit
	for _, u := range units {
		if need[u] {
			out = append(out, u)
		}
	}
	return out
}
