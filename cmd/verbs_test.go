package cmd

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/ruletest"
)

// runOpts parses argv with a captured runF and returns the error.
func runOpts(t *testing.T, build func(*Factory) *cobra.Command, argv ...string) error {
	t.Helper()
	io, _, _ := TestStreams()
	f := NewFactory(io)
	cmd := build(f)
	cmd.SetArgs(argv)
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &FlagError{Err: err} })
	_, err := cmd.ExecuteC()
	return err
}

// TestEditVerbs runs each editing verb on a real project and compares the
// resulting file and output with golden files.
func TestEditVerbs(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		code int
	}{
		{"enable_boolean", []string{"enable", "new_checkout_enabled", "-e", "staging"}, 0},
		{"enable_gates", []string{"enable", "new_checkout_enabled", "-e", "staging", "--actor", "user:7,user:9", "--group", "staff", "--percentage-of-time", "0.125"}, 0},
		{"enable_shorthand_actor", []string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:1"}, 0},
		{"disable_boolean", []string{"disable", "dark_mode_enabled", "-e", "staging"}, 0},
		{"disable_group", []string{"disable", "new_checkout_enabled", "-e", "staging", "--group", "beta_testers"}, 0},
		{"clear_actor", []string{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "user:7"}, 0},
		{"clear_percentage", []string{"clear", "new_checkout_enabled", "-e", "staging", "--percentage"}, 0},
		{"clear_all", []string{"clear", "new_checkout_enabled", "-e", "staging"}, 0},
		{"unknown_flag", []string{"enable", "new_chekout_enabled", "-e", "staging"}, 2},
		{"bad_percentage", []string{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", "150%"}, 2},
		{"noop", []string{"enable", "dark_mode_enabled", "-e", "staging"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			got := "$ flagctl " + strings.Join(tt.argv, " ") + "\n" + stdout + stderr + "--- flags/staging.yaml\n" + p.read("flags/staging.yaml")
			golden(t, "edit_"+tt.name+".golden", got)
			if p.read("flags/production.yaml") != productionFile {
				t.Error("production.yaml changed")
			}
			if tt.code != 0 && p.read("flags/staging.yaml") != stagingFile {
				t.Error("a failing command changed the file")
			}
		})
	}
}

func TestCreateAndRemove(t *testing.T) {
	p := stdProject(t)
	code, stdout, stderr := p.run("create", "search_v2_enabled", "--description", "Search v2: typo-tolerant", "--owner", "team-search", "--expires", "2027-03-01", "--enable-in", "staging")
	if code != 0 {
		t.Fatalf("create: %d %s", code, stderr)
	}
	got := stdout + "--- staging\n" + p.read("flags/staging.yaml") + "--- production\n" + p.read("flags/production.yaml")
	golden(t, "create.golden", got)
	code, _, stderr = p.run("create", "search_v2_enabled")
	if code != ExitUsage || !strings.Contains(stderr, `flag "search_v2_enabled" already exists`) {
		t.Errorf("create twice: %d %s", code, stderr)
	}
	code, stdout, _ = p.run("remove", "new_checkout_enabled")
	if code != 0 || strings.Contains(p.read("flags/staging.yaml"), "new_checkout") || strings.Contains(p.read("flags/production.yaml"), "new_checkout") {
		t.Errorf("remove: %d %s", code, stdout)
	}
	if !strings.Contains(p.read("flags/staging.yaml"), "# Shorthand\n  dark_mode_enabled: true\n") {
		t.Error("remove damaged the rest of the file")
	}
}

// TestCreateAllOrNothing: one unparsable environment file means no file changes.
func TestCreateAllOrNothing(t *testing.T) {
	p := stdProject(t)
	broken := "version: 1\nenvironment: production\nflags:\n  a: [\n"
	p = newProject(t, map[string]string{
		".flagctl.yaml": "environments: [staging, production]\n", "flags/staging.yaml": stagingFile, "flags/production.yaml": broken,
	})
	code, _, stderr := p.run("create", "x_enabled")
	if code != ExitFile || !strings.Contains(stderr, "production.yaml:4:6: invalid YAML") {
		t.Errorf("code %d stderr %q", code, stderr)
	}
	if p.read("flags/staging.yaml") != stagingFile || p.read("flags/production.yaml") != broken {
		t.Error("a file changed")
	}
	code, _, _ = p.run("remove", "dark_mode_enabled")
	if code != ExitFile || p.read("flags/staging.yaml") != stagingFile {
		t.Error("remove changed a file despite a broken one")
	}
}

func TestReadVerbs(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		code int
	}{
		{"list_env", []string{"list", "-e", "staging"}, 0},
		{"list_all", []string{"list"}, 0},
		{"list_json", []string{"list", "-o", "json"}, 0},
		{"list_yaml", []string{"list", "-e", "production", "-o", "yaml"}, 0},
		{"show", []string{"show", "new_checkout_enabled"}, 0},
		{"show_json", []string{"show", "dark_mode_enabled", "-o", "json"}, 0},
		{"show_unknown", []string{"show", "dark_mode"}, 2},
		{"eval_actor", []string{"eval", "new_checkout_enabled", "-e", "staging", "--actor", "user:42"}, 0},
		{"eval_explain", []string{"eval", "new_checkout_enabled", "-e", "staging", "--actor", "user:9", "--group", "banned", "--explain"}, 0},
		{"eval_pct", []string{"eval", "new_checkout_enabled", "-e", "staging", "--actor", "user:9", "--explain"}, 0},
		{"eval_json", []string{"eval", "new_checkout_enabled", "-e", "staging", "--actor", "user:9", "-o", "json"}, 0},
		{"eval_no_actor", []string{"eval", "dark_mode_enabled", "--file", "flags/staging.yaml"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			argv := tt.argv
			for i, a := range argv {
				if strings.HasPrefix(a, "flags/") {
					argv[i] = p.dir + "/" + a
				}
			}
			code, stdout, stderr := p.run(argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			golden(t, tt.name+".golden", strings.ReplaceAll(stdout+stderr, p.dir, "<dir>"))
		})
	}
}

func TestLint(t *testing.T) {
	lintStaging := stagingFile + `  Bad_Flag: true
  only_here:
    enabled: true
    actors:
      "user:1": true
    percentage_of_actors: 100%
`
	lintProduction := strings.Replace(productionFile, "owner: team-payments", "owner: team-checkout", 1) + "  broken_enabled: yes\n"
	for _, format := range []string{"text", "json", "github"} {
		t.Run(format, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "environments: [staging, production]\n",
				"flags/staging.yaml":    lintStaging,
				"flags/production.yaml": lintProduction,
			})
			code, stdout, stderr := p.run("lint", "--format", format)
			if code != ExitFindings {
				t.Errorf("exit %d, want 1; %s", code, stderr)
			}
			golden(t, "lint_"+format+".golden", strings.ReplaceAll(stdout, p.dir, "<dir>"))
		})
	}
	p := stdProject(t)
	if code, out, _ := p.run("lint"); code != 0 {
		t.Errorf("clean project: exit %d\n%s", code, out)
	}
	if code, _, _ := p.run("lint", "--strict"); code != ExitFindings {
		t.Errorf("--strict with warnings: exit %d, want 1", code)
	}
}

func TestFmt(t *testing.T) {
	messy := "version: 1\nenvironment: staging\nflags:\n    a_enabled:   {enabled: true}   # c\n    b_enabled:\n        percentage_of_actors: 0.5\n"
	p := newProject(t, map[string]string{".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml": messy})
	code, stdout, _ := p.run("fmt", "--check")
	if code != ExitFindings || !strings.Contains(stdout, "staging.yaml: not formatted") || p.read("flags/staging.yaml") != messy {
		t.Errorf("fmt --check: %d %q", code, stdout)
	}
	if code, _, stderr := p.run("fmt"); code != 0 {
		t.Fatal(stderr)
	}
	golden(t, "fmt.golden", p.read("flags/staging.yaml"))
	if code, _, _ := p.run("fmt", "--check"); code != 0 {
		t.Errorf("fmt --check after fmt: exit %d", code)
	}
}

func TestInit(t *testing.T) {
	p := newProject(t, nil)
	code, _, stderr := p.run("init", "--envs", "dev,prod")
	if code != 0 {
		t.Fatal(stderr)
	}
	golden(t, "init_config.golden", p.read(".flagctl.yaml"))
	golden(t, "init_prod.golden", p.read("flags/prod.yaml"))
	if p.read(".flagctl/flagfile.schema.json") != string(flagfile.Schema) || p.read(".flagctl/test.schema.json") != string(ruletest.Schema) {
		t.Error("init did not write the schemas")
	}
	if code, out, _ := p.run("lint"); code != 0 {
		t.Errorf("fresh project does not lint clean: %s", out)
	}
	// Running it again changes nothing and succeeds.
	if code, _, stderr := p.run("init"); code != 0 {
		t.Errorf("second init: %s", stderr)
	}
}

func TestCompletion(t *testing.T) {
	p := stdProject(t)
	code, stdout, _ := p.run("__complete", "enable", "")
	if code != 0 {
		t.Fatal(code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	want := []string{"dark_mode_enabled", "new_checkout_enabled", ":4"}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("completion = %q, want %q", lines, want)
	}
	_, stdout, _ = p.run("__complete", "list", "--env", "")
	if !strings.HasPrefix(stdout, "staging\nproduction\n:4") {
		t.Errorf("env completion = %q", stdout)
	}
	code, stdout, _ = p.run("completion", "bash")
	if code != 0 || !strings.Contains(stdout, "bash completion") {
		t.Errorf("completion bash: %d", code)
	}
}
