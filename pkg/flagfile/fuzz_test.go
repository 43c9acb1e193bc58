package flagfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; a valid file formats to a file with the same
// model, and formatting is idempotent; edits on valid files keep them valid.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"edit", "invalid", "format"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
		for _, p := range files {
			data, _ := os.ReadFile(p)
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data, ParseOptions{})
		if err != nil {
			return
		}
		out, err := file.Format()
		if err != nil {
			t.Fatalf("Format of a valid file: %v", err)
		}
		again, err := Parse("fuzz.yaml", out, ParseOptions{})
		if err != nil {
			t.Fatalf("formatted file does not parse: %v\n%s\n--- from\n%s", err, out, data)
		}
		if !sameModel(file.Flags, again.Flags) || again.Environment != file.Environment {
			t.Fatalf("format changed the model:\n%s\n--- from\n%s", out, data)
		}
		out2, _ := again.Format()
		if string(out2) != string(out) {
			t.Fatalf("format not idempotent:\n%s\n---\n%s", out, out2)
		}
		if len(file.Flags) > 0 {
			checkFuzzEdit(t, file, data)
		}
	})
}

// checkFuzzEdit edits the first flag of a valid file and checks that the result
// parses without problems, means exactly the intended model, and keeps every
// comment line of the input outside the edited flag.
func checkFuzzEdit(t *testing.T, file *File, data []byte) {
	fl := file.Flags[0]
	edits := []Edit{SetActor(fl.Name, "user:fuzz", true), SetBoolean(fl.Name, true)}
	out, _, err := file.Apply(ParseOptions{}, edits...)
	if err != nil {
		if errors.Is(err, ErrNotEditable) && strings.Contains(err.Error(), "flow style") {
			return
		}
		t.Fatalf("edit of a valid file failed: %v\n%s", err, data)
	}
	got, err := Parse("fuzz.yaml", out, ParseOptions{})
	if err != nil {
		t.Fatalf("edited file does not parse: %v\n%s\n--- from\n%s", err, out, data)
	}
	want := &model{}
	for _, f := range file.Flags {
		want.flags = append(want.flags, f.Clone())
	}
	for _, e := range edits {
		if err := e.apply(want); err != nil {
			t.Fatal(err)
		}
	}
	if !sameModel(got.Flags, want.flags) || got.Environment != file.Environment || got.Version != file.Version {
		t.Fatalf("edit changed the model beyond the edit:\n%s\n--- from\n%s", out, data)
	}
	// Comment lines outside the edited flag survive (as many times as they occur).
	first, last := file.headStart(fl.key), file.extent(fl.key)
	have := map[string]int{}
	for i := 0; i < got.numLines(); i++ {
		if got.isComment(i) {
			have[strings.TrimSpace(got.lineText(i))]++
		}
	}
	for i := 0; i < file.numLines(); i++ {
		if (i < first || i > last) && file.isComment(i) {
			c := strings.TrimSpace(file.lineText(i))
			if have[c] == 0 {
				t.Fatalf("comment line %d %q lost:\n%s\n--- from\n%s", i+1, c, out, data)
			}
			have[c]--
		}
	}
}
