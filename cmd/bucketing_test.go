package cmd

import (
	"strings"
	"testing"
)

// TestEnableKeepsFlipperBucketing: enable --percentage-of-actors on a flag
// imported from Flipper changes the percentage and keeps "bucketing: flipper",
// so Flipper's cohorts grow rather than reshuffle; eval --explain shows the
// Flipper bucket.
func TestEnableKeepsFlipperBucketing(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml": "dir: flags\nenvironments: [production]\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  search:\n" +
			"    percentage_of_actors: 10%\n    bucketing: flipper  # from Flipper\n",
	})
	code, _, stderr := p.run("enable", "search", "--percentage-of-actors", "12.345%")
	if code != 0 {
		t.Fatalf("enable: exit %d: %s", code, stderr)
	}
	want := "    percentage_of_actors: 12.345%\n    bucketing: flipper  # from Flipper\n"
	if got := p.read("flags/production.yaml"); !strings.Contains(got, want) {
		t.Fatalf("file:\n%s\nwant it to contain:\n%s", got, want)
	}
	// User;81655 is in Flipper's bucket 12344 for "search" (see pkg/eval's
	// flipperCases): open at 12.345%, and its SHA-256 score would say otherwise.
	code, stdout, stderr := p.run("eval", "search", "--actor", "User;81655", "--explain")
	if code != 0 || !strings.HasPrefix(stdout, "true") || !strings.Contains(stdout, "score 0.12344") {
		t.Errorf("eval: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = p.run("show", "search")
	if code != 0 || !strings.Contains(stdout, "bucketing ") || !strings.Contains(stdout, "12.345% of actors (flipper bucketing)") {
		t.Errorf("show: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = p.run("list", "-o", "json")
	if code != 0 || !strings.Contains(stdout, `"bucketing": "flipper"`) {
		t.Errorf("list -o json: exit %d\n%s", code, stdout)
	}
}
