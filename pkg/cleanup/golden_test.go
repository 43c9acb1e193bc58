package cleanup

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden cleans new_checkout_enabled out of each testdata/golden/NAME.input.go
// (in its own package of one module) and compares the file with NAME.golden and
// what was reported with NAME.report. A first-line comment "// value: false"
// cleans to false, "// calls: A,B" configures call names. Every golden output
// must compile (go vet of the whole module) and clean to itself (idempotence).
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/golden/*.input.go")
	if err != nil || len(inputs) == 0 {
		t.Fatal("no golden inputs", err)
	}
	files := map[string]string{}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.go")
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		files["app/"+name+"/x.go"] = string(b)
	}
	dir := newModule(t, files)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.go")
		t.Run(name, func(t *testing.T) {
			src := files["app/"+name+"/x.go"]
			opts := Options{Flag: "new_checkout_enabled", Value: true, Dir: dir, Patterns: []string{"./app/" + name}}
			first := strings.SplitN(src, "\n", 2)[0]
			if first == "// value: false" {
				opts.Value = false
			}
			if c, ok := strings.CutPrefix(first, "// calls: "); ok {
				opts.Calls = strings.Split(c, ",")
			}
			res, err := Run(opts)
			if err != nil {
				t.Fatal(err)
			}
			got := src
			for _, c := range res.Changed {
				if filepath.Base(c.Path) != "x.go" {
					t.Errorf("changed %s", c.Path)
					continue
				}
				got = string(c.New)
			}
			var report strings.Builder
			for _, f := range res.Skipped {
				report.WriteString("skipped " + relFinding(dir, f))
				if f.Orig.Line != f.Pos.Line || f.Orig.Column != f.Pos.Column {
					fmt.Fprintf(&report, " [before the cleanup: line %d, column %d]", f.Orig.Line, f.Orig.Column)
				}
				report.WriteString("\n")
			}
			for _, f := range res.Notes {
				report.WriteString("note " + relFinding(dir, f) + "\n")
			}
			compare(t, "testdata/golden/"+name+".golden", got)
			compare(t, "testdata/golden/"+name+".report", report.String())
			// The output must clean to itself.
			p := filepath.Join(dir, "app", name, "x.go")
			if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			again, err := Run(opts)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if len(again.Changed) > 0 {
				t.Errorf("second run changed %s:\n%s", again.Changed[0].Path, again.Changed[0].New)
			}
		})
	}
	goBuild(t, dir)
}

func relFinding(dir string, f Finding) string {
	return strings.ReplaceAll(f.String(), dir+string(filepath.Separator), "")
}

func compare(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
