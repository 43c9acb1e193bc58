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
		name string
		flag string
		want string // "" = no warning
	}{
		{"boolean only", "  f_enabled: true\n", ""},
		{"percentage", "  f_enabled:\n    enabled: true\n    percentage_of_actors: 25%\n", "stays on for some: percentage_of_actors 25%"},
		{"actors", "  f_enabled:\n    actors:\n      \"user:1\": true\n      \"user:2\": true\n", "stays on for some: 2 actor gate(s) on"},
		{"disabled actor only", "  f_enabled:\n    enabled: true\n    actors:\n      \"user:1\": false\n", ""},
		{"ramp", "  f_enabled:\n    percentage_of_actors:\n      ramp: {from: 1%, to: 100%, start: 2026-11-01T00:00:00Z, end: 2027-01-01T00:00:00Z}\n", "its ramp or schedule"},
		{"schedule", "  f_enabled:\n    schedule:\n      - at: 2027-06-01T00:00:00Z\n        enabled: true\n", "its ramp or schedule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
				"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n" + tt.flag,
			})
			code, _, stderr := p.run("disable", "f_enabled", "--env", "production")
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
