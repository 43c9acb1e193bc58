package flagfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeExampleIsFormatted: the flag file the README shows is what
// "flagctl fmt" writes (aligned trailing comments included).
func TestReadmeExampleIsFormatted(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## The flag file\n\n```yaml\n")
	if !ok {
		t.Fatal("README has no example under \"## The flag file\"")
	}
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("unterminated example")
	}
	f, err := Parse("README.md", []byte(example), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Format()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != example {
		t.Errorf("the README's example is not fmt-clean; fmt writes:\n%s", out)
	}
}
