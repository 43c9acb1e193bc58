package cmd

import (
	"strings"
	"testing"
)

// TestEvalGroupWithoutActor: group gates apply to a subject with groups and no
// actor ID (FunWithFlags semantics, SPEC §4); actor and percentage_of_actors gates
// still need --actor.
func TestEvalGroupWithoutActor(t *testing.T) {
	tests := []struct {
		name  string
		argv  []string
		first string // the first line: true or false
		has   string // in the output
	}{
		{"enabled group", []string{"--group", "beta_testers", "--explain"}, "true", "group beta_testers → on"},
		{"disabled group wins", []string{"--group", "beta_testers,banned", "--explain"}, "false", "group banned → off"},
		{"no gated group: percentage needs an ID", []string{"--group", "other", "--explain"}, "false", "no gate open → off"},
		{"json has no score", []string{"--group", "beta_testers", "-o", "json"}, "{", `"gate": "group"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(append([]string{"eval", "new_checkout_enabled", "-e", "staging"}, tt.argv...)...)
			if code != 0 {
				t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
			}
			if first, _, _ := strings.Cut(stdout, "\n"); first != tt.first || !strings.Contains(stdout, tt.has) {
				t.Errorf("output %q, want first line %q and %q", stdout, tt.first, tt.has)
			}
			if strings.Contains(stdout, "score") {
				t.Errorf("a score without an actor: %q", stdout)
			}
		})
	}
}
