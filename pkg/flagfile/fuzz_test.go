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
			name := file.Flags[0].Name
			_, _, err := file.Apply(ParseOptions{}, SetActor(name, "user:fuzz", true), SetBoolean(name, true))
			if err != nil && !(errors.Is(err, ErrNotEditable) && strings.Contains(err.Error(), "flow style")) {
				t.Fatalf("edit of a valid file failed: %v\n%s", err, data)
			}
		}
	})
}
