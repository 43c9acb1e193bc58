package cmd

import (
	"encoding/json"
	"strings"
	"testing"

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
