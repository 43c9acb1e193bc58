package flagfile

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSpliceFast: whenever spliceFast re-reads only part of a spliced file, the
// result is exactly what parsing the whole file gives (every node and its
// position, every flag).
func FuzzSpliceFast(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "edit", "*.input.yaml"))
	files = append(files, filepath.Join("testdata", "edit", "sections.input.yaml"))
	timed, _ := filepath.Glob(filepath.Join("testdata", "format", "timed*.input.yaml"))
	files = append(files, timed...)
	texts := []string{"", "    enabled: true\n", "  new_enabled: true\n", "  x_enabled:\n    owner: me\n\n", "false", "      \"user:9\": true\n", "  # c\n", "bad: [\n", "  y: true\n  y: false\n"}
	for _, p := range files {
		data, _ := os.ReadFile(p)
		for i, text := range texts {
			f.Add(data, uint16(40+i*13), uint16(7*i), text)
		}
	}
	f.Add(genFile(30), uint16(400), uint16(0), "    owner: x\n")
	f.Fuzz(func(t *testing.T, data []byte, at, n uint16, text string) {
		file, err := Parse("f.yaml", data, ParseOptions{})
		if err != nil || len(data) == 0 {
			return
		}
		a := int(at) % len(data)
		b := min(a+int(n)%64, len(data))
		out := append(append(append([]byte{}, data[:a]...), text...), data[b:]...)
		got := spliceFast(file, a, b, text, out, ParseOptions{})
		if got == nil {
			return
		}
		want, err := Parse("f.yaml", out, ParseOptions{})
		if err != nil {
			t.Fatalf("spliceFast accepted a file Parse refuses (%v):\n%s", err, out)
		}
		if d := diffTree(got.root, want.root, "root"); d != "" {
			t.Fatalf("%s\n%s", d, out)
		}
		if len(got.Flags) != len(want.Flags) || !sameModel(got.Flags, want.Flags) {
			t.Fatalf("flags differ:\n%s", out)
		}
		for i := range got.Flags {
			if got.Flags[i].Pos != want.Flags[i].Pos || got.Flags[i].Shorthand != want.Flags[i].Shorthand {
				t.Fatalf("flag %s: %v vs %v", got.Flags[i].Name, got.Flags[i].Pos, want.Flags[i].Pos)
			}
		}
		if got.flagsKey.Line != want.flagsKey.Line || got.Environment != want.Environment || got.Version != want.Version {
			t.Fatal("top level differs")
		}
	})
}

func diffTree(a, b *node, path string) string {
	if a.Kind != b.Kind || a.Style != b.Style || a.Line != b.Line || a.Column != b.Column || a.Tag != b.Tag || a.Value != b.Value ||
		a.LineComment != b.LineComment || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: %+v\nvs %+v", path, *a, *b)
	}
	for i := range a.Content {
		if d := diffTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// TestSpliceFastUsed: the edits the CLI makes most (a scalar in place, a gate
// added, a flag added or removed) take the partial path on a plain file.
func TestSpliceFastUsed(t *testing.T) {
	f, err := Parse("p.yaml", genFile(50), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Edit{
		SetBoolean("flag_00025_enabled", true),
		SetActor("flag_00025_enabled", "user:new", true),
		AddFlag(&Flag{Name: "new_enabled", Boolean: new(bool)}),
		RemoveFlag("flag_00025_enabled"),
		RemoveFlag("flag_00049_enabled"),
	} {
		m := &model{}
		for _, fl := range f.Flags {
			m.flags = append(m.flags, fl.Clone())
		}
		if err := e.apply(m); err != nil {
			t.Fatal(err)
		}
		r := reconciler{skip: map[string]bool{}, requireFast: true}
		if _, err := r.run(f, m.flags); err != nil {
			t.Errorf("%v: %v", e, err)
		}
	}
}
