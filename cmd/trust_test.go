package cmd

import (
	"strings"
	"testing"
)

// TestBlankOptionValues: an empty or blank value for any string option is a usage
// error that changes nothing; it never falls back to the no-option action.
func TestBlankOptionValues(t *testing.T) {
	tests := [][]string{
		{"disable", "new_checkout_enabled", "-e", "staging", "--actor", ""},
		{"disable", "new_checkout_enabled", "-e", "staging", "--group", " "},
		{"enable", "new_checkout_enabled", "-e", "staging", "--actor", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--actor", "user:1,"},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-time", "  "},
		{"clear", "new_checkout_enabled", "-e", "staging", "--group", ""},
		{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "\t"},
		{"enable", "new_checkout_enabled", "--env", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--config", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--dir", " "},
		{"list", "--file", ""},
		{"create", "x_enabled", "--owner", ""},
		{"create", "x_enabled", "--description", " "},
		{"create", "x_enabled", "--enable-in", ""},
		{"promote", "new_checkout_enabled", "--from", "staging", "--to", ""},
		{"list", "-o", ""},
		{"init", "--envs", ""},
	}
	for _, argv := range tests {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(argv...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, "empty") {
				t.Errorf("stderr does not say the value is empty: %s", stderr)
			}
			if p.read("flags/staging.yaml") != stagingFile || p.read("flags/production.yaml") != productionFile {
				t.Error("a refused command changed a file")
			}
		})
	}
}

// TestIDListsSplitOnNewlines: --actor "$(cat ids.txt)" enables every line's ID;
// invalid UTF-8 and control characters are refused before anything is locked.
func TestIDLists(t *testing.T) {
	tests := []struct {
		argv []string
		code int
		want []string // lines the staging file must contain afterwards
		msg  string
	}{
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:7\nuser:8"}, 0, []string{`"user:7": true`, `"user:8": true`}, ""},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:7\r\nuser:8\n"}, 0, []string{`"user:7": true`, `"user:8": true`}, ""},
		{[]string{"disable", "dark_mode_enabled", "-e", "staging", "--group", "a\nb,c"}, 0, []string{"a: false", "b: false", "c: false"}, ""},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "\xff"}, 2, nil, "UTF-8"},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--group", "user\x1b[31m"}, 2, nil, "control character"},
		{[]string{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "user:\xc3"}, 2, nil, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			got := p.read("flags/staging.yaml")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("staging.yaml lacks %q:\n%s", w, got)
				}
			}
			if tt.code != 0 && (got != stagingFile || !strings.Contains(stderr, tt.msg)) {
				t.Errorf("file changed or stderr lacks %q: %s", tt.msg, stderr)
			}
		})
	}
}
