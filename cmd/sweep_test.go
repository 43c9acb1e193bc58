package cmd

import (
	"os"
	"path/filepath"
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

// TestTextOutputEscapesControlCharacters: a description (or owner) written by
// hand may hold escape sequences, carriage returns and newlines. The text and
// markdown outputs a reviewer reads (diff, show, list) print them escaped, as
// log does, so a flag file cannot erase or fake lines on the terminal or rows
// in a pull-request comment.
func TestTextOutputEscapesControlCharacters(t *testing.T) {
	hostile := strings.Replace(stagingFile, "description: New checkout flow with saved cards",
		`description: "ok\e[1A\e[2K\rFAKE\n| x | y |\tz"`, 1)
	hostile = strings.Replace(hostile, "owner: team-payments", `owner: "team\e[2Kx"`, 1)
	tests := [][]string{
		{"diff", "--envs", "staging,production"},
		{"diff", "--envs", "staging,production", "-o", "markdown"},
		{"show", "new_checkout_enabled"},
		{"list", "-A"},
		{"list", "-e", "staging"},
	}
	for _, argv := range tests {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    hostile,
				"flags/production.yaml": productionFile,
			})
			code, stdout, stderr := p.run(argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if strings.ContainsAny(stdout, "\x1b\r\t") {
				t.Errorf("raw control characters in the output:\n%q", stdout)
			}
			if strings.Contains(stdout, "\nFAKE") || strings.Contains(stdout, "\n| x | y |") {
				t.Errorf("a description started a new output line:\n%s", stdout)
			}
		})
	}
}

// TestListNamesItsEnvironment: `flagctl list` on one environment (chosen by
// --env, FLAGCTL_ENV, default_env or being the only one) says which one: after
// `init` (default_env: development) a plain `list` shows development, and a
// state column without the environment's name reads as the state everywhere.
func TestListNamesItsEnvironment(t *testing.T) {
	tests := []struct {
		config string
		argv   []string
		env    string
	}{
		{"dir: flags\nenvironments: [staging, production]\n", []string{"list", "-e", "staging"}, "staging"},
		{"dir: flags\nenvironments: [staging, production]\ndefault_env: production\n", []string{"list"}, "production"},
		{"dir: flags\nenvironments: [staging, production]\n", []string{"list", "--file", "flags/production.yaml"}, "production"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         tt.config,
				"flags/staging.yaml":    stagingFile,
				"flags/production.yaml": productionFile,
			})
			argv := append([]string(nil), tt.argv...)
			if argv[len(argv)-1] == "flags/production.yaml" {
				argv[len(argv)-1] = filepath.Join(p.dir, "flags", "production.yaml")
			}
			code, stdout, stderr := p.run(argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			head, _, _ := strings.Cut(stdout, "\n")
			if !strings.Contains(head, "STATE ("+tt.env+")") {
				t.Errorf("header %q does not name the environment %s", head, tt.env)
			}
		})
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

// TestMissingInEnvHintWorks: the missing-in-env lint error names a command that
// adds the flag where it is missing. It used to say "flagctl create adds to
// every environment", but create refuses a flag that exists anywhere.
func TestMissingInEnvHintWorks(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
		"flags/staging.yaml":    stagingFile,
		"flags/production.yaml": strings.Replace(productionFile, "  dark_mode_enabled: false\n", "", 1),
	})
	code, stdout, _ := p.run("lint")
	if code != 1 {
		t.Fatalf("lint: exit %d, want 1:\n%s", code, stdout)
	}
	_, hint, ok := strings.Cut(stdout, `dark_mode_enabled" is defined in staging but not in production; add it there ("flagctl `)
	if !ok {
		t.Fatalf("no missing-in-env hint with a command:\n%s", stdout)
	}
	hint, _, _ = strings.Cut(hint, `"`)
	if code, _, stderr := p.run(strings.Fields(hint)...); code != 0 {
		t.Fatalf("the suggested %q: exit %d: %s", hint, code, stderr)
	}
	if code, stdout, _ := p.run("lint"); strings.Contains(stdout, "missing-in-env") {
		t.Errorf("after %q, lint (exit %d) still reports:\n%s", hint, code, stdout)
	}
}

// TestChangeLinesEscapeControlCharacters: the semantic change an editing verb
// prints (promote, restore, dry runs, set) escapes control characters of the
// values it shows, as diff and log do.
func TestChangeLinesEscapeControlCharacters(t *testing.T) {
	hostile := strings.Replace(stagingFile, "description: New checkout flow with saved cards",
		`description: "ok\e[1A\e[2K\rFAKE\nline"`, 1)
	hostile = strings.Replace(hostile, "  # Shorthand\n  dark_mode_enabled: true\n", "  # Shorthand\n  dark_mode_enabled: true\n  only_staging_enabled:\n    description: \"x\\e[2Ky\"\n", 1)
	tests := [][]string{
		{"promote", "only_staging_enabled", "--from", "staging", "--to", "production"},
		{"promote", "only_staging_enabled", "--from", "staging", "--to", "production", "--dry-run"},
		{"create", "z_enabled", "--description", "a\x1b[2Kb", "--dry-run"},
		{"set", "new_checkout_enabled", "-e", "staging", "--description", "a\rb", "--dry-run"},
		{"set", "new_checkout_enabled", "-e", "staging", "--description", "plain"},
	}
	for _, argv := range tests {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    hostile,
				"flags/production.yaml": productionFile,
			})
			code, stdout, stderr := p.run(argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if strings.ContainsAny(stdout, "\x1b\r") || strings.Contains(stdout, "\nline") {
				t.Errorf("raw control characters in the output:\n%q", stdout)
			}
		})
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

// TestEvalExplainWithoutActor: `eval NAME --explain` without --actor said only
// "no gate open → off" for a flag whose actor, group and percentage-of-actors
// gates are open: they apply to an actor, which was not given. The explanation
// now says so, and how to check one.
func TestEvalExplainWithoutActor(t *testing.T) {
	tests := []struct {
		argv []string
		note string
	}{
		{[]string{"eval", "new_checkout_enabled", "-e", "staging", "--explain"}, "note:  without --actor, these gates do not apply: actor gates, group gates, percentage_of_actors; pass --actor ID (and --group G)"},
		{[]string{"eval", "new_checkout_enabled", "-e", "staging", "--explain", "--group", "x"}, "note:  without --actor, these gates do not apply: actor gates, percentage_of_actors; pass --actor ID"},
		{[]string{"eval", "new_checkout_enabled", "-e", "staging", "--explain", "--actor", "user:1"}, ""},
		{[]string{"eval", "new_checkout_enabled", "-e", "production", "--explain"}, ""},
		{[]string{"eval", "new_checkout_enabled", "-e", "staging"}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if tt.note == "" && strings.Contains(stdout, "note:") || tt.note != "" && !strings.Contains(stdout, tt.note+"\n") {
				t.Errorf("stdout:\n%s\nwant note %q", stdout, tt.note)
			}
		})
	}
}

// TestGenerateRefusesToOverwriteOtherFiles: `generate go --out F` replaced F
// whatever it held — a hand-written internal/flags/flags.go (the path the README
// suggests), a flag file, .flagctl.yaml. It now overwrites only a file flagctl
// generated (or an empty one), and leaves any other as it is (exit 2).
func TestGenerateRefusesToOverwriteOtherFiles(t *testing.T) {
	const handWritten = "package flags\n\n// Mine is hand-written.\nfunc Mine() {}\n"
	tests := []struct {
		out, content string
		code         int
	}{
		{"internal/flags/flags.go", handWritten, ExitUsage},
		{"flags/staging.yaml", stagingFile, ExitUsage},
		{".flagctl.yaml", "dir: flags\nenvironments: [staging, production]\n", ExitUsage},
		{"internal/flags/empty.go", "", 0}, // nothing to lose
		{"internal/flags/gen.go", "// Code generated by flagctl. DO NOT EDIT.\n\npackage flags\n", 0},
		{"internal/flags/new.go", "", 0}, // does not exist yet
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			files := map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    stagingFile,
				"flags/production.yaml": productionFile,
			}
			if tt.out != "internal/flags/new.go" {
				files[tt.out] = tt.content
			}
			p := newProject(t, files)
			code, _, stderr := p.run("generate", "go", "--package", "flags", "--out", filepath.Join(p.dir, tt.out))
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			got := p.read(tt.out)
			if tt.code != 0 && (got != tt.content || !strings.Contains(stderr, "not generated by flagctl")) {
				t.Errorf("the file changed or the error does not say why (%s):\n%s", stderr, got)
			}
			if tt.code == 0 && !strings.HasPrefix(got, "// Code generated by flagctl. DO NOT EDIT.") {
				t.Errorf("not written:\n%s", got)
			}
		})
	}
}

// TestStaleJudgesFlagsWithoutKind: a flag without `kind` (hand-written, the
// shorthand `name: true`, or brought over by `flagctl import`) was never
// fully-rolled-out or dead, so `stale` stayed green for it forever. It counts
// as release, the kind `create` writes; ops, permission and experiment flags
// stay exempt. The finding says how to keep such a flag.
func TestStaleJudgesFlagsWithoutKind(t *testing.T) {
	g := newGitProject(t)
	body := "  shorthand_enabled: true\n  mapped_enabled:\n    owner: a\n    enabled: false\n  ops_enabled:\n    kind: ops\n    enabled: true\n"
	g.commit("Alice", "2026-10-01", "kind-less flags", map[string]string{
		"flags/staging.yaml":    stagingV(body),
		"flags/production.yaml": productionV(body),
		"src/app.go":            "package app\n\nvar names = []string{\"shorthand_enabled\", \"mapped_enabled\", \"ops_enabled\"}\n",
	})
	code, stdout, stderr := g.run("stale", "--today", "2026-12-31")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1:\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"shorthand_enabled: on for everyone in every environment since 2026-10-01",
		"it has no kind, so it counts as release: set kind: ops or permission if it is meant to stay (flagctl set shorthand_enabled --kind ops) [fully-rolled-out]",
		"mapped_enabled: enables nobody in any environment since 2026-10-01",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("missing %q in:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "ops_enabled") {
		t.Errorf("an ops flag was reported:\n%s", stdout)
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

// TestSummariesCountInEnglish: the summary lines said "1 errors", "1 findings",
// "(1 flags)", "1 places", "1 days ago".
func TestSummariesCountInEnglish(t *testing.T) {
	files := map[string]string{
		".flagctl.yaml":         "environments: [staging, production]\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n  old_enabled:\n    kind: release\n    owner: a\n    description: d\n    expires: 2026-11-20\n    enabled: true\n  bad:\n    owner: a\n    description: d\n    enabled: true\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  old_enabled:\n    kind: release\n    owner: a\n    description: d\n    expires: 2026-11-20\n    enabled: true\n",
		"main.go":               "package main\n\nvar x = \"old_enabled\"\n",
	}
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"lint"}, "1 error, 1 warning\n"},
		{[]string{"stale", "--today", "2026-11-21"}, "1 finding, 1 error\n"},
		{[]string{"stale", "--today", "2026-11-21"}, "expired on 2026-11-20 (1 day ago)"},
		{[]string{"rename", "old_enabled", "older_enabled", "--dry-run"}, "(1 place; change them)"},
		{[]string{"generate", "go", "--out", "OUT", "-e", "production"}, "(1 flag)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := newProject(t, files)
			if tt.argv[0] == "stale" {
				os.WriteFile(filepath.Join(p.dir, "flags", "staging.yaml"), []byte(strings.Replace(files["flags/production.yaml"], "environment: production", "environment: staging", 1)), 0o644)
			}
			argv := append([]string(nil), tt.argv...)
			for i, a := range argv {
				if a == "OUT" {
					argv[i] = filepath.Join(p.dir, "gen", "flags.go")
				}
			}
			_, stdout, stderr := p.run(argv...)
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("want %q in:\n%s%s", tt.want, stdout, stderr)
			}
		})
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
