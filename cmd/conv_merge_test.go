package cmd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditsBesideInvalidFlag: the conventions of #16 (several --env, --dry-run,
// rename, set) keep the file-model rule of #13: a typo in one flag does not
// block edits of others, which print it as a warning; --strict refuses.
func TestEditsBesideInvalidFlag(t *testing.T) {
	const staging = "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n  d_enabled: true\n"
	const prod = "version: 1\nenvironment: production\nflags:\n  a_enabled: true\n  b_enabled:\n    descripton: typo\n    enabled: true\n"
	const created = "  c_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n"
	tests := []struct {
		name          string
		argv          []string
		code          int
		staging, prod string // the files afterwards
		inStderr      string
	}{
		{"two envs", []string{"disable", "a_enabled", "-e", "staging,production"}, 0,
			strings.Replace(staging, "a_enabled: true", "a_enabled: false", 1), strings.Replace(prod, "a_enabled: true", "a_enabled: false", 1),
			"warning: flags/production.yaml:6:5: unknown key \"descripton\""},
		{"two envs strict", []string{"disable", "a_enabled", "-e", "staging,production", "--strict"}, 3, staging, prod, "--strict"},
		{"dry run", []string{"enable", "a_enabled", "-e", "production", "--actor", "user:1", "--dry-run"}, 0, staging, prod, `unknown key "descripton"`},
		{"dry run strict", []string{"clear", "a_enabled", "-e", "staging,production", "--dry-run", "--strict"}, 3, staging, prod, "--strict"},
		{"rename", []string{"rename", "a_enabled", "c_enabled"}, 0,
			strings.Replace(staging, "a_enabled", "c_enabled", 1), strings.Replace(prod, "a_enabled", "c_enabled", 1), `unknown key "descripton"`},
		{"rename the broken flag", []string{"rename", "b_enabled", "c_enabled"}, 3, staging, prod, `unknown key "descripton"`},
		{"set", []string{"set", "a_enabled", "--owner", "me", "-e", "production"}, 0,
			staging, strings.Replace(prod, "a_enabled: true", "a_enabled:\n    owner: me\n    enabled: true", 1), `unknown key "descripton"`},
		{"set strict", []string{"set", "a_enabled", "--owner", "me", "-e", "production", "--strict"}, 3, staging, prod, "--strict"},
		{"rename strict", []string{"rename", "a_enabled", "c_enabled", "--strict"}, 3, staging, prod, "--strict"},
		// create, remove and promote edit beside a broken flag like the other
		// verbs: warnings, and --strict refuses.
		{"create", []string{"create", "c_enabled"}, 0, staging + created, prod + created, `unknown key "descripton"`},
		{"create strict", []string{"create", "c_enabled", "--strict"}, 3, staging, prod, "--strict"},
		{"create dry run", []string{"create", "c_enabled", "--dry-run"}, 0, staging, prod, `unknown key "descripton"`},
		{"remove", []string{"remove", "a_enabled"}, 0,
			strings.Replace(staging, "  a_enabled: true\n", "", 1), strings.Replace(prod, "  a_enabled: true\n", "", 1), `unknown key "descripton"`},
		{"remove strict", []string{"remove", "a_enabled", "--strict"}, 3, staging, prod, "--strict"},
		// Removing a broken flag is the natural fix: allowed (TestRemoveBrokenFlag).
		{"remove the broken flag", []string{"remove", "b_enabled"}, 0, staging, strings.Replace(prod, "  b_enabled:\n    descripton: typo\n    enabled: true\n", "", 1), ""},
		{"remove the broken flag strict", []string{"remove", "b_enabled", "--strict"}, 0, staging, strings.Replace(prod, "  b_enabled:\n    descripton: typo\n    enabled: true\n", "", 1), ""},
		{"promote", []string{"promote", "d_enabled", "--from", "staging", "--to", "production"}, 0,
			staging, prod + "  d_enabled: true\n", `unknown key "descripton"`},
		{"promote all", []string{"promote", "--all", "--from", "staging", "--to", "production"}, 0,
			staging, prod + "  d_enabled: true\n", `unknown key "descripton"`},
		{"promote strict", []string{"promote", "d_enabled", "--from", "staging", "--to", "production", "--strict"}, 3, staging, prod, "--strict"},
		{"promote the broken flag", []string{"promote", "b_enabled", "--from", "production", "--to", "staging"}, 3, staging, prod,
			`flags/production.yaml:6:5: unknown key "descripton"`},
		{"promote all with a broken flag", []string{"promote", "--all", "--from", "production", "--to", "staging"}, 3, staging, prod,
			`b_enabled has problems in production`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    staging,
				"flags/production.yaml": prod,
			})
			code, stdout, stderr := p.run(tt.argv...)
			if code != tt.code || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d and %q", code, stdout, stderr, tt.code, tt.inStderr)
			}
			if got := p.read("flags/staging.yaml"); got != tt.staging {
				t.Errorf("staging.yaml:\n%s\nwant:\n%s", got, tt.staging)
			}
			if got := p.read("flags/production.yaml"); got != tt.prod {
				t.Errorf("production.yaml:\n%s\nwant:\n%s", got, tt.prod)
			}
		})
	}
}

// TestEvalAllAt: eval --all takes --at like eval NAME: schedules and ramps
// decide as of that time, and the output names it.
func TestEvalAllAt(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "dir: flags\nenvironments: [staging]\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  dark_mode_enabled:\n    enabled: true\n    schedule:\n      - at: 2026-12-24T18:00:00+01:00\n        enabled: false\n",
	})
	tests := []struct {
		argv   []string
		on     bool
		at     string
		inText string
	}{
		{[]string{"eval", "--all", "-o", "json"}, true, "", ""},
		{[]string{"eval", "--all", "--at", "2026-12-25T00:00:00Z", "-o", "json"}, false, "2026-12-25T00:00:00Z", ""},
		{[]string{"eval", "--all", "--at", "2026-12-24T16:59:00Z", "-o", "json"}, true, "2026-12-24T16:59:00Z", ""},
		{[]string{"eval", "--all", "--at", "2026-12-25T00:00:00Z"}, false, "", "what a check without an actor sees at 2026-12-25T00:00:00Z:\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			code, stdout, stderr := p.run(tt.argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if tt.inText != "" {
				if !strings.HasPrefix(stdout, tt.inText) || !strings.Contains(stdout, "off (") {
					t.Errorf("stdout:\n%s\nwant it to start with %q and show off", stdout, tt.inText)
				}
				return
			}
			var got EvalAllJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			d := got.Flags[0].Envs["staging"]
			if d.Enabled != tt.on || d.At != tt.at {
				t.Errorf("enabled %v at %q, want %v at %q\n%s", d.Enabled, d.At, tt.on, tt.at, stdout)
			}
		})
	}
}

// TestScheduleConventions: schedule, a verb from main, follows #16: several
// environments in one edit (all or none), --dry-run writes nothing.
func TestScheduleConventions(t *testing.T) {
	tests := []struct {
		name     string
		argv     []string
		code     int
		changed  bool
		inStdout string
		inStderr string
	}{
		{"two envs", []string{"schedule", "dark_mode_enabled", "-e", "staging,production", "--at", "2026-12-24T18:00:00+01:00", "--disable"}, 0, true,
			"✓ production: dark_mode_enabled: scheduled off at 2026-12-24T18:00:00+01:00\n", ""},
		{"dry run", []string{"schedule", "dark_mode_enabled", "-e", "staging,production", "--at", "2026-12-24T18:00:00+01:00", "--disable", "--dry-run"}, 0, false,
			"(dry run: nothing written)\n", ""},
		{"group entry", []string{"schedule", "new_checkout_enabled", "-e", "staging,production", "--at", "2026-12-24T18:00:00+01:00", "--disable", "--group", "beta_testers"}, 0, true,
			"✓ staging: new_checkout_enabled: scheduled group beta_testers off", ""},
		{"dry run in the past", []string{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2025-12-24T18:00:00+01:00", "--disable", "--dry-run"}, 0, false,
			"(dry run: nothing written)\n", "warning: --at 2025-12-24T18:00:00+01:00 is in the past: the change would be in effect at once"},
		{"bad env", []string{"schedule", "dark_mode_enabled", "-e", "staging,prod", "--at", "2026-12-24T18:00:00+01:00", "--disable"}, 2, false, "", "prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != tt.code || !strings.Contains(stdout, tt.inStdout) || !strings.Contains(stderr, tt.inStderr) {
				t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d, %q, %q", code, stdout, stderr, tt.code, tt.inStdout, tt.inStderr)
			}
			staging, production := p.read("flags/staging.yaml"), p.read("flags/production.yaml")
			if changed := staging != stagingFile || production != productionFile; changed != tt.changed {
				t.Errorf("files changed: %v, want %v\n%s\n%s", changed, tt.changed, staging, production)
			}
			if tt.changed && (!strings.Contains(staging, "schedule:") || !strings.Contains(production, "schedule:")) {
				t.Errorf("want a schedule in both files:\n%s\n%s", staging, production)
			}
		})
	}
}

// TestMultiEnvOneEnvVerbs: verbs from main that work on one environment refuse
// --env naming several in one line, and change nothing (#16 multi-env --env).
func TestMultiEnvOneEnvVerbs(t *testing.T) {
	tests := []struct {
		name string
		argv []string
	}{
		{"import", []string{"import", "flipper", "export.json", "--env", "staging,production"}},
		{"import unleash", []string{"import", "unleash", "export.json", "-e", "staging", "-e", "production"}},
		{"test", []string{"test", "--env", "staging,production"}},
		{"eval at", []string{"eval", "dark_mode_enabled", "--env", "staging,production", "--at", "2026-12-01T00:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := importProject(t, map[string]string{
				".flagctl.yaml":      "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml": stagingFile,
				"export.json":        flipperFixture(t),
			})
			for i, a := range tt.argv {
				if a == "export.json" {
					tt.argv[i] = filepath.Join(p.dir, a)
				}
			}
			code, _, stderr := p.run(tt.argv...)
			want := "Error: --env staging,production names 2 environments; this command works on one environment\n"
			if code != ExitUsage || stderr != want {
				t.Errorf("exit %d:\n%q\nwant\n%q", code, stderr, want)
			}
			if p.read("flags/production.yaml") != importProdFile || p.read("flags/staging.yaml") != stagingFile {
				t.Error("a file changed")
			}
		})
	}
}

// TestRenameRefsAsStale: rename reports what `flagctl stale --refs OLD` finds
// (pkg/stale's files and settings): the Go identifier generate gives the flag,
// stale.patterns captures, and nothing stale.exclude leaves out.
func TestRenameRefsAsStale(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\nstale:\n  exclude: [\"legacy/**\"]\n  patterns: ['isOn\\(:(\\w+)\\)']\n",
		"flags/staging.yaml":    stagingFile,
		"flags/production.yaml": productionFile,
		"app.go":                "package app\n\nvar on = flags.DarkModeEnabled.Enabled()\n",
		"web/app.rb":            "x = isOn(:dark_mode_enabled)\n",
		"legacy/old.go":         "package legacy\n\nvar on = \"dark_mode_enabled\"\n",
	})
	_, refs, _ := p.run("stale", "--refs", "dark_mode_enabled")
	if refs != "app.go:3\nweb/app.rb:1\n" {
		t.Fatalf("stale --refs:\n%s", refs)
	}
	code, stdout, stderr := p.run("rename", "dark_mode_enabled", "theme_enabled")
	want := "Code still refers to dark_mode_enabled (2 places; change them):\n  app.go:3\n  web/app.rb:1\n"
	if code != 0 || !strings.HasSuffix(stdout, want) {
		t.Errorf("exit %d\n%s%s\nwant it to end with\n%s", code, stdout, stderr, want)
	}
}

// TestPercentageReplacesRamp: the success line says what a new percentage gate
// or ramp removes, ramps (from main's #ramps) included (#16 "say so").
func TestPercentageReplacesRamp(t *testing.T) {
	const ramped = "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    percentage_of_time:\n      ramp:\n        from: 1%\n        to: 50%\n        start: 2026-12-07T09:00:00Z\n        end: 2026-12-14T09:00:00Z\n"
	const fixed = "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    percentage_of_time: 10%\n"
	tests := []struct {
		name, file string
		argv       []string
		want       string
	}{
		{"fixed replaces other ramp", ramped, []string{"enable", "a_enabled", "--percentage-of-actors", "30%"},
			"✓ staging: a_enabled: percentage_of_actors 30% (replaces the percentage_of_time ramp: a flag has one percentage gate)\n"},
		{"fixed replaces same ramp", ramped, []string{"enable", "a_enabled", "--percentage-of-time", "30%"},
			"✓ staging: a_enabled: percentage_of_time 30% (replaces the percentage_of_time ramp)\n"},
		{"ramp replaces other fixed", fixed, []string{"enable", "a_enabled", "--percentage-of-actors", "30%", "--ramp-from", "1%", "--over", "7d", "--start", "2026-12-07T09:00:00Z"},
			"✓ staging: a_enabled: ramp from 1% on 2026-12-07 09:00 UTC to 30% on 2026-12-14 09:00 UTC (replaces percentage_of_time 10%: a flag has one percentage gate)\n"},
		{"ramp, nothing replaced", "version: 1\nenvironment: staging\nflags:\n  a_enabled: false\n", []string{"enable", "a_enabled", "--percentage-of-actors", "30%", "--ramp-from", "1%", "--over", "7d", "--start", "2026-12-07T09:00:00Z"},
			"✓ staging: a_enabled: ramp from 1% on 2026-12-07 09:00 UTC to 30% on 2026-12-14 09:00 UTC\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{".flagctl.yaml": "dir: flags\nenvironments: [staging]\n", "flags/staging.yaml": tt.file})
			code, stdout, stderr := p.run(tt.argv...)
			if code != 0 || stdout != tt.want {
				t.Errorf("exit %d\n%q\nwant\n%q\n%s", code, stdout, tt.want, stderr)
			}
		})
	}
}
