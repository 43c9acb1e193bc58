package eval

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestFrozenKeepsItsFlagSet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "staging.yaml")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("version: 1\nenvironment: staging\nflags:\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("  b_enabled: true\n  a_enabled: false\n")
	reloaded := make(chan ReloadInfo, 4)
	e, err := Watch(context.Background(), path, Debounce(0), OnReload(func(r ReloadInfo) { reloaded <- r }))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	<-reloaded
	f := e.Frozen()
	if got, want := f.Names(), []string{"a_enabled", "b_enabled"}; !slices.Equal(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
	v := f.Version()
	write("  c_enabled: true\n")
	select {
	case <-reloaded:
	case <-time.After(10 * time.Second):
		t.Fatal("no reload")
	}
	if !f.Enabled("b_enabled") || f.Enabled("c_enabled") || f.Version() != v {
		t.Fatalf("the frozen evaluator changed with its source: b=%v c=%v", f.Enabled("b_enabled"), f.Enabled("c_enabled"))
	}
	if !e.Enabled("c_enabled") || e.Version() == v {
		t.Fatal("the source evaluator did not reload")
	}
	if got := e.Frozen().Names(); !slices.Equal(got, []string{"c_enabled"}) {
		t.Fatalf("Names after reload = %v", got)
	}
}
