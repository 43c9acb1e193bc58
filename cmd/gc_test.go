package cmd

import (
	"runtime/debug"
	"testing"
)

// TestShortLivedGC: a short-lived command runs without garbage collection
// (memory limit only) unless GOGC or GOMEMLIMIT is set, and restore puts the
// previous settings back.
func TestShortLivedGC(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		wantGC int
	}{
		{"no settings", nil, -1},
		{"GOGC set", map[string]string{"GOGC": "200"}, 100},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := debug.SetGCPercent(100)
			defer debug.SetGCPercent(orig)
			restore := shortLivedGC(func(k string) string { return tt.env[k] })
			gc := debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			limit := debug.SetMemoryLimit(-1)
			if gc != tt.wantGC {
				t.Errorf("GC percent %d, want %d", gc, tt.wantGC)
			}
			if tt.wantGC == -1 && limit != cliMemoryLimit {
				t.Errorf("memory limit %d, want %d", limit, cliMemoryLimit)
			}
			restore()
			if gc := debug.SetGCPercent(orig); gc != 100 {
				t.Errorf("after restore: GC percent %d, want 100", gc)
			}
		})
	}
}

// TestLongRunningVerbRestoresGC: serve, which runs until stopped, gets the
// runtime's garbage collection back before it starts; an edit verb does not.
func TestLongRunningVerbRestoresGC(t *testing.T) {
	for _, tt := range []struct {
		verb string
		want bool
	}{{"serve", true}, {"enable", false}, {"create", false}, {"lint", false}} {
		t.Run(tt.verb, func(t *testing.T) {
			io, _, _ := TestStreams()
			f := NewFactory(io)
			f.WorkDir = t.TempDir()
			restored := false
			f.restoreGC = func() { restored = true }
			root := NewCmdRoot(f)
			c, _, err := root.Find([]string{tt.verb})
			if err != nil {
				t.Fatal(err)
			}
			if err := root.PersistentPreRunE(c, nil); err != nil {
				t.Fatal(err)
			}
			if restored != tt.want {
				t.Errorf("GC restored %v, want %v", restored, tt.want)
			}
		})
	}
}
