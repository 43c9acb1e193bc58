package cleanup

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestSafety: a rewrite whose result would not type-check returns a
// *BuildError (the caller writes nothing); a package that did not type-check
// before is refused; an unexported method an interface declares is kept.
func TestSafety(t *testing.T) {
	dir := newModule(t, map[string]string{
		// Removing the branch leaves x assigned but unused; cleanup removes the
		// declaration, and the assignment no longer compiles.
		"broken/x.go": `package broken

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

func compute() int { return 1 }

func F(ev *eval.Evaluator) {
	var x int
	x = compute()
	if ev.Enabled("new_checkout_enabled") {
		fmt.Println(x)
	}
}
`,
		"bad/x.go": `package bad

import "github.com/flagctl/flagctl/pkg/eval"

func F(ev *eval.Evaluator) int {
	if ev.Enabled("new_checkout_enabled") {
		return undefinedName
	}
	return 0
}
`,
		"tags/x.go": `package tags

import "github.com/flagctl/flagctl/pkg/eval"

func On(ev *eval.Evaluator) bool { return ev.Enabled("new_checkout_enabled") }
`,
		"tags/x_windows.go": `package tags

import (
	"example.com/app/flags"
	"github.com/flagctl/flagctl/pkg/eval"
)

func Win(ev *eval.Evaluator) int {
	if ev.Enabled(flags.NewCheckoutEnabled) {
		return 1
	}
	return 0
}
`,
		"iface/x.go": `package iface

import "github.com/flagctl/flagctl/pkg/eval"

type checker interface{ on() bool }

type impl struct{ ev *eval.Evaluator }

func (i impl) on() bool { return i.ev.Enabled("new_checkout_enabled") }

var _ checker = impl{}

func Use(i impl) int {
	if i.on() {
		return 1
	}
	return 2
}
`,
	})
	_, err := Run(Options{Flag: "new_checkout_enabled", Value: false, Dir: dir, Patterns: []string{"./broken"}})
	var be *BuildError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "broken/x.go:10:2: undefined: x (in the rewritten line \"x = compute()\")") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("broken: err = %v, want a BuildError naming undefined: x", err)
	}
	_, err = Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./bad"}})
	if !errors.Is(err, ErrNotCompiling) || !strings.Contains(err.Error(), "bad/x.go:7:10:") {
		t.Errorf("bad: err = %v, want ErrNotCompiling at bad/x.go:7:10", err)
	}
	res, err := Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./tags"}, Idents: []string{"NewCheckoutEnabled"}})
	if err != nil || len(res.Skipped) != 1 || !strings.HasSuffix(res.Skipped[0].Pos.String(), "tags/x_windows.go:9:22") ||
		!strings.Contains(res.Skipped[0].Msg, "excluded by its build constraints") || len(res.Changed) != 1 {
		t.Errorf("tags: %v %+v", err, res)
	}
	t.Setenv("GOOS", "windows") // the windows file is rewritten under its configuration
	res, err = Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./tags"}, Idents: []string{"NewCheckoutEnabled"}})
	if err != nil || len(res.Skipped) != 0 || len(res.Changed) != 2 || !strings.Contains(string(res.Changed[1].New), "func Win(ev *eval.Evaluator) int {\n\treturn 1\n}") {
		t.Errorf("tags with GOOS=windows: %v %+v", err, res)
	}
	t.Setenv("GOOS", "")
	res, err = Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./iface"}})
	if err != nil {
		t.Fatalf("iface: %v", err)
	}
	if len(res.Changed) != 1 || !strings.Contains(string(res.Changed[0].New), "func (i impl) on() bool { return true }") ||
		!strings.Contains(string(res.Changed[0].New), "func Use(i impl) int {\n\treturn 1\n}") {
		t.Errorf("iface: %+v", res.Changed)
	}
}

// TestRelevantUnits: only the packages mentioning the flag, their importers and
// their dependencies are read and type-checked.
func TestRelevantUnits(t *testing.T) {
	dir := newModule(t, map[string]string{
		"a/a.go": "package a\n\nimport (\n\t\"example.com/app/d\"\n\t\"github.com/flagctl/flagctl/pkg/eval\"\n)\n\n// On checks.\nfunc On(ev *eval.Evaluator) bool { return ev.Enabled(\"new_checkout_enabled\") && d.D }\n",
		"b/b.go": "package b\n\nimport \"example.com/app/a\"\n\nvar _ = a.On\n",
		"c/c.go": "package c\n\n// C is unrelated.\nconst C = 1\n",
		"d/d.go": "package d\n\n// D is a dependency of a.\nconst D = true\n",
		"e/e.go": "package e\n\nimport \"example.com/app/flags\"\n\n// K mentions the flag through the generated constant.\nconst K = flags.NewCheckoutEnabled\n",
	})
	p, err := load(dir, []string{"./..."}, os.ReadFile, "new_checkout_enabled", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range p.units {
		got = append(got, strings.TrimPrefix(u.path, "example.com/app/"))
	}
	if strings.Join(got, " ") != "d a b flags e" {
		t.Errorf("units = %v, want d a b flags e (not c; flags only as e's dependency)", got)
	}
}

// TestGeneratedFileChecksReported: a check in generated code (not flagctl's
// own) is not edited, but it is reported: after the flag is removed it would
// answer false whatever the cleaned value.
func TestGeneratedFileChecksReported(t *testing.T) {
	dir := newModule(t, map[string]string{
		"gen/hand.go": `package gen

import "github.com/flagctl/flagctl/pkg/eval"

func Hand(ev *eval.Evaluator) bool { return ev.Enabled("new_checkout_enabled") }
`,
		"gen/zz_generated.go": `// Code generated by mockery. DO NOT EDIT.

package gen

import "github.com/flagctl/flagctl/pkg/eval"

func Gen(ev *eval.Evaluator) bool {
	return ev.Enabled("new_checkout_enabled")
}
`,
		"genonly/zz_generated.go": `// Code generated by mockery. DO NOT EDIT.

package genonly

import "github.com/flagctl/flagctl/pkg/eval"

func Gen(ev *eval.Evaluator) bool { return ev.Enabled("new_checkout_enabled") }
`,
	})
	res, err := Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./genonly"}})
	if err != nil || len(res.Skipped) != 1 || !strings.HasSuffix(res.Skipped[0].Pos.String(), "genonly/zz_generated.go:7:44") {
		t.Errorf("a package of generated code only: %v %+v", err, res.Skipped)
	}
	res, err = Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./gen"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changed) != 1 || !strings.HasSuffix(res.Changed[0].Path, "hand.go") {
		t.Errorf("changed: %+v", res.Changed)
	}
	if len(res.Skipped) != 1 || !strings.HasSuffix(res.Skipped[0].Pos.String(), "gen/zz_generated.go:8:9") ||
		!strings.Contains(res.Skipped[0].Msg, "generated") {
		t.Errorf("skipped: %+v, want the check in zz_generated.go reported", res.Skipped)
	}
}
