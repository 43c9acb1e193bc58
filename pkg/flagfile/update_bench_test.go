package flagfile

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkUpdate5k: one locked, verified, atomic edit of a 5,000-flag file
// (read, parse, apply, temp file + fsync, re-check, rename).
func BenchmarkUpdate5k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "production.yaml")
	if err := os.WriteFile(path, []byte(bigFile(5000)), 0o644); err != nil {
		b.Fatal(err)
	}
	on := false
	for b.Loop() {
		on = !on
		if _, _, err := Update(path, ParseOptions{Env: "production"}, SetBoolean("f02500_enabled", on)); err != nil {
			b.Fatal(err)
		}
	}
}
