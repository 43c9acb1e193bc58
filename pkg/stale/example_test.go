package stale_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
	"github.com/flagctl/flagctl/pkg/stale"
)

// Example checks a project outside git (ages then come from created: dates).
func Example() {
	dir, _ := os.MkdirTemp("", "stale")
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "flags"), 0o755)
	flags := filepath.Join(dir, "flags", "production.yaml")
	os.WriteFile(flags, []byte("version: 1\nenvironment: production\nflags:\n  old_enabled:\n    kind: release\n    created: 2026-01-01\n    enabled: true\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("if ev.Enabled(\"old_enabled\") || ev.EnabledFor(\n\t\"chekout_enabled\", u) {}\n"), 0o644)

	data, _ := flagfile.ReadFile(flags, 0)
	file, err := flagfile.Parse(flags, data, flagfile.ParseOptions{Env: "production"})
	if err != nil {
		panic(err)
	}
	envs := []stale.Env{{Name: "production", Path: flags, Expect: "production", File: file}}
	var repo *history.Repo // history.Open(dir) inside a repository
	files, err := stale.SourceFiles(repo, stale.Sources{Root: dir, FlagDir: filepath.Join(dir, "flags")})
	if err != nil {
		panic(err)
	}
	patterns, _ := stale.CompilePatterns(stale.DefaultPatterns())
	scan := stale.Scan(files, envs, patterns, nil)
	today, _ := flagfile.ParseDate("2026-12-31")
	findings, err := stale.Check(stale.Input{Envs: envs, Repo: repo, Scan: scan, Today: today, Root: dir}, stale.DefaultConfig())
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Printf("%s:%d %s %s\n", f.File, f.Line, f.Kind, f.Flag)
	}
	// Output:
	// flags/production.yaml:4 fully-rolled-out old_enabled
	// main.go:2 undefined-reference chekout_enabled
}
