package cmd

// Trust sweep of the CLI: what the read verbs and reports print.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

// TestStaleJudgesFlagsWithoutKind: a flag without `kind` (hand-written, the
// shorthand `name: true`, or brought over by `flagctl import`) was never
// fully-rolled-out or dead, so `stale` stayed green for it forever. It counts
// as release, the kind `create` writes; ops, permission and experiment flags
// stay exempt. The finding says how to keep such a flag.
func TestStaleJudgesFlagsWithoutKind(t *testing.T) {
	stdout := staleFindings(t, "  shorthand_enabled: true\n  mapped_enabled:\n    owner: a\n    enabled: false\n  ops_enabled:\n    kind: ops\n    enabled: true\n",
		"shorthand_enabled", "mapped_enabled", "ops_enabled")
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

// TestStaleFullyOnByPercentage: a flag fully rolled out through
// percentage_of_actors 100% is still off for checks without an actor, so the
// finding says so and names the cleanup that keeps the code path: cleanup
// refuses it without --value (it cannot tell what anonymous checks want).
func TestStaleFullyOnByPercentage(t *testing.T) {
	stdout := staleFindings(t, "  everyone_enabled:\n    kind: release\n    percentage_of_actors: 100%\n  boolean_enabled:\n    kind: release\n    enabled: true\n",
		"everyone_enabled", "boolean_enabled")
	const note = "checks without an actor answer false"
	for _, line := range strings.Split(stdout, "\n") {
		switch {
		case strings.Contains(line, "everyone_enabled:") && !strings.Contains(line, note+` ("flagctl cleanup everyone_enabled --value true" keeps the code path everywhere)`):
			t.Errorf("the 100%% finding lacks the note: %s", line)
		case strings.Contains(line, "boolean_enabled:") && strings.Contains(line, note):
			t.Errorf("a boolean-on flag got the note: %s", line)
		}
	}
	if !strings.Contains(stdout, "everyone_enabled:") || !strings.Contains(stdout, "boolean_enabled:") {
		t.Errorf("both flags must be reported:\n%s", stdout)
	}
}

// staleFindings commits body (the flags of both environments, on 2026-10-01)
// with code naming each of names, runs stale on 2026-12-31, expects findings
// (exit 1) and returns its output.
func staleFindings(t *testing.T, body string, names ...string) string {
	t.Helper()
	g := newGitProject(t)
	g.commit("Alice", "2026-10-01", "flags", map[string]string{
		"flags/staging.yaml":    stagingV(body),
		"flags/production.yaml": productionV(body),
		"src/app.go":            fmt.Sprintf("package app\n\nvar names = %#v\n", names),
	})
	code, stdout, stderr := g.run("stale", "--today", "2026-12-31")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1:\n%s%s", code, stdout, stderr)
	}
	return stdout
}
