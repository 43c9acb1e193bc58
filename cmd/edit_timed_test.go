package cmd

import (
	"strings"
	"testing"
)

// timedFile has flags whose schedule has entries already in effect at the test
// clock (2026-11-21T12:00:00Z) and entries still to come.
const timedFile = `version: 1
environment: production
flags:
  # turned on by a passed entry
  passed_on_enabled:
    enabled: false
    schedule:
      - at: 2026-01-01T00:00:00Z
        enabled: true
  passed_off_enabled:
    enabled: true
    schedule:
      - at: 2026-01-01T00:00:00Z
        enabled: false
  passed_pct_enabled:
    enabled: false
    schedule:
      - at: 2026-01-01T00:00:00Z
        percentage_of_actors: 100%
  passed_actor_enabled:
    enabled: false
    schedule:
      - at: 2026-01-01T00:00:00Z
        actors:
          "user:1": true
  future_off_enabled:
    enabled: false
    schedule:
      - at: 2030-01-01T00:00:00Z
        enabled: false
  future_pct_enabled:
    enabled: false
    schedule:
      - at: 2030-01-01T00:00:00Z
        percentage_of_actors: 10%
`

// TestEditTimedFlag: enable, disable and clear on a flag with a schedule change
// the gates in effect now (a passed entry no longer overrides the edit), and
// warn when an entry still to come will change the flag again.
func TestEditTimedFlag(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		flag string
		// actor checked with eval at the test clock, and the answer wanted
		actor, want string
		// warn is a part of stderr wanted ("" = no warning about the schedule)
		warn string
	}{
		{"disable over a passed on", []string{"disable", "passed_on_enabled"}, "passed_on_enabled", "user:5", "false", ""},
		{"enable over a passed off", []string{"enable", "passed_off_enabled"}, "passed_off_enabled", "user:5", "true", ""},
		{"percentage over a passed one", []string{"enable", "passed_pct_enabled", "--percentage-of-actors", "0.001%"}, "passed_pct_enabled", "user:5", "false", ""},
		{"disable actor over a passed one", []string{"disable", "passed_actor_enabled", "--actor", "user:1"}, "passed_actor_enabled", "user:1", "false", ""},
		{"clear percentage over a passed one", []string{"clear", "passed_pct_enabled", "--percentage"}, "passed_pct_enabled", "user:5", "false", ""},
		{"enable before a future off", []string{"enable", "future_off_enabled"}, "future_off_enabled", "user:5", "true", "scheduled: off at 2030-01-01 00:00 UTC"},
		{"percentage before a future one", []string{"enable", "future_pct_enabled", "--percentage-of-actors", "100%"}, "future_pct_enabled", "user:5", "true", "scheduled: percentage_of_actors 10% at 2030-01-01 00:00 UTC"},
		{"clear all drops the schedule", []string{"clear", "future_pct_enabled"}, "future_pct_enabled", "user:5", "false", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
				"flags/production.yaml": timedFile,
			})
			code, _, stderr := p.run(append(tt.argv, "-e", "production")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if tt.warn == "" && strings.Contains(stderr, "applies over this edit") {
				t.Errorf("unexpected warning: %s", stderr)
			}
			if tt.warn != "" && (!strings.Contains(stderr, tt.warn) || !strings.Contains(stderr, "applies over this edit")) {
				t.Errorf("stderr %q, want a warning with %q", stderr, tt.warn)
			}
			code, out, stderr := p.run("eval", tt.flag, "-e", "production", "--actor", tt.actor)
			if code != 0 {
				t.Fatalf("eval: exit %d: %s", code, stderr)
			}
			if got := strings.TrimSpace(out); got != tt.want {
				t.Errorf("after the edit the flag is %s now, want %s; file:\n%s", got, tt.want, p.read("flags/production.yaml"))
			}
			if !strings.Contains(p.read("flags/production.yaml"), "# turned on by a passed entry\n") {
				t.Errorf("comment lost:\n%s", p.read("flags/production.yaml"))
			}
		})
	}
}
