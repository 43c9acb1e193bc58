package flagfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// sameTree compares the fast path's tree with yaml.v3's, field by field.
func sameTree(a *node, b *yaml.Node, path string) error {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style ||
		a.Line != b.Line || a.Column != b.Column || a.LineComment != b.LineComment || b.Anchor != "" ||
		len(a.Content) != len(b.Content) {
		return fmt.Errorf("%s: fast %+v\nyaml %+v", path, *a, *b)
	}
	for i := range a.Content {
		if err := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkFast(t *testing.T, data []byte) bool {
	// Parse refuses these before it decodes.
	if !utf8.Valid(data) {
		return false
	}
	if len(tabIndents(data, lineStarts(data))) > 0 || oddLineBreak(data) >= 0 || controlChar(data) >= 0 {
		return false
	}
	fast, ok := fastParse(data, lineStarts(data))
	if !ok {
		return false
	}
	var want yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&want); err != nil {
		t.Fatalf("fast path accepted what yaml.v3 rejects (%v):\n%s", err, data)
	}
	if err := sameTree(fast, &want, ""); err != nil {
		t.Fatalf("%v\ninput:\n%s", err, data)
	}
	return true
}

func TestFastParseMatchesYAML(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	accepted, readable := 0, 0
	for _, p := range files {
		data, _ := os.ReadFile(p)
		if checkFast(t, data) {
			accepted++
		}
		var n yaml.Node
		if yaml.Unmarshal(data, &n) == nil {
			readable++ // syntax-error fixtures are not the fast path's business
		}
	}
	for _, s := range []string{
		"version: 1\nflags:\n  a: {}  # c\n  b:   # c2\n    enabled: true\n  'it''s': x\n",
		"version: 1\r\nflags:\r\n  a: true\r\n",
		"x: 007\ny: 1.5\nz: 2026-02-30\nw: 12.5%\nv: -1\n",
		"a: b#c\nb: c # d\n",
	} {
		checkFast(t, []byte(s))
	}
	if accepted < readable/2 {
		t.Errorf("fast path accepted only %d of %d readable fixtures", accepted, readable)
	}
	if !checkFast(t, []byte(largeFixture(200))) {
		t.Error("fast path refused a plain generated file")
	}
}

func largeFixture(n int) string {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  flag_%05d_enabled:\n    description: Flag number %d\n    kind: release\n    created: 2026-10-02\n    enabled: false\n    actors:\n      \"user:%d\": true\n    groups:\n      beta: true\n    percentage_of_actors: 10%%\n", i, i, i)
	}
	return b.String()
}

// FuzzFastParse: whatever the fast path accepts, yaml.v3 parses to the same tree.
func FuzzFastParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data)
	})
}
