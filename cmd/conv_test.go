package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestUsageErrorOneLine: a usage error prints the error and where to find the
// usage on one line, never the whole usage text (#16).
func TestUsageErrorOneLine(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"enable"}, "Error: expected the flag NAME, got 0 arguments (see 'flagctl enable --help')\n"},
		{[]string{"enable", "x", "--bogus"}, "Error: unknown flag: --bogus (see 'flagctl enable --help')\n"},
		{[]string{"bogus"}, "Error: unknown command \"bogus\" for \"flagctl\" (see 'flagctl --help')\n"},
		{[]string{"list", "-o", "xml"}, "Error: invalid --output \"xml\": use text, json, yaml (see 'flagctl list --help')\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != ExitUsage || stdout != "" || stderr != tt.want {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2, \"\", %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// TestMultiEnvEdits runs set, rename and the gate verbs on one, several and
// every environment, with and without --dry-run, and compares output and both
// files with golden files (#16).
func TestMultiEnvEdits(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		code int
		same bool // no file may change
	}{
		{"set_all", []string{"set", "new_checkout_enabled", "--owner", "team-checkout", "--expires", "2027-03-01", "--description", "Checkout v3"}, 0, false},
		{"set_one", []string{"set", "new_checkout_enabled", "--kind", "ops", "--env", "production"}, 0, false},
		{"set_unset", []string{"set", "new_checkout_enabled", "--unset", "kind,created", "--owner", "me"}, 0, false},
		{"set_dry_run", []string{"set", "new_checkout_enabled", "--owner", "me", "--dry-run"}, 0, true},
		{"set_shorthand_flag", []string{"set", "dark_mode_enabled", "--owner", "team-ui"}, 0, false},
		{"set_unknown", []string{"set", "nope_enabled", "--owner", "me"}, 2, true},
		{"set_expires_before_created", []string{"set", "new_checkout_enabled", "--created", "2027-05-01", "--expires", "2027-04-01"}, 2, true},
		{"set_set_and_unset", []string{"set", "new_checkout_enabled", "--owner", "me", "--unset", "owner"}, 2, true},
		{"set_nothing", []string{"set", "new_checkout_enabled"}, 2, true},
		{"set_past_expires", []string{"set", "new_checkout_enabled", "--expires", "2020-01-01"}, 2, true},
		{"rename", []string{"rename", "new_checkout_enabled", "checkout_v3_enabled"}, 0, false},
		{"rename_dry_run", []string{"rename", "dark_mode_enabled", "theme_enabled", "--dry-run"}, 0, true},
		{"rename_taken", []string{"rename", "dark_mode_enabled", "new_checkout_enabled"}, 2, true},
		{"rename_unknown", []string{"rename", "nope_enabled", "x_enabled"}, 2, true},
		{"enable_two_envs", []string{"enable", "dark_mode_enabled", "--env", "staging,production"}, 0, false},
		{"enable_repeated_env", []string{"enable", "new_checkout_enabled", "-e", "staging", "-e", "production", "--actor", "user:1"}, 0, false},
		{"enable_dry_run", []string{"enable", "new_checkout_enabled", "-e", "staging,production", "--percentage-of-time", "10%", "--dry-run"}, 0, true},
		{"disable_dry_run", []string{"disable", "dark_mode_enabled", "-e", "staging", "--dry-run"}, 0, true},
		{"clear_two_envs", []string{"clear", "new_checkout_enabled", "-e", "staging,production", "--boolean"}, 0, false},
		{"clear_dry_run", []string{"clear", "new_checkout_enabled", "-e", "staging", "--dry-run"}, 0, true},
		{"remove_dry_run", []string{"remove", "dark_mode_enabled", "--dry-run"}, 0, true},
		{"remove_two_envs", []string{"remove", "dark_mode_enabled", "-e", "staging,production"}, 0, false},
		{"create_dry_run", []string{"create", "search_enabled", "--owner", "me", "--dry-run"}, 0, true},
		{"two_envs_one_env_verb", []string{"eval", "dark_mode_enabled", "-e", "staging,production"}, 2, true},
		{"env_empty_item", []string{"enable", "dark_mode_enabled", "-e", "staging", "-e", " "}, 2, true},
		{"two_envs_file", []string{"enable", "dark_mode_enabled", "-e", "staging,production", "--file", "flags/staging.yaml"}, 2, true},
		{"two_envs_unknown", []string{"enable", "dark_mode_enabled", "-e", "staging,prod"}, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %s stderr: %s", code, tt.code, stdout, stderr)
			}
			staging, production := p.read("flags/staging.yaml"), p.read("flags/production.yaml")
			if tt.same && (staging != stagingFile || production != productionFile) {
				t.Fatal("a file changed")
			}
			got := "$ flagctl " + strings.Join(tt.argv, " ") + "\n" + stdout + stderr
			if !tt.same {
				got += "--- flags/staging.yaml\n" + staging + "--- flags/production.yaml\n" + production
			}
			golden(t, "conv_"+tt.name+".golden", got)
		})
	}
}

// TestVersionString: a binary built without -ldflags reports what the Go
// toolchain recorded, never a bare "dev" when it knows more (#16).
func TestVersionString(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name string
		set  string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"ldflags win", "v1.4.0", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}}, true, "v1.4.0"},
		{"go install module", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true, "v1.2.0"},
		{"checkout build", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}}, true, "dev (0123456789ab)"},
		{"dirty checkout", "dev", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}}, true, "dev (0123456789ab, dirty)"},
		{"pseudo-version with vcs", "dev", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201-0123456789ab"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}}}, true, "v0.0.0-20261201-0123456789ab (0123456789ab)"},
		{"no build info", "dev", nil, false, "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionString(tt.set, tt.info, tt.ok); got != tt.want {
				t.Errorf("versionString = %q, want %q", got, tt.want)
			}
		})
	}
	p := stdProject(t)
	code, stdout, _ := p.run("version")
	info, ok := debug.ReadBuildInfo()
	if want := "flagctl " + versionString(Version, info, ok) + "\n"; code != 0 || stdout != want {
		t.Errorf("version: exit %d, %q; want %q", code, stdout, want)
	}
}

// TestGenerateOutStreams: no --out and --out - write to standard output (no file
// named "-"); a path that is not a regular file is written as a stream and
// never read back (the command once hung reading /dev/stdout); --check needs a
// regular file (#16).
func TestGenerateOutStreams(t *testing.T) {
	tests := []struct {
		name       string
		argv       []string
		code       int
		wantStdout string // prefix
		wantErr    string
	}{
		{"no out", []string{"generate", "go"}, 0, GeneratedHeader, ""},
		{"dash", []string{"generate", "go", "--out", "-"}, 0, GeneratedHeader, ""},
		{"dev null", []string{"generate", "go", "--out", "/dev/null"}, 0, "", ""},
		{"check dash", []string{"generate", "go", "--out", "-", "--check"}, 2, "", "--check compares with a file: give --out FILE"},
		{"check no out", []string{"generate", "go", "--check"}, 2, "", "--check compares with a file: give --out FILE"},
		{"check dev null", []string{"generate", "go", "--out", "/dev/null", "--check"}, 2, "", "--check --out /dev/null: not a regular file, nothing to compare with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != tt.code || !strings.HasPrefix(stdout, tt.wantStdout) || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("exit %d, stdout %.80q, stderr %q; want %d, %q…, %q", code, stdout, stderr, tt.code, tt.wantStdout, tt.wantErr)
			}
			if _, err := os.Lstat(filepath.Join(p.dir, "-")); err == nil {
				t.Error(`wrote a file named "-"`)
			}
		})
	}
}

// TestGenerateOutRelative: the success and out-of-date lines name the output
// relative to the working directory, however --out was given (#16).
func TestGenerateOutRelative(t *testing.T) {
	p := stdProject(t)
	out := filepath.Join(p.dir, "internal", "flags", "flags.go")
	if code, stdout, stderr := p.run("generate", "go", "--out", out); code != 0 || !strings.Contains(stdout, "wrote internal/flags/flags.go (") {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	if code, _, _ := p.run("enable", "new_checkout_enabled", "-e", "staging"); code != 0 {
		t.Fatal("enable failed")
	}
	if code, stdout, _ := p.run("set", "new_checkout_enabled", "--owner", "x"); code != 0 {
		t.Fatal("set failed", stdout)
	}
	if code, stdout, _ := p.run("generate", "go", "--out", out, "--check"); code != ExitFindings || !strings.HasPrefix(stdout, "internal/flags/flags.go is out of date") {
		t.Errorf("check: exit %d, %q", code, stdout)
	}
}

// TestPathsRelative: verbs print paths relative to the working directory,
// also when the config was found in a parent directory (#16).
func TestPathsRelative(t *testing.T) {
	tests := []struct {
		name, sub string
		argv      []string
		want      string
	}{
		{"fmt check at root", "", []string{"fmt", "--check"}, "flags/staging.yaml: not formatted"},
		{"fmt check in subdir", "src/app", []string{"fmt", "--check"}, "../../flags/staging.yaml: not formatted"},
		{"fmt in subdir", "src", []string{"fmt"}, "formatted ../flags/staging.yaml"},
		{"parse error in subdir", "src", []string{"list"}, "Error: ../flags/staging.yaml:4:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			staging := "version: 1\nenvironment: staging\nflags:\n    a_enabled:   true\n"
			if strings.HasPrefix(tt.name, "parse error") {
				staging = "version: 1\nenvironment: staging\nflags:\n  a_enabled: [\n"
			}
			p := newProject(t, map[string]string{
				".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml": staging, "src/app/x.go": "package app\n",
			})
			io, out, errOut := TestStreams()
			f := NewFactory(io)
			f.WorkDir = filepath.Join(p.dir, tt.sub)
			Run(f, tt.argv)
			if got := out.String() + errOut.String(); !strings.Contains(got, tt.want) || strings.Contains(got, p.dir) {
				t.Errorf("output %q: want %q and no absolute path", got, tt.want)
			}
		})
	}
}

// TestEvalAll: what one actor sees, every flag in every environment side by
// side, or in the environments --env names; text and JSON (#16).
func TestEvalAll(t *testing.T) {
	tests := []struct {
		name string
		argv []string
	}{
		{"text", []string{"eval", "--all", "--actor", "user:42"}},
		{"groups", []string{"eval", "--all", "--actor", "user:9", "--group", "banned"}},
		{"one env", []string{"eval", "--all", "--actor", "user:42", "--env", "production"}},
		{"json", []string{"eval", "--all", "--actor", "user:7", "--group", "beta_testers", "-o", "json"}},
		{"yaml", []string{"eval", "--all", "--actor", "user:42", "--env", "staging", "-o", "yaml"}},
		{"no actor", []string{"eval", "--all"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    stagingFile + "  staging_only_enabled: true\n",
				"flags/production.yaml": productionFile,
			})
			code, stdout, stderr := p.run(tt.argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden(t, "eval_all_"+strings.ReplaceAll(tt.name, " ", "_")+".golden", "$ flagctl "+strings.Join(tt.argv, " ")+"\n"+stdout)
		})
	}
}

// TestMultiEnvAllOrNone: an edit of several files that cannot apply to one of
// them changes none of them (#16).
func TestMultiEnvAllOrNone(t *testing.T) {
	staging := stagingFile + "  staging_only_enabled: false\n"
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"enable", []string{"enable", "staging_only_enabled", "-e", "staging,production"}, `flags/production.yaml: unknown flag "staging_only_enabled"`},
		{"set explicit envs", []string{"set", "staging_only_enabled", "--owner", "me", "-e", "staging", "-e", "production"}, `production: unknown flag "staging_only_enabled"`},
		{"rename explicit envs", []string{"rename", "staging_only_enabled", "x_enabled", "-e", "staging,production"}, `production: unknown flag "staging_only_enabled"`},
		{"set bad date for one file", []string{"set", "new_checkout_enabled", "--created", "2027-06-01", "--expires", "2027-05-01"}, "expires 2027-05-01 is before created 2027-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    staging,
				"flags/production.yaml": productionFile,
			})
			code, _, stderr := p.run(tt.argv...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
			if p.read("flags/staging.yaml") != staging || p.read("flags/production.yaml") != productionFile {
				t.Error("a file changed")
			}
		})
	}
}

// TestRuleTestPaths: from a subdirectory, text output names the test file
// relative to the working directory, GitHub annotations relative to the
// repository root (#16).
func TestRuleTestPaths(t *testing.T) {
	p := ruleProject(t)
	if err := os.MkdirAll(filepath.Join(p.dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(p.dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		argv []string
		want string
	}{
		{[]string{"test"}, "\n../flags/tests/checkout.yaml:15: production dark_mode_enabled"},
		{[]string{"test", "--format", "github"}, "::error file=flags/tests/checkout.yaml,line=15,"},
		{[]string{"test", "-o", "json"}, `"file": "../flags/tests/checkout.yaml"`},
	} {
		io, out, _ := TestStreams()
		f := NewFactory(io)
		f.WorkDir = filepath.Join(p.dir, "src")
		Run(f, tt.argv)
		if got := out.String(); !strings.Contains(got, tt.want) {
			t.Errorf("%v: output\n%s\nwant %q", tt.argv, got, tt.want)
		}
	}
}

// TestBoolText: a test's want/got are JSON and YAML booleans, "random" a
// string (#16).
func TestBoolText(t *testing.T) {
	for _, tt := range []struct {
		in             boolText
		json, yamlText string
	}{
		{"true", "true", "true\n"},
		{"false", "false", "false\n"},
		{"random", `"random"`, "random\n"},
	} {
		j, err := json.Marshal(tt.in)
		if err != nil || string(j) != tt.json {
			t.Errorf("json %q = %s, %v; want %s", tt.in, j, err, tt.json)
		}
		var b strings.Builder
		if err := writeYAML(&b, tt.in); err != nil || b.String() != tt.yamlText {
			t.Errorf("yaml %q = %q, %v; want %q", tt.in, b.String(), err, tt.yamlText)
		}
	}
}

// TestRenameRuleTests: rename lists the rule test cases and the code that still
// name the old flag (its Go identifier too; not vendored or generated files,
// not a longer name), and leaves them alone (#16).
func TestRenameRuleTests(t *testing.T) {
	p := ruleProject(t)
	for name, src := range map[string]string{
		"src/app/theme.go":        "package app\n\nfunc dark() bool {\n\treturn ff.Enabled(\"dark_mode_enabled\")\n}\n\nvar _ = flags.DarkModeEnabled\n",
		"src/app/other.go":        "package app\n\nvar x = \"dark_mode_enabled_v2\"\n",
		"vendor/lib/x.go":         "var _ = \"dark_mode_enabled\"\n",
		"internal/flags/flags.go": GeneratedHeader + "\nconst DarkModeEnabled = \"dark_mode_enabled\"\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(p.dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p.dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := p.read("flags/tests/checkout.yaml")
	code, stdout, stderr := p.run("rename", "dark_mode_enabled", "theme_enabled")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "flags/tests/checkout.yaml:16: rule test \"dark mode everywhere\" still names dark_mode_enabled; change its flag to theme_enabled\n"
	want += "Code still refers to dark_mode_enabled (2 places; change them):\n  src/app/theme.go:4\n  src/app/theme.go:7\n"
	if !strings.HasSuffix(stdout, want) {
		t.Errorf("output\n%s\nwant it to end with\n%s", stdout, want)
	}
	if p.read("flags/tests/checkout.yaml") != before {
		t.Error("the test file changed")
	}
}

// TestRenameRefsInGitRepo: inside a repository, rename scans what git lists —
// tracked and untracked files, not ignored ones (#16).
func TestRenameRefsInGitRepo(t *testing.T) {
	g := &gitProject{project: stdProject(t)}
	g.git(nil, "init", "-q")
	for name, src := range map[string]string{
		".gitignore":       "build/\n",
		"app.go":           "package app\n\nvar on = ff.Enabled(\"dark_mode_enabled\")\n",
		"build/out.go":     "var on = \"dark_mode_enabled\"\n",
		"web/untracked.ts": "const on = flags.enabled('dark_mode_enabled');\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(g.dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(g.dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g.git(nil, "add", ".gitignore", "app.go")
	code, stdout, stderr := g.run("rename", "dark_mode_enabled", "theme_enabled", "--dry-run")
	want := "Code still refers to dark_mode_enabled (2 places; change them):\n  app.go:3\n  web/untracked.ts:1\n"
	if code != 0 || !strings.HasSuffix(stdout, want) {
		t.Errorf("exit %d\n%s%s\nwant it to end with\n%s", code, stdout, stderr, want)
	}
}
