package cleanup

import (
	"fmt"
	"strings"
	"testing"
)

// benchModule is a module with 200 files in 10 packages, each file checking
// new_checkout_enabled 5 times in different forms (1,000 references).
func benchModule(tb testing.TB) string {
	files := map[string]string{}
	for p := range 10 {
		for f := range 20 {
			var b strings.Builder
			fmt.Fprintf(&b, "package p%d\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/app/flags\"\n\t\"github.com/flagctl/flagctl/pkg/eval\"\n)\n\n", p)
			fmt.Fprintf(&b, "func F%d(ev *eval.Evaluator, fl *flags.Flags, u eval.Subject, n int) int {\n", f)
			b.WriteString("\tif ev.Enabled(\"new_checkout_enabled\") {\n\t\tn++\n\t}\n")
			b.WriteString("\tif !ev.EnabledFor(flags.NewCheckoutEnabled, u) && n > 2 {\n\t\tfmt.Println(\"old\")\n\t}\n")
			b.WriteString("\ton := fl.NewCheckoutEnabled.Enabled()\n\tif on {\n\t\tn *= 2\n\t}\n")
			b.WriteString("\tif n > 10 || ev.Explain(\"new_checkout_enabled\", u).Enabled {\n\t\tn--\n\t} else {\n\t\tn++\n\t}\n")
			b.WriteString("\tif fl.NewCheckoutEnabled.EnabledFor(u) {\n\t\treturn n\n\t}\n\treturn -n\n}\n")
			files[fmt.Sprintf("p%d/f%d.go", p, f)] = b.String()
		}
	}
	return newModule(tb, files)
}

// BenchmarkCleanup1000 cleans a flag referenced 1,000 times across 200 files
// (package loading, every round's type-check and formatting included; the
// dependencies' export data is cached by the first run, as after any build).
func BenchmarkCleanup1000(b *testing.B) {
	dir := benchModule(b)
	opts := Options{Flag: "new_checkout_enabled", Value: true, Dir: dir}
	res, err := Run(opts)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Changed) != 200 || res.Rewritten != 1000 || len(res.Skipped) > 0 {
		b.Fatalf("changed %d files, rewrote %d, skipped %v", len(res.Changed), res.Rewritten, res.Skipped)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(opts); err != nil {
			b.Fatal(err)
		}
	}
}
