package cleanup

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden cleans new_checkout_enabled out of each testdata/golden/NAME.input.go
// (each in its own package of one module) and compares the file with
// NAME.golden and what was reported about it with NAME.report. A first-line
// comment "// value: false" cleans to false, "// calls: A,B" configures call
// names; inputs with the same options are cleaned in one run. Every golden
// output must compile (go vet of the whole module) and clean to itself
// (idempotence).
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/golden/*.input.go")
	if err != nil || len(inputs) == 0 {
		t.Fatal("no golden inputs", err)
	}
	files := map[string]string{}
	groups := map[string][]string{} // first line options -> names
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.go")
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		files["app/"+name+"/x.go"] = string(b)
		key := ""
		if first := strings.SplitN(string(b), "\n", 2)[0]; strings.HasPrefix(first, "// value: ") || strings.HasPrefix(first, "// calls: ") {
			key = first
		}
		groups[key] = append(groups[key], name)
	}
	dir := newModule(t, files)
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		names := groups[key]
		opts := Options{Flag: "new_checkout_enabled", Value: key != "// value: false", Dir: dir}
		if c, ok := strings.CutPrefix(key, "// calls: "); ok {
			opts.Calls = strings.Split(c, ",")
		}
		for _, n := range names {
			opts.Patterns = append(opts.Patterns, "./app/"+n)
		}
		res, err := Run(opts)
		if err != nil {
			t.Fatalf("%v: %v", names, err)
		}
		got := map[string]string{}
		report := map[string]*strings.Builder{}
		for _, n := range names {
			got[n] = files["app/"+n+"/x.go"]
			report[n] = &strings.Builder{}
		}
		pkgOf := func(path string) string { return filepath.Base(filepath.Dir(path)) }
		for _, c := range res.Changed {
			got[pkgOf(c.Path)] = string(c.New)
		}
		for _, f := range res.Skipped {
			b := report[pkgOf(f.Pos.Filename)]
			b.WriteString("skipped " + relFinding(dir, f))
			if f.Orig.Line != f.Pos.Line || f.Orig.Column != f.Pos.Column {
				fmt.Fprintf(b, " [before the cleanup: line %d, column %d]", f.Orig.Line, f.Orig.Column)
			}
			b.WriteString("\n")
		}
		for _, f := range res.Notes {
			report[pkgOf(f.Pos.Filename)].WriteString("note " + relFinding(dir, f) + "\n")
		}
		for _, n := range names {
			t.Run(n, func(t *testing.T) {
				compare(t, "testdata/golden/"+n+".golden", got[n])
				compare(t, "testdata/golden/"+n+".report", report[n].String())
			})
			if err := os.WriteFile(filepath.Join(dir, "app", n, "x.go"), []byte(got[n]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// The outputs must clean to themselves.
		again, err := Run(opts)
		if err != nil {
			t.Fatalf("%v, second run: %v", names, err)
		}
		for _, c := range again.Changed {
			t.Errorf("second run changed %s:\n%s", c.Path, c.New)
		}
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
