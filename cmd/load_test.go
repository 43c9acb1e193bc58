package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// TestLoadAllOrder: files parsed concurrently come back in the targets' order,
// and the errors of every broken file are reported, in that order too.
func TestLoadAllOrder(t *testing.T) {
	envs := []string{"a", "b", "c", "d", "e"}
	tests := []struct {
		name   string
		broken map[string]bool
	}{
		{"all sound", nil},
		{"two broken", map[string]bool{"b": true, "e": true}},
		{"all broken", map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var ts []target
			for _, e := range envs {
				src := "version: 1\nenvironment: " + e + "\nflags:\n  " + e + "_enabled: true\n"
				if tt.broken[e] {
					src = "version: 1\nenvironment: " + e + "\nflags: [\n"
				}
				p := filepath.Join(dir, e+".yaml")
				if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				ts = append(ts, target{Env: e, Path: p, Expect: e})
			}
			files, err := loadAll(ts)
			if len(tt.broken) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				for i, l := range files {
					if l.Env != envs[i] || l.File.Flag(envs[i]+"_enabled") == nil {
						t.Errorf("file %d is %s, want %s", i, l.Env, envs[i])
					}
				}
				return
			}
			if err == nil || exitCode(err) != ExitFile {
				t.Fatalf("err = %v, want a file error", err)
			}
			last := -1
			for _, e := range envs {
				at := strings.Index(err.Error(), e+".yaml")
				if tt.broken[e] != (at >= 0) {
					t.Errorf("error names %s.yaml: %v, want %v:\n%v", e, at >= 0, tt.broken[e], err)
				}
				if at >= 0 && at < last {
					t.Errorf("%s.yaml reported out of order:\n%v", e, err)
				}
				last = max(last, at)
			}
		})
	}
}

// TestPlanAllOrder: edits planned concurrently come back per file (nil for a
// file without edits), and of several failing files the first in order is
// reported, as a sequential loop would.
func TestPlanAllOrder(t *testing.T) {
	envs := []string{"a", "b", "c", "d"}
	tests := []struct {
		name    string
		unknown map[string]bool // files where the edit names an unknown flag
		skip    map[string]bool // files without edits
		wantErr string
	}{
		{"all planned", nil, nil, ""},
		{"one without edits", nil, map[string]bool{"c": true}, ""},
		{"two failing", map[string]bool{"b": true, "d": true}, nil, "b.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var ts []target
			for _, e := range envs {
				p := filepath.Join(dir, e+".yaml")
				if err := os.WriteFile(p, []byte("version: 1\nenvironment: "+e+"\nflags:\n  x_enabled: false\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				ts = append(ts, target{Env: e, Path: p, Expect: e})
			}
			files, err := loadAll(ts)
			if err != nil {
				t.Fatal(err)
			}
			edits := make([][]flagfile.Edit, len(files))
			for i, l := range files {
				switch {
				case tt.skip[l.Env]:
				case tt.unknown[l.Env]:
					edits[i] = []flagfile.Edit{flagfile.SetBoolean("nope_enabled", true)}
				default:
					edits[i] = []flagfile.Edit{flagfile.SetBoolean("x_enabled", true)}
				}
			}
			io, _, _ := TestStreams()
			plans, err := planAll(NewFactory(io), files, edits)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range envs {
				if (plans[i] == nil) != tt.skip[e] {
					t.Fatalf("plan of %s: %v, want one: %v", e, plans[i], !tt.skip[e])
				}
				if plans[i] != nil && !strings.Contains(string(plans[i].Source()), "environment: "+e+"\nflags:\n  x_enabled: true") {
					t.Errorf("plan of %s:\n%s", e, plans[i].Source())
				}
			}
		})
	}
}
