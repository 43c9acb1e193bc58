package cmd

import (
	"strings"
	"testing"
)

// TestBareNumberPercentageHint: the hint for a bare whole number names the
// fraction that means the same percentage ("100" is 1.0, not 0.100 = 10%).
func TestBareNumberPercentageHint(t *testing.T) {
	tests := []struct{ in, want, not string }{
		{"100", "write 100% or 1.0 ", "0.100"},
		{"50", "write 50% or 0.50 ", ""},
		{"5", "write 5% or 0.05 ", ""},
	}
	for _, tt := range tests {
		p := stdProject(t)
		code, _, stderr := p.run("enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", tt.in)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) || tt.not != "" && strings.Contains(stderr, tt.not) {
			t.Errorf("%s: exit %d, stderr %q; want it to contain %q", tt.in, code, stderr, tt.want)
		}
	}
}
