package cmd

// Trust sweep of the CLI: what the editing verbs and the configuration do.

import (
	"os"
	"strings"
	"testing"
)

// TestPercentageOneIsAmbiguous: "--percentage-of-actors 1" is almost always meant
// as 1%, but as a bare fraction it is 100%. The CLI refuses it and asks for 1% or
// 100%, in every option that takes a percentage, and writes nothing.
func TestPercentageOneIsAmbiguous(t *testing.T) {
	tests := [][]string{
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", "1"},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-time", " 1 "},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", "50%", "--ramp-from", "1", "--over", "7d"},
		{"schedule", "new_checkout_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00Z", "--percentage-of-actors", "1"},
	}
	for _, argv := range tests {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(argv...)
			if code != ExitUsage || !strings.Contains(stderr, "1%") || !strings.Contains(stderr, "100%") {
				t.Errorf("exit %d, stderr %q; want exit 2 asking for 1%% or 100%%", code, stderr)
			}
			if p.read("flags/staging.yaml") != stagingFile {
				t.Error("the file changed")
			}
		})
	}
	// The explicit forms still work.
	for _, v := range []string{"1%", "100%", "1.0", "0.01"} {
		p := stdProject(t)
		if code, _, stderr := p.run("enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", v); code != 0 {
			t.Errorf("--percentage-of-actors %s: exit %d, %s", v, code, stderr)
		}
	}
}

// TestBareNumberPercentageHint: the hint for a bare whole number names the
// fraction that means the same percentage ("100" is 1.0, not 0.100 = 10%).
func TestBareNumberPercentageHint(t *testing.T) {
	tests := []struct{ in, want, not string }{
		{"100", "write 100% or 1.0 ", "0.100"},
		{"50", "write 50% or 0.50 ", ""},
		{"5", "write 5% or 0.05 ", ""},
	}
	for _, tt := range tests {
		p := stdProject(t)
		code, _, stderr := p.run("enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", tt.in)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) || tt.not != "" && strings.Contains(stderr, tt.not) {
			t.Errorf("%s: exit %d, stderr %q; want it to contain %q", tt.in, code, stderr, tt.want)
		}
	}
}

// TestScheduleClearReport: `schedule --clear` says what it did ("✓ staging:
// NAME: clear schedule" printed nothing after the flag name), and that nothing
// changed when there was no schedule.
func TestScheduleClearReport(t *testing.T) {
	p := stdProject(t)
	if code, _, stderr := p.run("schedule", "new_checkout_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00Z", "--enable"); code != 0 {
		t.Fatalf("schedule: exit %d: %s", code, stderr)
	}
	tests := []struct{ want string }{
		{"✓ staging: new_checkout_enabled: clear schedule\n"},
		{"staging: new_checkout_enabled unchanged (already clear schedule)\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := p.run("schedule", "new_checkout_enabled", "-e", "staging", "--clear")
		if code != 0 || stdout != tt.want {
			t.Errorf("schedule --clear: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, tt.want)
		}
	}
	if p.read("flags/staging.yaml") != stagingFile {
		t.Errorf("the schedule was not removed cleanly:\n%s", p.read("flags/staging.yaml"))
	}
}

// TestRuleTestFilesWithYmlExtension: a rule test file named tests/NAME.yml was
// silently skipped, so `flagctl test` said "0 passed, 0 failed" and exited 0 in
// CI while its cases never ran. .yml files are rule test files too.
func TestRuleTestFilesWithYmlExtension(t *testing.T) {
	const failing = "version: 1\ntests:\n  - name: dark mode off in production\n    env: production\n    flag: dark_mode_enabled\n    want: true\n"
	tests := []struct {
		argv []string
		code int
		want string
	}{
		{[]string{"test"}, 1, "0 passed, 1 failed"},
		{[]string{"lint"}, 0, ""},
	}
	for _, tt := range tests {
		p := newProject(t, map[string]string{
			".flagctl.yaml":          "dir: flags\nenvironments: [staging, production]\n",
			"flags/staging.yaml":     stagingFile,
			"flags/production.yaml":  productionFile,
			"flags/tests/checks.yml": failing,
		})
		code, stdout, stderr := p.run(tt.argv...)
		if code != tt.code || !strings.Contains(stdout, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s%s", tt.argv, code, tt.code, tt.want, stdout, stderr)
		}
	}
	// lint checks that a .yml test file parses.
	p := newProject(t, map[string]string{
		".flagctl.yaml":          "dir: flags\nenvironments: [staging, production]\n",
		"flags/staging.yaml":     stagingFile,
		"flags/production.yaml":  productionFile,
		"flags/tests/checks.yml": "version: 1\ntests:\n  - name: x\n    flag: dark_mode_enabled\n    wnat: true\n",
	})
	if code, stdout, stderr := p.run("lint"); code == 0 || !strings.Contains(stdout+stderr, "checks.yml") {
		t.Errorf("lint of a broken .yml test file: exit %d:\n%s%s", code, stdout, stderr)
	}
}

// TestEnableGateWhileBooleanOn: with the boolean gate on, the flag is on for
// everyone, so opening an actor, group or percentage gate changes nothing —
// "enable --percentage-of-actors 25%" to dial a flag back to a quarter left it
// on for all, silently. enable still writes the gate, and warns with the
// command that lets the gates decide. Without the boolean on, no warning.
func TestEnableGateWhileBooleanOn(t *testing.T) {
	tests := []struct {
		argv []string
		warn bool
	}{
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-actors", "25%"}, true},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-time", "5%", "--dry-run"}, true},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--group", "beta"}, true},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:1"}, true},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-actors", "50%", "--ramp-from", "1%", "--over", "7d"}, true},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging"}, false},
		{[]string{"enable", "dark_mode_enabled", "-e", "production", "--percentage-of-actors", "25%"}, false},
		{[]string{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", "30%"}, false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(tt.argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			env := tt.argv[3]
			want := "warning: " + env + ": dark_mode_enabled has its boolean gate on, so gates that turn it on (actor, group, percentage) change nothing"
			if got := strings.Contains(stderr, want) && strings.Contains(stderr, `"flagctl disable dark_mode_enabled --env `+env+`"`); got != tt.warn {
				t.Errorf("warning %v, want %v; stderr:\n%s", got, tt.warn, stderr)
			}
		})
	}
}

// TestClearWarnsOfScheduledReturn: `clear --percentage` (or --actor, --group,
// --boolean) removed the gate now, while a schedule entry to come sets it again
// — the rollout the user stopped restarted on its date without a word. clear
// still does what it says, and warns with the entry and the command that drops
// the schedule. No warning when no entry to come touches what was cleared.
func TestClearWarnsOfScheduledReturn(t *testing.T) {
	tests := []struct {
		schedule []string
		clear    []string
		warn     string
	}{
		{[]string{"--percentage-of-actors", "50%"}, []string{"--percentage"}, "percentage_of_actors 50%"},
		{[]string{"--actor", "user:42", "--enable"}, []string{"--actor", "user:42"}, "actor user:42 on"},
		{[]string{"--group", "beta_testers", "--enable"}, []string{"--group", "beta_testers"}, "group beta_testers on"},
		{[]string{"--enable"}, []string{"--boolean"}, "on"},
		{[]string{"--group", "other", "--enable"}, []string{"--group", "beta_testers"}, ""},
		{[]string{"--percentage-of-actors", "50%"}, []string{"--actor", "user:42"}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append(tt.schedule, tt.clear...), " "), func(t *testing.T) {
			p := stdProject(t)
			argv := append([]string{"schedule", "new_checkout_enabled", "-e", "staging", "--at", "2027-01-01T00:00:00Z"}, tt.schedule...)
			if code, _, stderr := p.run(argv...); code != 0 {
				t.Fatalf("schedule: exit %d: %s", code, stderr)
			}
			code, _, stderr := p.run(append([]string{"clear", "new_checkout_enabled", "-e", "staging"}, tt.clear...)...)
			if code != 0 {
				t.Fatalf("clear: exit %d: %s", code, stderr)
			}
			want := "warning: staging: new_checkout_enabled: the schedule sets it again at 2027-01-01T00:00:00Z (" + tt.warn + `); "flagctl schedule new_checkout_enabled --env staging --clear" drops the schedule`
			if got := strings.Contains(stderr, want); got != (tt.warn != "") {
				t.Errorf("stderr:\n%s\nwant warning %v: %s", stderr, tt.warn != "", want)
			}
		})
	}
}

// TestDisableWarnsOfScheduledReturn: `disable --actor X` (or --group G) while a
// schedule entry to come turns X on again warns, as clear does.
func TestDisableWarnsOfScheduledReturn(t *testing.T) {
	p := stdProject(t)
	if code, _, stderr := p.run("schedule", "new_checkout_enabled", "-e", "staging", "--at", "2027-01-01T00:00:00Z", "--actor", "user:9", "--enable"); code != 0 {
		t.Fatalf("schedule: exit %d: %s", code, stderr)
	}
	for _, tt := range []struct {
		actor string
		warn  bool
	}{{"user:9", true}, {"user:8", false}} {
		code, _, stderr := p.run("disable", "new_checkout_enabled", "-e", "staging", "--actor", tt.actor)
		want := `warning: staging: new_checkout_enabled: the schedule sets it again at 2027-01-01T00:00:00Z (actor user:9 on)`
		if code != 0 || strings.Contains(stderr, want) != tt.warn {
			t.Errorf("disable --actor %s: exit %d, stderr:\n%s\nwant warning %v", tt.actor, code, stderr, tt.warn)
		}
	}
}

// TestBlankEnvVariableNamed: a blank FLAGCTL_ENV was reported as the option
// "--FLAGCTL_ENV", which does not exist.
func TestBlankEnvVariableNamed(t *testing.T) {
	for _, v := range []string{" ", "staging,,production"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv("FLAGCTL_ENV", v)
			p := stdProject(t)
			code, _, stderr := p.run("list")
			if code != ExitUsage || !strings.Contains(stderr, "Error: FLAGCTL_ENV") || strings.Contains(stderr, "--FLAGCTL_ENV") {
				t.Errorf("exit %d, stderr %q; want a usage error naming FLAGCTL_ENV", code, stderr)
			}
		})
	}
}

// TestInitWithDir: `flagctl --dir config/flags init` failed with "Rel: can't
// make .flagctl/flagfile.schema.json relative to config/flags" after writing
// .flagctl.yaml, leaving a project without flag files.
func TestInitWithDir(t *testing.T) {
	for _, how := range []string{"option", "variable"} {
		t.Run(how, func(t *testing.T) {
			p := newProject(t, nil)
			argv := []string{"init", "--envs", "staging,production"}
			if how == "option" {
				argv = append([]string{"--dir", "config/flags"}, argv...)
			} else {
				t.Setenv("FLAGCTL_DIR", "config/flags")
			}
			if code, stdout, stderr := p.run(argv...); code != 0 {
				t.Fatalf("init: exit %d:\n%s%s", code, stdout, stderr)
			}
			if got := p.read("config/flags/staging.yaml"); !strings.HasPrefix(got, "# yaml-language-server: $schema=../../.flagctl/flagfile.schema.json\n") {
				t.Errorf("staging.yaml:\n%s", got)
			}
			if !strings.Contains(p.read(".flagctl.yaml"), "\ndir: config/flags\n") {
				t.Errorf(".flagctl.yaml:\n%s", p.read(".flagctl.yaml"))
			}
			os.Unsetenv("FLAGCTL_DIR")
			if code, _, stderr := p.run("create", "x_enabled", "--owner", "o", "--description", "d"); code != 0 {
				t.Errorf("create after init: exit %d: %s", code, stderr)
			}
		})
	}
}
