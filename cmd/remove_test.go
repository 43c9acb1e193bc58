package cmd

import (
	"strings"
	"testing"
)

// TestRemoveBrokenFlag: `flagctl remove` removes a flag that has problems (a
// dead experiment mangled by hand) from every file, with its comment block,
// and warns about problems left in other flags. --strict refuses only when a
// flag other than the removed one has problems. A YAML syntax error is not a
// flag problem: the file cannot be read, and nothing is written.
func TestRemoveBrokenFlag(t *testing.T) {
	const staging = "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n  # Old banner test.\n  b_enabled:\n    enabled: true\n"
	const prodHead = "version: 1\nenvironment: production\nflags:\n  a_enabled: true\n"
	const brokenB = "  # Old banner test.\n  b_enabled:   # do not touch\n    percentage_of_actors: 150%\n    actors:\n      user:1: true\n"
	const brokenC = "  c_enabled:\n    expires: 2026-13-45\n"
	const stagingAfter = "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n"
	tests := []struct {
		name          string
		prod          string // production.yaml before
		argv          []string
		code          int
		staging, want string // the files afterwards
		stdout        string // exact
		inStderr      string // "" for an empty stderr
	}{
		{name: "only broken flag", prod: prodHead + brokenB, argv: []string{"remove", "b_enabled"},
			staging: stagingAfter, want: prodHead,
			stdout: "✓ staging: removed b_enabled\n✓ production: removed b_enabled\n"},
		{name: "only broken flag, strict", prod: prodHead + brokenB, argv: []string{"remove", "b_enabled", "--strict"},
			staging: stagingAfter, want: prodHead,
			stdout: "✓ staging: removed b_enabled\n✓ production: removed b_enabled\n"},
		{name: "dry run", prod: prodHead + brokenB + brokenC, argv: []string{"remove", "b_enabled", "--dry-run"},
			staging: staging, want: prodHead + brokenB + brokenC,
			stdout:   "b_enabled [staging]: removed\nb_enabled [production]: removed\n(dry run: nothing written)\n",
			inStderr: "expires: bad date"},
		{name: "another flag broken: warned at its new line", prod: prodHead + brokenB + brokenC, argv: []string{"remove", "b_enabled"},
			staging: stagingAfter, want: prodHead + brokenC,
			stdout:   "✓ staging: removed b_enabled\n✓ production: removed b_enabled\n",
			inStderr: "warning: flags/production.yaml:6:14: expires: bad date"},
		{name: "another flag broken, strict", prod: prodHead + brokenB + brokenC, argv: []string{"remove", "b_enabled", "--strict"}, code: 3,
			staging: staging, want: prodHead + brokenB + brokenC,
			inStderr: "(--strict):\nflags/production.yaml:11:14: expires: bad date"},
		{name: "another flag broken, strict, dry run", prod: prodHead + brokenB + brokenC, argv: []string{"remove", "b_enabled", "--strict", "--dry-run"}, code: 3,
			staging: staging, want: prodHead + brokenB + brokenC, inStderr: "(--strict)"},
		// A duplicated name: every entry goes, and the dry run says so once.
		{name: "duplicate, dry run", prod: prodHead + "  b_enabled: true\n" + brokenB, argv: []string{"remove", "b_enabled", "-e", "production", "--dry-run"},
			staging: staging, want: prodHead + "  b_enabled: true\n" + brokenB,
			stdout: "b_enabled [production]: removed\n(dry run: nothing written)\n"},
		{name: "duplicate", prod: prodHead + "  b_enabled: true\n" + brokenB, argv: []string{"remove", "b_enabled", "-e", "production"},
			staging: staging, want: prodHead, stdout: "✓ production: removed b_enabled\n"},
		// --cleanup rewrites the code with the flag's value, which a broken
		// flag does not have: refused, nothing written.
		{name: "cleanup", prod: prodHead + brokenB, argv: []string{"remove", "b_enabled", "--cleanup"}, code: 3,
			staging: staging, want: prodHead + brokenB, inStderr: "flags/production.yaml:7:27: percentage_of_actors"},
		{name: "YAML syntax error", prod: prodHead + "  b_enabled:\n    enabled: [true\n", argv: []string{"remove", "b_enabled"}, code: 3,
			staging: staging, want: prodHead + "  b_enabled:\n    enabled: [true\n", inStderr: "flags/production.yaml:6:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    staging,
				"flags/production.yaml": tt.prod,
			})
			code, stdout, stderr := p.run(tt.argv...)
			if code != tt.code || tt.code == 0 && stdout != tt.stdout ||
				tt.inStderr == "" && stderr != "" || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d, stdout:\n%s\nstderr with %q", code, stdout, stderr, tt.code, tt.stdout, tt.inStderr)
			}
			if got := p.read("flags/staging.yaml"); got != tt.staging {
				t.Errorf("staging.yaml:\n%s\nwant:\n%s", got, tt.staging)
			}
			if got := p.read("flags/production.yaml"); got != tt.want {
				t.Errorf("production.yaml:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
