// Package cleanup removes a feature flag from Go source: every check of the flag
// becomes the flag's final value, and the code that can no longer run goes with
// it. Checks are recognised by type: the evaluator of pkg/eval (Enabled,
// EnabledFor, Explain(…).Enabled), its typed handles (ev.Flag(name) and the
// fields of `flagctl generate go` output), the OpenFeature Go client (Boolean,
// BooleanValue, BooleanValueDetails(…).Value) and configured call names whose
// first string argument is the flag's name.
//
// The rewrite works in rounds: type-check, rewrite the sites and simplify what
// they touch, splice the edits into the source and gofmt it; then again until
// nothing changes. Variables and imports the rewrite leaves unused are removed,
// and unexported functions that now only return a constant are inlined into
// their callers and deleted. Every round's result must type-check; otherwise Run
// returns a *BuildError and nothing is to be written.
package cleanup

import (
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Options say what to clean and where.
type Options struct {
	// Flag is the flag's name, as written in the flag files.
	Flag string
	// Value is the constant every check of Flag becomes.
	Value bool
	// Dir is the directory the package patterns are resolved in (the module
	// root, usually); "" means the working directory.
	Dir string
	// Patterns are the packages to rewrite (go list patterns); none means "./...".
	Patterns []string
	// Files, when set, restricts the rewrite to these files and the files under
	// these directories (absolute paths); the rest of their packages is only read.
	Files []string
	// Idents are the Go identifiers generated code gives the flag (the key
	// constant and the handle field, NewCheckoutEnabled): used to find mentions
	// in files the build configuration excludes.
	Idents []string
	// Calls are extra function or method names whose first string argument is a
	// flag name and whose result is a bool (or a bool and an error).
	Calls []string
	// ReadFile reads a source file; nil means os.ReadFile.
	ReadFile func(string) ([]byte, error)

	calls map[string]bool
}

// edits reports whether the file at path may be rewritten.
func (o *Options) edits(path string) bool {
	if len(o.Files) == 0 {
		return true
	}
	for _, f := range o.Files {
		if path == f || strings.HasPrefix(path, strings.TrimSuffix(f, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// Finding is a place the rewrite reports: a site left alone, or a function that
// now returns a constant.
type Finding struct {
	// Pos is the position in the rewritten file.
	Pos token.Position
	// Orig is the same place in the file as it was before the cleanup (for a
	// dry run); its Line is 0 when the line itself was rewritten.
	Orig token.Position
	Msg  string
}

func (f Finding) String() string {
	if f.Pos.Filename == "" {
		return f.Msg
	}
	if f.Pos.Line == 0 {
		return f.Pos.Filename + ": " + f.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", f.Pos.Filename, f.Pos.Line, f.Pos.Column, f.Msg)
}

// FileChange is one rewritten file.
type FileChange struct {
	Path     string
	Old, New []byte
}

// Result is what a cleanup would change.
type Result struct {
	// Changed lists the rewritten files, sorted by path.
	Changed []FileChange
	// Rewritten counts the checks of the flag replaced by its value.
	Rewritten int
	// Skipped are the checks left alone because rewriting them is not safe,
	// with positions in the rewritten files.
	Skipped []Finding
	// Notes report functions that now return a constant (exported ones are kept)
	// and the unexported ones removed.
	Notes []Finding
}

// BuildError says the rewrite would leave code that does not type-check (or the
// code did not type-check before); nothing is to be written.
type BuildError struct {
	Errs []Finding
}

func (e *BuildError) Error() string {
	var b strings.Builder
	b.WriteString("the rewritten code would not compile, so nothing was written:")
	for i, f := range e.Errs {
		if i == 10 {
			fmt.Fprintf(&b, "\n\t… and %d more", len(e.Errs)-10)
			break
		}
		b.WriteString("\n\t" + f.String())
	}
	return b.String()
}

// ErrNotCompiling is wrapped by errors for packages that already failed to
// type-check before the rewrite.
var ErrNotCompiling = errors.New("the package does not type-check before the cleanup; fix it first")

// maxRounds bounds the fixed-point loop; each round removes code, so real
// programs settle in a handful.
const maxRounds = 200

// Run computes the cleanup of opts.Flag. It writes nothing: the caller writes
// Result.Changed.
func Run(opts Options) (*Result, error) {
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	if len(opts.Patterns) == 0 {
		opts.Patterns = []string{"./..."}
	}
	opts.calls = map[string]bool{}
	for _, c := range opts.Calls {
		opts.calls[c] = true
	}
	p, err := load(opts.Dir, opts.Patterns, opts.ReadFile, opts.Flag, opts.Idents)
	if err != nil {
		return nil, err
	}
	orig := map[string][]byte{}
	for f, b := range p.src {
		orig[f] = b
	}
	st := &state{
		opts: &opts, p: p, marked: map[string]bool{}, inlined: map[string]bool{},
		constNoted: map[string]bool{}, res: &Result{},
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	p.baseline = map[*unit][]types.Error{}
	for _, u := range p.units {
		if len(u.errs) > 0 {
			p.baseline[u] = u.errs
		}
	}
	for i := 0; ; i++ {
		if i == maxRounds {
			return nil, fmt.Errorf("internal error: the cleanup of %s did not settle after %d rounds", opts.Flag, maxRounds)
		}
		if i > 0 {
			if err := p.check(); err != nil {
				return nil, &BuildError{Errs: []Finding{{Msg: err.Error()}}}
			}
		}
		changed, err := st.round(orig)
		if err != nil {
			return nil, err
		}
		if !changed {
			break
		}
	}
	for f, b := range p.src {
		if string(b) != string(orig[f]) {
			st.res.Changed = append(st.res.Changed, FileChange{Path: f, Old: orig[f], New: b})
		}
	}
	sort.Slice(st.res.Changed, func(i, j int) bool { return st.res.Changed[i].Path < st.res.Changed[j].Path })
	st.res.Skipped = append(st.res.Skipped, st.excluded()...)
	for i, f := range st.res.Skipped {
		st.res.Skipped[i].Orig = origPos(orig[f.Pos.Filename], p.src[f.Pos.Filename], f.Pos)
	}
	sortFindings(st.res.Skipped)
	sortFindings(st.res.Notes)
	return st.res, nil
}

// round runs one rewrite round on the checked program; it reports whether any
// file changed. The last round (no change) records the findings.
func (st *state) round(orig map[string][]byte) (bool, error) {
	p := st.p
	// 1. Type errors: unused variables and imports left by the previous round
	// are fixed first; anything else stops the cleanup.
	fixes := map[string][]edit{}
	rounds := map[*ast.File]*round{}
	var hard []Finding
	for _, u := range p.units {
		if base, ok := p.baseline[u]; ok {
			for _, f := range u.files {
				if string(p.src[f]) != string(orig[f]) {
					return false, fmt.Errorf("%s: %w: %s", base[0].Fset.Position(base[0].Pos), ErrNotCompiling, base[0].Msg)
				}
			}
			continue
		}
		for _, te := range u.errs {
			pos := te.Fset.Position(te.Pos)
			f := p.fileOf(u, pos.Filename)
			if f == nil {
				hard = append(hard, Finding{Pos: pos, Msg: te.Msg})
				continue
			}
			if rounds[f] == nil {
				rounds[f] = newRound(st, u, f, nil)
				rounds[f].unused = map[token.Pos]bool{}
				for _, other := range u.errs {
					if strings.Contains(other.Msg, "declared and not used") {
						rounds[f].unused[other.Pos] = true
					}
				}
			}
			if e, ok := fixUnused(rounds[f], te); ok {
				fixes[pos.Filename] = append(fixes[pos.Filename], e...)
				continue
			}
			hard = append(hard, Finding{Pos: pos, Msg: te.Msg + lineOf(p.src[pos.Filename], pos.Line)})
		}
	}
	if len(hard) > 0 {
		sortFindings(hard)
		return false, &BuildError{Errs: dedupe(hard)}
	}
	if len(fixes) > 0 {
		return true, st.apply(fixes)
	}
	// 2. Sites, per file in the view of its owner unit.
	edits := map[string][]edit{}
	rewritten := 0
	var skipped, notes []Finding
	for _, u := range p.units {
		consts := st.constFuncs(u, &notes)
		for _, af := range u.syntax {
			name := p.fset.File(af.Pos()).Name()
			if p.owner[name] != u || !st.opts.edits(name) {
				continue
			}
			if isGenerated(p.src[name]) {
				if !isFlagctlGenerated(p.src[name]) {
					skipped = append(skipped, newRound(st, u, af, consts).generatedChecks()...)
				}
				continue
			}
			r := newRound(st, u, af, consts)
			r.run()
			if len(r.edits) > 0 {
				edits[name] = r.edits
				rewritten += r.rewritten
			}
			skipped = append(skipped, r.skipped...)
		}
	}
	if len(edits) == 0 {
		st.res.Skipped = dedupe(skipped)
		st.res.Notes = append(st.res.Notes, notes...)
		return false, nil
	}
	st.res.Rewritten += rewritten
	return true, st.apply(edits)
}

// fileOf returns u's syntax of filename.
func (p *program) fileOf(u *unit, filename string) *ast.File {
	for _, af := range u.syntax {
		if p.fset.File(af.Pos()).Name() == filename {
			return af
		}
	}
	return nil
}

// apply splices each file's edits, marks the functions they touch and gofmts the
// result.
func (st *state) apply(edits map[string][]edit) error {
	p := st.p
	names := make([]string, 0, len(edits))
	for n := range edits {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		u := p.owner[name]
		af := p.fileOf(u, name)
		tf := p.fset.File(af.Pos())
		es := normalize(edits[name])
		for _, e := range es {
			for _, d := range af.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if ok && tf.Offset(fd.Pos()) <= e.start && e.end <= tf.Offset(fd.End()) {
					st.marked[funcKey(name, fd)] = true
				}
			}
		}
		out := splice(p.src[name], es)
		formatted, err := format.Source(out)
		if err != nil {
			return fmt.Errorf("internal error: rewriting %s produced code that does not parse (%v); nothing was written", name, err)
		}
		p.src[name] = formatted
	}
	return nil
}

// funcKey names a function declaration stably across rounds.
func funcKey(file string, fd *ast.FuncDecl) string {
	recv := ""
	if fd.Recv != nil && len(fd.Recv.List) > 0 {
		t := fd.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		if ix, ok := t.(*ast.IndexExpr); ok {
			t = ix.X
		}
		if ix, ok := t.(*ast.IndexListExpr); ok {
			t = ix.X
		}
		if id, ok := t.(*ast.Ident); ok {
			recv = id.Name + "."
		}
	}
	return file + "\x00" + recv + fd.Name.Name
}
