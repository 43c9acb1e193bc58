package cmd

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestRecipesUseRealCommands checks that every flagctl command line in the CI
// recipes names an existing verb with options it accepts.
func TestRecipesUseRealCommands(t *testing.T) {
	line := regexp.MustCompile("(?m)^\\s*(?:run:|entry:)?\\s*flagctl ([a-z][^\\n|>&`]*)")
	n := 0
	for _, file := range []string{"../action.yml", "../.pre-commit-hooks.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range line.FindAllStringSubmatch(string(data), -1) {
			args := strings.Fields(strings.NewReplacer(`"origin/$BASE"`, "origin/main", "--edit-last", "").Replace(m[1]))
			io, _, _ := TestStreams()
			root := NewCmdRoot(NewFactory(io))
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s: %q is not a verb (%v)", file, m[0], err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s: %q: %v", file, m[0], err)
			}
			n++
		}
	}
	if n < 5 {
		t.Errorf("only %d commands found in the recipes", n)
	}
}
