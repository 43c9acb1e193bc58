package flagfile

import (
	"os"
	"strings"
	"testing"
)

// TestUpdateAllPlan: a Change with a Plan writes the plan's verified result
// without parsing and applying again when the file still holds what the plan
// was made from; when a hand edit came in between, the plan's edits are applied
// to the new content (the hand edit is kept), and an edit that no longer
// applies changes no file.
func TestUpdateAllPlan(t *testing.T) {
	envs := []string{"development", "production"}
	tests := []struct {
		name string
		// edit, when set, rewrites the file of envs[i] after the plan was made.
		edit        func(i int, src string) string
		wantApplied int    // files whose edits UpdateAll applied itself
		wantErr     string // "" = success
		wantIn      []string
	}{
		{name: "files unchanged since the plan", wantApplied: 0,
			wantIn: []string{"b_enabled:\n    enabled: false", "a_enabled: false  # kept"}},
		{name: "a hand edit since the plan", wantApplied: 1,
			edit: func(i int, src string) string {
				if i == 1 {
					return strings.Replace(src, "a_enabled: false", "a_enabled: true", 1)
				}
				return src
			},
			wantIn: []string{"b_enabled:\n    enabled: false"}},
		{name: "a hand edit that makes the plan's edit fail", wantApplied: 1,
			edit: func(i int, src string) string {
				if i == 0 {
					return src + "  b_enabled: true\n"
				}
				return src
			},
			wantErr: "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, paths, orig := envFiles(t, envs...)
			var cs []Change
			for i, p := range paths {
				f, err := Parse(p, []byte(orig[i]), ParseOptions{Env: envs[i]})
				if err != nil {
					t.Fatal(err)
				}
				on := false
				plan, err := f.Plan(ParseOptions{Env: envs[i]}, AddFlag(&Flag{Name: "b_enabled", Boolean: &on}))
				if err != nil {
					t.Fatal(err)
				}
				cs = append(cs, Change{Path: p, Plan: plan})
			}
			before := make([]string, len(paths))
			for i, p := range paths {
				before[i] = orig[i]
				if tt.edit != nil {
					before[i] = tt.edit(i, orig[i])
					if err := os.WriteFile(p, []byte(before[i]), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			applied := 0
			w := Writer{hook: func(stage, _ string) error {
				if stage == hookApply {
					applied++
				}
				return nil
			}}
			files, changed, err := w.UpdateAll(cs)
			if applied != tt.wantApplied {
				t.Errorf("edits applied under the lock for %d files, want %d", applied, tt.wantApplied)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				for i, p := range paths {
					if got, _ := os.ReadFile(p); string(got) != before[i] {
						t.Errorf("%s changed after a failed update:\n%s", p, got)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range paths {
				got, _ := os.ReadFile(p)
				if !changed[i] || string(files[i].Source()) != string(got) {
					t.Errorf("%s: changed %v, returned file differs from the written one", p, changed[i])
				}
				for _, want := range tt.wantIn {
					if !strings.Contains(string(got), want) {
						t.Errorf("%s lacks %q:\n%s", p, want, got)
					}
				}
			}
			if tt.edit != nil {
				if got, _ := os.ReadFile(paths[1]); !strings.Contains(string(got), "a_enabled: true") {
					t.Errorf("%s lost the hand edit:\n%s", paths[1], got)
				}
			}
		})
	}
}

// TestUpdateAllPlanAndEdits: a Change gives its edits either as a plan or as
// Opts and Edits, never both.
func TestUpdateAllPlanAndEdits(t *testing.T) {
	_, paths, orig := envFiles(t, "production")
	f, err := Parse(paths[0], []byte(orig[0]), ParseOptions{Env: "production"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := f.Plan(ParseOptions{Env: "production"}, SetBoolean("a_enabled", true))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Writer{}.UpdateAll([]Change{{Path: paths[0], Plan: plan, Edits: []Edit{SetBoolean("a_enabled", false)}}})
	if err == nil || !strings.Contains(err.Error(), "plan") {
		t.Fatalf("err = %v, want a refusal of a change with both", err)
	}
	if got, _ := os.ReadFile(paths[0]); string(got) != orig[0] {
		t.Errorf("file changed:\n%s", got)
	}
}
