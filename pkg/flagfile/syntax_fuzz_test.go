package flagfile

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSyntaxProblem: the syntax scanner never panics and, when it names a
// position, the position lies inside the input.
func FuzzSyntaxProblem(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := lineStarts(data)
		for _, msg := range []string{"did not find expected ',' or ']'", "mapping values are not allowed in this context", "did not find expected key", "found unexpected end of stream"} {
			l, c, _, ok := syntaxProblem(data, lines, msg)
			if ok && (l < 1 || l > len(lines) || c < 1) {
				t.Fatalf("%q: position %d:%d outside the input (%d lines)", msg, l, c, len(lines))
			}
		}
	})
}
