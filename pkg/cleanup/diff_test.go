package cleanup

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedDiff checks the diff against git apply: applying it to the old
// text gives the new one.
func TestUnifiedDiff(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed (apt-get install git)")
	}
	long := strings.Repeat("keep\n", 20)
	tests := []struct{ name, old, new string }{
		{"equal", "a\nb\n", "a\nb\n"},
		{"change middle", "a\nb\nc\n", "a\nB\nc\n"},
		{"delete block", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n8\n9\n"},
		{"two hunks", "x\n" + long + "y\n" + long + "z\n", "X\n" + long + "y\n" + long + "Z\n"},
		{"insert at end", "a\n", "a\nb\n"},
		{"to empty", "a\nb\n", ""},
		{"no final newline", "a\nb", "a\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := UnifiedDiff("a/x.go", "b/x.go", []byte(tt.old), []byte(tt.new))
			if tt.old == tt.new {
				if d != "" {
					t.Fatalf("diff of equal texts: %q", d)
				}
				return
			}
			dir := t.TempDir()
			f := filepath.Join(dir, "x.go")
			if err := os.WriteFile(f, []byte(tt.old), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("git", "apply", "-")
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(d)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git apply: %v\n%s\n%s", err, out, d)
			}
			got, _ := os.ReadFile(f)
			if string(got) != tt.new {
				t.Errorf("patched = %q, want %q\n%s", got, tt.new, d)
			}
		})
	}
}
