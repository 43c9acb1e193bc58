package flagfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "format", "*.input.yaml"))
	edits, _ := filepath.Glob(filepath.Join("testdata", "edit", "*.input.yaml"))
	for _, path := range append(inputs, edits...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f := parseFile(t, path)
			out, err := f.Format()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(path, "format") {
				golden := strings.TrimSuffix(path, ".input.yaml") + ".golden"
				if *update {
					os.WriteFile(golden, out, 0o644)
				}
				want, _ := os.ReadFile(golden)
				if !bytes.Equal(out, want) {
					t.Errorf("got:\n%s\nwant:\n%s", out, want)
				}
			}
			g, err := Parse(path, out, ParseOptions{})
			if err != nil {
				t.Fatalf("formatted output does not parse: %v\n%s", err, out)
			}
			if !sameModel(f.Flags, g.Flags) {
				t.Errorf("formatting changed the meaning:\n%s", out)
			}
			again, err := g.Format()
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("not idempotent:\n%s\n---\n%s", out, again)
			}
			for _, c := range comments(f) {
				if !bytes.Contains(out, []byte(strings.TrimSpace(c))) && !strings.Contains(c, "written by hand") {
					t.Errorf("comment %q lost", c)
				}
			}
		})
	}
}

// TestVerifyRewrite: Format's final check refuses output that does not parse or
// means something else.
func TestVerifyRewrite(t *testing.T) {
	f := parseFile(t, filepath.Join("testdata", "format", "quoting.input.yaml"))
	for _, out := range []string{
		"version: 1\nenvironment: staging\nflags:\n  merge_enabled:\n    description: <<\n",
		"version: 1\nenvironment: staging\nflags: {}\n",
		"version: 1\nenvironment: production\nflags:\n  merge_enabled:\n    description: \"<<\"\n    owner: \"=\"\n    kind: ops\n    enabled: true\n",
	} {
		if err := f.verifyRewrite([]byte(out)); err == nil || !strings.Contains(err.Error(), "file left unchanged") {
			t.Errorf("verifyRewrite(%q) = %v, want an error", out, err)
		}
	}
	out, err := f.Format()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.verifyRewrite(out); err != nil {
		t.Error(err)
	}
}

func TestNeedsQuotes(t *testing.T) {
	for s, want := range map[string]bool{"<<": true, "=": true, "<< x": false, "a<<b": false, "plain": false, "on": true, "user:1": true} {
		if got := needsQuotes(s); got != want {
			t.Errorf("needsQuotes(%q) = %v, want %v", s, got, want)
		}
	}
}
