package ruletest

import (
	"strings"
	"testing"
	"time"
)

// TestParseAt checks the at key of a case: an RFC 3339 time with a zone.
func TestParseAt(t *testing.T) {
	tests := []struct {
		at, want, err string
	}{
		{"2026-12-24T18:00:00+01:00", "2026-12-24T17:00:00Z", ""},
		{`"2026-12-24T17:00:00Z"`, "2026-12-24T17:00:00Z", ""},
		{"2026-12-24T18:00:00", "", "t.yaml:3:48: at: time \"2026-12-24T18:00:00\" has no zone"},
		{"[x]", "", "t.yaml:3:48: at must be a time"},
	}
	for _, tt := range tests {
		src := "version: 1\ntests:\n  - {name: n, flag: a_enabled, want: true, at: " + tt.at + "}\n"
		f, err := Parse("t.yaml", []byte(src))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("at %s: error %v, want %q", tt.at, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("at %s: %v", tt.at, err)
		}
		if got := f.Cases[0].At.UTC().Format(time.RFC3339); got != tt.want {
			t.Errorf("at %s: %s, want %s", tt.at, got, tt.want)
		}
	}
}
