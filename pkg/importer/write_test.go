package importer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// TestWriteAllOrNothing: an import into several environments writes every file
// or none: when one file cannot be written (changed since it was read, or a new
// file that appeared meanwhile), the files before it in the plan are not
// written either, whether they are new or existing.
func TestWriteAllOrNothing(t *testing.T) {
	tests := []struct {
		name string
		// envs in plan order; those in have exist before the plan.
		envs []string
		have map[string]bool
		// spoil is the env whose file changes between Plan and Write.
		spoil string
	}{
		{"new then changed", []string{"development", "production"}, map[string]bool{"production": true}, "production"},
		{"existing then changed", []string{"development", "production"}, map[string]bool{"development": true, "production": true}, "production"},
		{"existing then appeared", []string{"development", "production"}, map[string]bool{"development": true}, "production"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := func(env string) string { return filepath.Join(dir, env+".yaml") }
			before := map[string]string{}
			res := NewResult("application.yml")
			for _, env := range tt.envs {
				if tt.have[env] {
					before[env] = "# mine\nversion: 1\nenvironment: " + env + "\nflags: {}\n"
					if err := os.WriteFile(path(env), []byte(before[env]), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				res.Add(env, &flagfile.Flag{Name: "a_enabled", Boolean: ptr(true)}, nil)
			}
			plans, err := Plan(res, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			spoiled := "# edited by hand\nversion: 1\nenvironment: " + tt.spoil + "\nflags: {b: true}\n"
			if err := os.WriteFile(path(tt.spoil), []byte(spoiled), 0o644); err != nil {
				t.Fatal(err)
			}
			before[tt.spoil] = spoiled
			if err := Write(plans); !errors.Is(err, flagfile.ErrConflict) {
				t.Fatalf("err = %v, want ErrConflict", err)
			}
			for _, env := range tt.envs {
				data, err := os.ReadFile(path(env))
				switch want, ok := before[env]; {
				case !ok && !errors.Is(err, os.ErrNotExist):
					t.Errorf("%s: created though the import failed:\n%s", env, data)
				case ok && string(data) != want:
					t.Errorf("%s: written though the import failed:\n%s", env, data)
				}
			}
		})
	}
}
