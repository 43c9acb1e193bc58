package cmd

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// with adapts a verb constructor so the options it builds land in *got.
func with[O any](newCmd func(*Factory, func(*O) error) *cobra.Command) func(*Factory, *any) *cobra.Command {
	return func(f *Factory, got *any) *cobra.Command {
		return newCmd(f, func(o *O) error { *got = o; return nil })
	}
}

// TestArgvToOptions checks, for every verb, how argv fills its options (through
// runF, so nothing runs) and the usage errors cobra or the verb report.
func TestArgvToOptions(t *testing.T) {
	type build func(f *Factory, got *any) *cobra.Command
	tests := []struct {
		name    string
		build   build
		argv    []string
		want    any
		wantErr string
	}{
		{"enable", with(NewCmdEnable), []string{"f_enabled"}, &EnableOptions{Name: "f_enabled"}, ""},
		{"enable actors", with(NewCmdEnable), []string{"f_enabled", "--actor", "user:1,user:2", "--actor", "user:3"}, &EnableOptions{Name: "f_enabled", Actors: []string{"user:1,user:2", "user:3"}}, ""},
		{"enable group percentage", with(NewCmdEnable), []string{"f_enabled", "--group", "beta", "--percentage-of-actors", "25%"}, &EnableOptions{Name: "f_enabled", Groups: []string{"beta"}, PercentageOfActors: "25%"}, ""},
		{"enable time", with(NewCmdEnable), []string{"f_enabled", "--percentage-of-time", "0.5"}, &EnableOptions{Name: "f_enabled", PercentageOfTime: "0.5"}, ""},
		{"enable no name", with(NewCmdEnable), []string{}, nil, "expected the flag NAME, got 0 arguments"},
		{"enable two names", with(NewCmdEnable), []string{"a", "b"}, nil, "expected the flag NAME, got 2 arguments"},
		{"enable both percentages", with(NewCmdEnable), []string{"f", "--percentage-of-actors", "1%", "--percentage-of-time", "1%"}, nil, "--percentage-of-actors and --percentage-of-time are mutually exclusive: a flag has one percentage gate"},
		{"enable unknown option", with(NewCmdEnable), []string{"f", "--bogus"}, nil, "unknown flag: --bogus"},
		{"disable", with(NewCmdDisable), []string{"x", "--group", "banned,spam"}, &DisableOptions{Name: "x", Groups: []string{"banned,spam"}}, ""},
		{"clear", with(NewCmdClear), []string{"x", "--percentage", "--boolean", "--actor", "u:1"}, &ClearOptions{Name: "x", Actors: []string{"u:1"}, Percentage: true, Boolean: true}, ""},
		{"create", with(NewCmdCreate), []string{"x_enabled", "--owner", "me", "--enable-in", "dev,staging"}, &CreateOptions{Name: "x_enabled", Owner: "me", Kind: "release", EnableIn: []string{"dev,staging"}}, ""},
		{"eval", with(NewCmdEval), []string{"x", "--actor", "user:1", "--group", "a", "--explain", "-o", "json"}, &EvalOptions{Name: "x", Actor: "user:1", Groups: []string{"a"}, Explain: true, Output: "json"}, ""},
		{"eval all", with(NewCmdEval), []string{"--all", "--actor", "user:1", "--group", "a,b", "-o", "json"}, &EvalOptions{All: true, Actor: "user:1", Groups: []string{"a,b"}, Output: "json"}, ""},
		{"eval all and name", with(NewCmdEval), []string{"x", "--all"}, nil, "give a flag NAME or --all, not both"},
		{"eval all explain", with(NewCmdEval), []string{"--all", "--explain"}, nil, "--all always says which gate decided; drop --explain"},
		{"eval yaml", with(NewCmdEval), []string{"x", "-o", "yaml"}, &EvalOptions{Name: "x", Output: "yaml"}, ""},
		{"eval bad output", with(NewCmdEval), []string{"x", "-o", "xml"}, nil, `invalid --output "xml": use text, json, yaml`},
		{"test -o github", with(NewCmdTest), []string{"-o", "github"}, &TestOptions{Output: "github", Format: "github"}, ""},
		{"test --format json", with(NewCmdTest), []string{"--format", "json"}, &TestOptions{Output: "json", Format: "json"}, ""},
		{"test both same", with(NewCmdTest), []string{"--format", "yaml", "-o", "yaml"}, &TestOptions{Output: "yaml", Format: "yaml"}, ""},
		{"test both differ", with(NewCmdTest), []string{"--format", "github", "-o", "json"}, nil, "--output json and --format github: they are the same option; give one"},
		{"test bad format", with(NewCmdTest), []string{"--format", "sarif"}, nil, `invalid --format "sarif": use text, json, yaml, github`},
		{"eval no name", with(NewCmdEval), nil, nil, "expected the flag NAME (or --all), got 0 arguments"},
		{"list bad output", with(NewCmdList), []string{"-o", "xml"}, nil, `invalid --output "xml": use text, json, yaml`},
		{"init", with(NewCmdInit), []string{"--envs", "dev,prod"}, &InitOptions{Envs: []string{"dev,prod"}}, ""},
		{"init default", with(NewCmdInit), nil, &InitOptions{Envs: []string{"development", "staging", "production"}}, ""},
		{"init args", with(NewCmdInit), []string{"x"}, nil, `unexpected argument "x"`},
		{"remove", with(NewCmdRemove), []string{"old_enabled"}, &RemoveOptions{Name: "old_enabled"}, ""},
		{"remove dry run", with(NewCmdRemove), []string{"old_enabled", "--dry-run"}, &RemoveOptions{Name: "old_enabled", DryRun: true}, ""},
		{"enable dry run", with(NewCmdEnable), []string{"f_enabled", "--dry-run"}, &EnableOptions{Name: "f_enabled", DryRun: true}, ""},
		{"set", with(NewCmdSet), []string{"x_enabled", "--owner", "me", "--expires", "2027-01-01", "--created", "2026-01-01", "--kind", "ops", "--description", "d", "--unset", "a,b", "--dry-run"}, &SetOptions{Name: "x_enabled", Owner: "me", Expires: "2027-01-01", Created: "2026-01-01", Kind: "ops", Description: "d", Unset: []string{"a,b"}, DryRun: true}, ""},
		{"set no name", with(NewCmdSet), nil, nil, "expected the flag NAME, got 0 arguments"},
		{"rename", with(NewCmdRename), []string{"a_enabled", "b_enabled", "--dry-run"}, &RenameOptions{Old: "a_enabled", New: "b_enabled", DryRun: true}, ""},
		{"rename one name", with(NewCmdRename), []string{"a_enabled"}, nil, "expected 2 arguments (OLD and NEW flag names), got 1"},
		{"rename same", with(NewCmdRename), []string{"a_enabled", "a_enabled"}, nil, `OLD and NEW are the same name "a_enabled"`},
		{"rename bad new", with(NewCmdRename), []string{"a_enabled", "B"}, nil, `bad flag name "B": use lower-case letters, digits and '_', starting with a letter, at most 100 characters`},
		{"show", with(NewCmdShow), []string{"x", "-o", "yaml"}, &ShowOptions{Name: "x", Output: "yaml"}, ""},
		{"show no name", with(NewCmdShow), nil, nil, "expected the flag NAME, got 0 arguments"},
		{"list", with(NewCmdList), []string{"-A", "-o", "json"}, &ListOptions{AllEnvs: true, Output: "json"}, ""},
		{"lint", with(NewCmdLint), []string{"--format", "github", "--strict"}, &LintOptions{Format: "github", Strict: true}, ""},
		{"lint bad format", with(NewCmdLint), []string{"--format", "sarif"}, nil, `invalid --format "sarif": use text, json, yaml, github`},
		{"fmt", with(NewCmdFmt), []string{"--check"}, &FmtOptions{Check: true}, ""},
		{"diff", with(NewCmdDiff), []string{"main", "--staged", "-o", "markdown", "--exit-code"}, &DiffOptions{Revs: []string{"main"}, Staged: true, Output: "markdown", ExitCode: true}, ""},
		{"diff envs", with(NewCmdDiff), []string{"--envs", "staging"}, nil, "--envs takes two environments (and at most one revision, without --staged)"},
		{"diff three revs", with(NewCmdDiff), []string{"a", "b", "c"}, nil, "expected at most two revisions, got 3"},
		{"log", with(NewCmdLog), []string{"x", "--since", "2026-01-01", "-o", "json"}, &LogOptions{Name: "x", Since: "2026-01-01", Output: "json"}, ""},
		{"promote", with(NewCmdPromote), []string{"x", "--from", "staging", "--to", "production", "--dry-run"}, &PromoteOptions{Name: "x", From: "staging", To: "production", DryRun: true}, ""},
		{"promote all and name", with(NewCmdPromote), []string{"x", "--all", "--from", "a", "--to", "b"}, nil, "give a flag NAME or --all, not both"},
		{"promote same env", with(NewCmdPromote), []string{"--all", "--from", "a", "--to", "a"}, nil, "--from and --to are the same environment"},
		{"restore", with(NewCmdRestore), []string{"x", "--to", "HEAD~2"}, &RestoreOptions{Name: "x", To: "HEAD~2"}, ""},
		{"restore no rev", with(NewCmdRestore), []string{"x"}, nil, "--to REV is required"},
		{"generate", with(NewCmdGenerateGo), []string{"--package", "ff", "--out", "x.go", "--check"}, &GenerateOptions{Package: "ff", Out: "x.go", Check: true}, ""},
		{"generate bad package", with(NewCmdGenerateGo), []string{"--package", "my-flags", "--out", "x.go"}, nil, `--package "my-flags" is not a Go package name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			err := runOpts(t, func(f *Factory) *cobra.Command { return tt.build(f, &got) }, tt.argv...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if exitCode(err) != ExitUsage {
					t.Errorf("exit code %d, want 2", exitCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestUnreadableFile: a file that cannot be read is exit 3 for every verb that
// reads it (a directory in its place fails even for root).
func TestUnreadableFile(t *testing.T) {
	p := newProject(t, map[string]string{".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml/x": ""})
	for _, argv := range [][]string{{"lint"}, {"list"}, {"enable", "a"}, {"fmt"}, {"create", "b_enabled"}, {"show", "a"}} {
		code, _, stderr := p.run(argv...)
		if code != ExitFile || !strings.Contains(stderr, "staging.yaml") {
			t.Errorf("%v: exit %d, want 3; %s", argv, code, stderr)
		}
	}
}
