package eval

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestFlagHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true", "b", "{actors: {\"user:1\": true}}"))
	ev := startWatch(t, path)
	a, b, later := ev.Flag("a"), ev.Flag("b"), ev.Flag("later_enabled")
	if ev.Flag("a") != a {
		t.Error("a name's handle is not stable")
	}
	u1 := Subject{ID: "user:1"}
	if !a.Enabled() || b.Enabled() || !b.EnabledFor(u1) || later.Enabled() || a.Name() != "a" {
		t.Fatal("handles disagree with the file")
	}
	if later.Explain(nil).Gate != GateUndefined {
		t.Error("undefined flag's Explain")
	}
	// Remove a, add later_enabled: handles follow the reload.
	writeFile(t, path, flagsFile("b", "true", "later_enabled", "true"))
	eventually(t, "reload", func() bool { return later.Enabled() })
	if a.Enabled() || a.Explain(nil).Gate != GateUndefined {
		t.Error("a removed flag must be off and undefined")
	}
	// Re-added, it comes back.
	writeFile(t, path, flagsFile("a", "true"))
	eventually(t, "re-added", func() bool { return a.Enabled() })
	if later.Enabled() {
		t.Error("later_enabled removed but still on")
	}
	// Handles agree with name lookups, and overrides reach them.
	t.Run("override", func(t *testing.T) {
		ev.Override(t, "a", false)
		if a.Enabled() || ev.Enabled("a") {
			t.Error("override did not reach the handle")
		}
	})
	if !a.Enabled() {
		t.Error("override not undone for the handle")
	}
	var zero Flag
	if zero.Enabled() || zero.EnabledFor(u1) || zero.Explain(u1).Gate != GateUndefined {
		t.Error("the zero Flag must be an undefined flag")
	}
	var a1 Actor = u1
	if n := testing.AllocsPerRun(100, func() { a.Enabled(); b.EnabledFor(a1) }); n != 0 {
		t.Errorf("%v allocs per check", n)
	}
}

func TestFlagHandlesConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, flagsFile("a", "true"))
	ev := startWatch(t, path)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if !ev.Flag("a").Enabled() {
					t.Error("a off")
					return
				}
				ev.Flag("x" + string(rune('a'+i%26))).Enabled()
			}
		}()
	}
	for i := 0; i < 20; i++ {
		os.WriteFile(path, []byte(flagsFile("a", "true", "n", string(rune('0'+i%10)))), 0o644)
	}
	wg.Wait()
}
