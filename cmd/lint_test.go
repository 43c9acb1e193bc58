package cmd

import (
	"strings"
	"testing"
)

// TestLintBrokenFiles: a missing or unparsable file is exit 3 (like every other
// verb), after the findings are printed.
func TestLintBrokenFiles(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing", map[string]string{".flagctl.yaml": "environments: [staging, production]\n", "flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n"}, "no flag file for environment \"production\""},
		{"unparsable", map[string]string{".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled: [true\n"}, "staging.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, tt.files)
			code, stdout, stderr := p.run("lint")
			if code != ExitFile || !strings.Contains(stdout, tt.want) {
				t.Errorf("exit %d, want 3\n%s%s", code, stdout, stderr)
			}
		})
	}
	// Findings in a file that parses stay exit 1.
	p := newProject(t, map[string]string{".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    descripton: x\n"})
	if code, stdout, _ := p.run("lint"); code != ExitFindings {
		t.Errorf("a per-flag error: exit %d, want 1\n%s", code, stdout)
	}
}
