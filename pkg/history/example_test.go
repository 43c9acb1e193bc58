package history_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/flagctl/flagctl/pkg/history"
)

// Example reads the audit history of one environment file.
func Example() {
	dir, _ := os.MkdirTemp("", "history")
	defer os.RemoveAll(dir)
	git := func(date string, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Alice", "GIT_AUTHOR_EMAIL=alice@example.com", "GIT_COMMITTER_NAME=Alice",
			"GIT_COMMITTER_EMAIL=alice@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			panic(string(out))
		}
	}
	path := filepath.Join(dir, "production.yaml")
	git("2026-10-01T10:00:00Z", "init", "-q")
	for i, on := range []string{"false", "true"} {
		os.WriteFile(path, []byte("version: 1\nenvironment: production\nflags:\n  checkout_enabled: "+on+"\n"), 0o644)
		git(fmt.Sprintf("2026-10-0%dT10:00:00Z", i+1), "add", "-A")
		git(fmt.Sprintf("2026-10-0%dT10:00:00Z", i+1), "commit", "-q", "-m", "checkout "+on)
	}

	r, err := history.Open(dir)
	if err != nil {
		panic(err)
	}
	entries, err := r.History([]history.File{{Env: "production", Path: path, Expect: "production"}}, history.LogOptions{})
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		fmt.Println(e.Date[:10], e.Author, history.EscapeControl(e.Subject))
		for _, ch := range e.Changes {
			fmt.Println("  ", ch)
		}
	}
	// Output:
	// 2026-10-02 Alice checkout true
	//    checkout_enabled [production]: boolean off → on
	// 2026-10-01 Alice checkout false
	//    checkout_enabled [production]: added (+ boolean off)
}
