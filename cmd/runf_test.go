package cmd

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestArgvToOptions checks, for every verb, how argv fills its options (through
// runF, so nothing runs) and the usage errors cobra or the verb report.
func TestArgvToOptions(t *testing.T) {
	type build func(f *Factory, got *any) *cobra.Command
	capture := func(got *any) func(o any) error { return func(o any) error { *got = o; return nil } }
	tests := []struct {
		name    string
		build   build
		argv    []string
		want    any
		wantErr string
	}{
		{"init", func(f *Factory, g *any) *cobra.Command {
			return NewCmdInit(f, func(o *InitOptions) error { return capture(g)(o) })
		}, []string{"--envs", "dev,prod"}, &InitOptions{Envs: []string{"dev", "prod"}}, ""},
		{"init default", func(f *Factory, g *any) *cobra.Command {
			return NewCmdInit(f, func(o *InitOptions) error { return capture(g)(o) })
		}, nil, &InitOptions{Envs: []string{"development", "staging", "production"}}, ""},
		{"init args", func(f *Factory, g *any) *cobra.Command {
			return NewCmdInit(f, func(o *InitOptions) error { return capture(g)(o) })
		}, []string{"x"}, nil, `unexpected argument "x"`},
		{"remove", func(f *Factory, g *any) *cobra.Command {
			return NewCmdRemove(f, func(o *RemoveOptions) error { return capture(g)(o) })
		}, []string{"old_enabled"}, &RemoveOptions{Name: "old_enabled"}, ""},
		{"show", func(f *Factory, g *any) *cobra.Command {
			return NewCmdShow(f, func(o *ShowOptions) error { return capture(g)(o) })
		}, []string{"x", "-o", "yaml"}, &ShowOptions{Name: "x", Output: "yaml"}, ""},
		{"show no name", func(f *Factory, g *any) *cobra.Command {
			return NewCmdShow(f, func(o *ShowOptions) error { return capture(g)(o) })
		}, nil, nil, "expected the flag NAME, got 0 arguments"},
		{"list", func(f *Factory, g *any) *cobra.Command {
			return NewCmdList(f, func(o *ListOptions) error { return capture(g)(o) })
		}, []string{"-A", "-o", "json"}, &ListOptions{AllEnvs: true, Output: "json"}, ""},
		{"lint", func(f *Factory, g *any) *cobra.Command {
			return NewCmdLint(f, func(o *LintOptions) error { return capture(g)(o) })
		}, []string{"--format", "github", "--strict"}, &LintOptions{Format: "github", Strict: true}, ""},
		{"lint bad format", func(f *Factory, g *any) *cobra.Command {
			return NewCmdLint(f, func(o *LintOptions) error { return capture(g)(o) })
		}, []string{"--format", "sarif"}, nil, `invalid --format "sarif": use text, json, github`},
		{"fmt", func(f *Factory, g *any) *cobra.Command {
			return NewCmdFmt(f, func(o *FmtOptions) error { return capture(g)(o) })
		}, []string{"--check"}, &FmtOptions{Check: true}, ""},
		{"diff", func(f *Factory, g *any) *cobra.Command {
			return NewCmdDiff(f, func(o *DiffOptions) error { return capture(g)(o) })
		}, []string{"main", "--staged", "-o", "markdown", "--exit-code"}, &DiffOptions{Revs: []string{"main"}, Staged: true, Output: "markdown", ExitCode: true}, ""},
		{"diff envs", func(f *Factory, g *any) *cobra.Command {
			return NewCmdDiff(f, func(o *DiffOptions) error { return capture(g)(o) })
		}, []string{"--envs", "staging"}, nil, "--envs takes two environments (and at most one revision, without --staged)"},
		{"diff three revs", func(f *Factory, g *any) *cobra.Command {
			return NewCmdDiff(f, func(o *DiffOptions) error { return capture(g)(o) })
		}, []string{"a", "b", "c"}, nil, "expected at most two revisions, got 3"},
		{"log", func(f *Factory, g *any) *cobra.Command {
			return NewCmdLog(f, func(o *LogOptions) error { return capture(g)(o) })
		}, []string{"x", "--since", "2026-01-01", "-o", "json"}, &LogOptions{Name: "x", Since: "2026-01-01", Output: "json"}, ""},
		{"promote", func(f *Factory, g *any) *cobra.Command {
			return NewCmdPromote(f, func(o *PromoteOptions) error { return capture(g)(o) })
		}, []string{"x", "--from", "staging", "--to", "production", "--dry-run"}, &PromoteOptions{Name: "x", From: "staging", To: "production", DryRun: true}, ""},
		{"promote all and name", func(f *Factory, g *any) *cobra.Command {
			return NewCmdPromote(f, func(o *PromoteOptions) error { return capture(g)(o) })
		}, []string{"x", "--all", "--from", "a", "--to", "b"}, nil, "give a flag NAME or --all, not both"},
		{"promote same env", func(f *Factory, g *any) *cobra.Command {
			return NewCmdPromote(f, func(o *PromoteOptions) error { return capture(g)(o) })
		}, []string{"--all", "--from", "a", "--to", "a"}, nil, "--from and --to are the same environment"},
		{"restore", func(f *Factory, g *any) *cobra.Command {
			return NewCmdRestore(f, func(o *RestoreOptions) error { return capture(g)(o) })
		}, []string{"x", "--to", "HEAD~2"}, &RestoreOptions{Name: "x", To: "HEAD~2"}, ""},
		{"restore no rev", func(f *Factory, g *any) *cobra.Command {
			return NewCmdRestore(f, func(o *RestoreOptions) error { return capture(g)(o) })
		}, []string{"x"}, nil, "--to REV is required"},
		{"generate", func(f *Factory, g *any) *cobra.Command {
			return NewCmdGenerateGo(f, func(o *GenerateOptions) error { return capture(g)(o) })
		}, []string{"--package", "ff", "--out", "x.go", "--check"}, &GenerateOptions{Package: "ff", Out: "x.go", Check: true}, ""},
		{"generate bad package", func(f *Factory, g *any) *cobra.Command {
			return NewCmdGenerateGo(f, func(o *GenerateOptions) error { return capture(g)(o) })
		}, []string{"--package", "my-flags", "--out", "x.go"}, nil, `--package "my-flags" is not a Go package name`},
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
