package cmd

import (
	"strings"
	"testing"
)

// TestDisableSaysWhatKeepsItOn: disable turns the boolean gate off only
// (FunWithFlags' semantics); when other gates, a ramp or a schedule still turn
// the flag on for someone, it says so and how to turn it off for everyone.
func TestDisableSaysWhatKeepsItOn(t *testing.T) {
	tests := []struct {
		name  string
		flag  string
		want  string   // "" = no warning
		extra []string // more options
	}{
		{"boolean only", "  f_enabled: true\n", "", nil},
		{"percentage", "  f_enabled:\n    enabled: true\n    percentage_of_actors: 25%\n", "stays on for some: percentage_of_actors 25%", nil},
		{"actors", "  f_enabled:\n    actors:\n      \"user:1\": true\n      \"user:2\": true\n", "stays on for some: 2 actor gate(s) on", nil},
		{"disabled actor only", "  f_enabled:\n    enabled: true\n    actors:\n      \"user:1\": false\n", "", nil},
		{"ramp", "  f_enabled:\n    percentage_of_actors:\n      ramp: {from: 1%, to: 100%, start: 2026-11-01T00:00:00Z, end: 2027-01-01T00:00:00Z}\n", "its ramp or schedule", nil},
		{"schedule", "  f_enabled:\n    schedule:\n      - at: 2027-06-01T00:00:00Z\n        enabled: true\n", "its ramp or schedule", nil},
		{"dry run", "  f_enabled:\n    enabled: true\n    percentage_of_time: 5%\n", "stays on for some: percentage_of_time 5%", []string{"--dry-run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
				"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n" + tt.flag,
			})
			code, _, stderr := p.run(append([]string{"disable", "f_enabled", "--env", "production"}, tt.extra...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			warned := strings.Contains(stderr, "warning: production: f_enabled")
			if tt.want == "" {
				if warned {
					t.Errorf("unexpected warning: %s", stderr)
				}
				return
			}
			if !warned || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, `"flagctl clear f_enabled"`) {
				t.Errorf("stderr %q, want a warning with %q and the clear hint", stderr, tt.want)
			}
		})
	}
}
