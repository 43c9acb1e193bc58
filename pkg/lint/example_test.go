package lint_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/flagctl/flagctl/pkg/lint"
)

func ExampleFiles() {
	dir, _ := os.MkdirTemp("", "lint")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "staging.yaml")
	os.WriteFile(path, []byte("version: 1\nenvironment: staging\nflags:\n  dark_mode: true\n"), 0o644)
	res, err := lint.Files([]lint.Source{{Env: "staging", Path: path, Expect: "staging"}}, lint.Options{})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Findings {
		fmt.Printf("%d:%d %s %s\n", f.Line, f.Column, f.Severity, f.Rule)
	}
	// Output:
	// 4:3 warning naming
	// 4:3 warning missing-description
	// 4:3 warning missing-owner
}
