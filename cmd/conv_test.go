package cmd

import (
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
