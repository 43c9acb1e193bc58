package cleanup

import (
	"strings"
	"testing"
)

// TestNameInVariableReported: a check whose flag name comes from a variable
// holding the flag's name (a package-level var, a local set from a constant
// declared in another file) is not guessed at: it is reported and left alone. A
// wrapper taking any name as a parameter is not a check of the flag.
func TestNameInVariableReported(t *testing.T) {
	dir := newModule(t, map[string]string{
		"dyn/consts.go": `package dyn

// FlagCheckout names the checkout flag.
const FlagCheckout = "new_checkout_enabled"
`,
		"dyn/dyn.go": `package dyn

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/eval"
)

var held = "new_checkout_enabled"

func on(ev *eval.Evaluator, name string) bool { return ev.Enabled(name) }

// Serve checks the flag in several ways.
func Serve(ev *eval.Evaluator, u eval.Actor) string {
	if ev.Enabled(held) {
		fmt.Println("held")
	}
	n := FlagCheckout
	if ev.EnabledFor(n, u) {
		fmt.Println("local")
	}
	if on(ev, "other_enabled") {
		fmt.Println("other")
	}
	if ev.Enabled(FlagCheckout) {
		return "new"
	}
	return "old"
}
`,
	})
	res, err := Run(Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./dyn"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Skipped {
		got = append(got, f.String())
	}
	want := []string{"dyn/dyn.go:15:5", "dyn/dyn.go:19:5"}
	if len(res.Skipped) != len(want) {
		t.Fatalf("skipped %d: %q, want the checks at %v", len(res.Skipped), got, want)
	}
	for i, w := range want {
		if !strings.HasSuffix(res.Skipped[i].Pos.String(), w) || !strings.Contains(res.Skipped[i].Msg, "held in a variable") {
			t.Errorf("skipped[%d] = %q, want at %s, saying the name is held in a variable", i, got[i], w)
		}
	}
	if len(res.Changed) != 1 {
		t.Fatalf("changed %d files, want dyn.go", len(res.Changed))
	}
	src := string(res.Changed[0].New)
	for _, keep := range []string{"if ev.Enabled(held) {", "if ev.EnabledFor(n, u) {", `return "new"`} {
		if !strings.Contains(src, keep) {
			t.Errorf("the rewrite lost %q:\n%s", keep, src)
		}
	}
}
