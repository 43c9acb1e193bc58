package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	staging := write("staging.yaml", "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    description: A\n    owner: x\n    enabled: true\n    actors:\n      \"user:1\": true\n  b_flag:\n    description: B\n    owner: y\n")
	prod := write("production.yaml", "version: 1\nenvironment: production\nflags:\n  a_enabled:\n    description: A\n    owner: z\n")
	broken := write("broken.yaml", "version: 1\nenvironment: broken\nflags:\n  a_enabled: [true\n")
	tests := []struct {
		name       string
		srcs       []Source
		wantRules  []string
		wantBroken []string
	}{
		{"cross-env", []Source{{Env: "staging", Path: staging, Expect: "staging"}, {Env: "production", Path: prod, Expect: "production"}},
			[]string{"metadata-mismatch", "redundant-gate", "missing-in-env", "naming"}, nil},
		{"missing", []Source{{Env: "qa", Path: filepath.Join(dir, "qa.yaml"), Expect: "qa"}}, []string{"missing-file"}, []string{filepath.Join(dir, "qa.yaml")}},
		{"unparsable", []Source{{Env: "broken", Path: broken, Expect: "broken"}}, []string{"format"}, []string{broken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Files(tt.srcs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range res.Findings {
				rules = append(rules, f.Rule)
			}
			if !reflect.DeepEqual(rules, tt.wantRules) || !reflect.DeepEqual(res.Broken, tt.wantBroken) {
				t.Errorf("rules %v broken %v, want %v %v\n%+v", rules, res.Broken, tt.wantRules, tt.wantBroken, res.Findings)
			}
		})
	}
	// A named file (no environment) that is missing cannot be read: an error.
	if _, err := Files([]Source{{Path: filepath.Join(dir, "nope.yaml")}}, Options{}); err == nil {
		t.Error("missing --file: no error")
	}
}
