package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestReadVerbsOutput: lint, stale, diff and log take -o text|json|yaml like
// every read verb, --format (where a verb has it) is the same option, and the
// YAML is the JSON document in YAML.
func TestReadVerbsOutput(t *testing.T) {
	lintP := stdProject(t)
	staleP := newStaleProject(t)
	gitP := newGitProject(t)
	tests := []struct {
		name   string
		p      *project
		args   []string
		same   []string // an equivalent command line: identical output
		code   int
		golden string
	}{
		{"lint json", lintP, []string{"lint", "-o", "json"}, []string{"lint", "--format", "json"}, 0, ""},
		{"lint yaml", lintP, []string{"lint", "-o", "yaml"}, []string{"lint", "--format", "yaml"}, 0, ""},
		{"lint github", lintP, []string{"lint", "-o", "github"}, []string{"lint", "--format", "github", "-o", "github"}, 0, ""},
		{"stale json", staleP.project, []string{"stale", "--today", "2026-12-31", "-o", "json"}, []string{"stale", "--today", "2026-12-31", "--format", "json"}, ExitFindings, ""},
		{"stale yaml", staleP.project, []string{"stale", "--today", "2026-12-31", "-o", "yaml"}, []string{"stale", "--today", "2026-12-31", "--output", "yaml"}, ExitFindings, "stale_yaml.golden"},
		{"stale markdown", staleP.project, []string{"stale", "--today", "2026-12-31", "-o", "markdown"}, []string{"stale", "--today", "2026-12-31", "--format", "markdown"}, ExitFindings, ""},
		{"diff yaml", gitP.project, []string{"diff", "HEAD~4", "HEAD", "-o", "yaml"}, nil, 0, "git_diff_yaml.golden"},
		{"diff json", gitP.project, []string{"diff", "HEAD~4", "HEAD", "-o", "json"}, nil, 0, ""},
		{"log yaml", gitP.project, []string{"log", "checkout_enabled", "-o", "yaml"}, nil, 0, "git_log_yaml.golden"},
		{"log json", gitP.project, []string{"log", "checkout_enabled", "-o", "json"}, nil, 0, ""},
	}
	outputs := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := tt.p.run(tt.args...)
			if code != tt.code {
				t.Fatalf("%v: exit %d, want %d\n%s%s", tt.args, code, tt.code, stdout, stderr)
			}
			if stdout == "" {
				t.Fatalf("%v: no output", tt.args)
			}
			outputs[tt.name] = stdout
			if tt.same != nil {
				code2, stdout2, stderr2 := tt.p.run(tt.same...)
				if code2 != code || stdout2 != stdout {
					t.Errorf("%v: exit %d\n%s%s\nwant the output of %v: exit %d\n%s", tt.same, code2, stdout2, stderr2, tt.args, code, stdout)
				}
			}
			if tt.golden != "" {
				golden(t, tt.golden, stdout)
			}
		})
	}
	// The YAML holds the same document as the JSON.
	for _, verb := range []string{"lint", "stale", "diff", "log"} {
		var fromJSON, fromYAML any
		if err := json.Unmarshal([]byte(outputs[verb+" json"]), &fromJSON); err != nil {
			t.Errorf("%s -o json: %v", verb, err)
		}
		if err := yaml.Unmarshal([]byte(outputs[verb+" yaml"]), &fromYAML); err != nil {
			t.Errorf("%s -o yaml: %v", verb, err)
		}
		j, _ := json.Marshal(fromJSON)
		y, _ := json.Marshal(fromYAML)
		if string(j) != string(y) || len(j) < 10 {
			t.Errorf("%s: -o yaml is not the -o json document:\njson %s\nyaml %s", verb, j, y)
		}
	}
}

// TestReadVerbsOutputUsage: a format a verb does not have, and -o and --format
// with different values, are usage errors naming the formats.
func TestReadVerbsOutputUsage(t *testing.T) {
	p := stdProject(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"lint", "-o", "markdown"}, `invalid --output "markdown": use text, json, yaml, github`},
		{[]string{"lint", "-o", "json", "--format", "github"}, "--output json and --format github: they are the same option; give one"},
		{[]string{"stale", "--format", "xml"}, `invalid --format "xml": use text, json, yaml, github, markdown`},
		{[]string{"stale", "-o", "yaml", "--format", "json"}, "--output yaml and --format json: they are the same option; give one"},
		{[]string{"diff", "-o", "github"}, `invalid --output "github": use text, json, yaml, markdown`},
		{[]string{"log", "-o", "markdown"}, `invalid --output "markdown": use text, json, yaml`},
	}
	for _, tt := range tests {
		code, stdout, stderr := p.run(tt.args...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// runIn runs one command line with the working directory sub (inside p).
func runIn(p *project, sub string, args ...string) (code int, stdout, stderr string) {
	io, out, errOut := TestStreams()
	f := NewFactory(io)
	f.WorkDir = filepath.Join(p.dir, sub)
	f.Now = func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
	code = Run(f, args)
	return code, out.String(), errOut.String()
}

// TestLintStalePaths: lint and stale name files relative to the working
// directory, with the config found automatically from a subdirectory; GitHub
// annotations relative to the repository root, wherever the project sits in
// it (#16).
func TestLintStalePaths(t *testing.T) {
	lintP := newProject(t, map[string]string{
		".git/HEAD":                 "ref: refs/heads/main\n", // the repository root, for annotations
		"svc/.flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
		"svc/flags/staging.yaml":    stagingFile,
		"svc/flags/production.yaml": productionFile,
		"svc/src/app/x.go":          "package app\n",
	})
	staleP := newStaleProject(t)
	tests := []struct {
		name string
		p    *project
		sub  string
		argv []string
		want string
	}{
		{"lint text at project root", lintP, "svc", []string{"lint"}, "\nflags/staging.yaml:6:3: warning: "},
		{"lint text in subdir", lintP, "svc/src/app", []string{"lint"}, "\n../../flags/staging.yaml:6:3: warning: "},
		{"lint json in subdir", lintP, "svc/src", []string{"lint", "-o", "json"}, `"file": "../flags/staging.yaml"`},
		{"lint yaml in subdir", lintP, "svc/src", []string{"lint", "-o", "yaml"}, "file: ../flags/staging.yaml\n"},
		{"lint github in subdir", lintP, "svc/src", []string{"lint", "--format", "github"}, "::warning file=svc/flags/staging.yaml,line=6,col=3,"},
		{"lint github at project root", lintP, "svc", []string{"lint", "--format", "github"}, "::warning file=svc/flags/staging.yaml,line=6,col=3,"},
		{"stale text in subdir", staleP.project, "src", []string{"stale", "--today", "2026-12-31"}, "\n../flags/staging.yaml:4: error: expired_enabled: "},
		{"stale code ref in subdir", staleP.project, "web", []string{"stale", "--today", "2026-12-31"}, "\napp.js:1: "},
		{"stale json in subdir", staleP.project, "src", []string{"stale", "--today", "2026-12-31", "-o", "json"}, `"file": "../flags/staging.yaml"`},
		{"stale markdown in subdir", staleP.project, "src", []string{"stale", "--today", "2026-12-31", "-o", "markdown"}, "| `expired_enabled` | ../flags/staging.yaml:4 |"},
		{"stale github in subdir", staleP.project, "src", []string{"stale", "--today", "2026-12-31", "-o", "github"}, "::error file=flags/staging.yaml,line=4,title=flagctl stale expired::"},
		{"stale refs in subdir", staleP.project, "web", []string{"stale", "--refs", "flapping_enabled"}, "../src/app.go:8\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stdout, stderr := runIn(tt.p, tt.sub, tt.argv...)
			if !strings.Contains("\n"+stdout, tt.want) || strings.Contains(stdout+stderr, tt.p.dir) {
				t.Errorf("%v in %s: output\n%s%s\nwant %q and no absolute path", tt.argv, tt.sub, stdout, stderr, tt.want)
			}
		})
	}
}

// TestLogTimes: log's text shows each commit's date, time and zone (its own
// zone, as git records it), not the date alone: incidents happen within a day
// (#16).
func TestLogTimes(t *testing.T) {
	g := emptyGitProject(t, map[string]string{"flags/.keep": ""})
	tests := []struct {
		date, msg, body, want string
	}{
		{"2026-12-04T09:05:00+01:00", "Add flag", "  a_enabled: false\n", "  2026-12-04 09:05 +01:00  Alice <alice@example.com>  Add flag\n"},
		{"2026-12-04T17:23:59-05:30", "Turn it on", "  a_enabled: true\n", "  2026-12-04 17:23 -05:30  Alice <alice@example.com>  Turn it on\n"},
		{"2026-12-05T00:10:00Z", "Off again", "  a_enabled: false\n", "  2026-12-05 00:10 +00:00  Alice <alice@example.com>  Off again\n"},
	}
	for _, tt := range tests {
		files := twoEnvs(tt.body)
		files[".flagctl.yaml"] = "environments: [staging, production]\n"
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(g.dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		env := []string{"GIT_AUTHOR_NAME=Alice", "GIT_AUTHOR_EMAIL=alice@example.com", "GIT_AUTHOR_DATE=" + tt.date, "GIT_COMMITTER_DATE=" + tt.date}
		g.git(env, "add", "-A")
		g.git(env, "commit", "-q", "-m", tt.msg)
	}
	code, stdout, stderr := g.run("log")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, tt := range tests {
		if !strings.Contains(stdout, tt.want) {
			t.Errorf("log:\n%s\nwant a line with %q", stdout, tt.want)
		}
	}
}
