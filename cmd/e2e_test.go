package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildBinary builds flagctl once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "flagctl")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/flagctl/flagctl").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestEndToEnd runs a realistic session with the real binary in a git
// repository, checking after each edit that git sees only the lines that had to
// change.
func TestEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed: the git tests need it (install git; CI has it)")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	gitCmd(t, dir, "init", "-q", "-b", "main")
	run := func(wantCode int, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != wantCode {
			t.Fatalf("flagctl %v: exit %d, want %d\n%s", args, code, wantCode, out)
		}
		return string(out)
	}
	commit := func(msg string) {
		gitCmd(t, dir, "add", "-A")
		gitCmd(t, dir, "commit", "-q", "-m", msg)
	}
	numstat := func(want string) {
		t.Helper()
		got := strings.TrimSpace(gitCmd(t, dir, "diff", "--numstat"))
		if got != want {
			t.Errorf("git diff --numstat:\n%s\nwant:\n%s\n%s", got, want, gitCmd(t, dir, "diff"))
		}
		commit("step")
	}

	run(0, "init")
	commit("init")
	run(0, "create", "new_checkout_enabled", "--description", "New checkout", "--owner", "team-payments", "--expires", "2099-01-01")
	numstat("8\t1\tflags/development.yaml\n8\t1\tflags/production.yaml\n8\t1\tflags/staging.yaml")
	// Comments survive hand edits: add one by hand, then edit through the CLI.
	staging := filepath.Join(dir, "flags", "staging.yaml")
	data, _ := os.ReadFile(staging)
	data = []byte(strings.Replace(string(data), "  new_checkout_enabled:\n", "  # Owned by payments; remove after the Q1 launch.\n  new_checkout_enabled:\n", 1))
	os.WriteFile(staging, data, 0o644)
	commit("comment")

	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--actor", "user:42")
	numstat("2\t0\tflags/staging.yaml")
	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--actor", "user:7")
	numstat("1\t0\tflags/staging.yaml")
	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--group", "beta_testers")
	numstat("2\t0\tflags/staging.yaml")
	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--percentage-of-actors", "25%")
	numstat("1\t0\tflags/staging.yaml")
	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--percentage-of-actors", "50%")
	numstat("1\t1\tflags/staging.yaml")
	run(0, "enable", "new_checkout_enabled", "--env", "staging")
	numstat("1\t1\tflags/staging.yaml")
	run(0, "disable", "new_checkout_enabled", "--env", "staging", "--actor", "user:7")
	numstat("1\t1\tflags/staging.yaml")

	if out := run(0, "eval", "new_checkout_enabled", "--env", "staging", "--actor", "user:42"); !strings.HasPrefix(out, "true\n") {
		t.Errorf("eval: %q", out)
	}
	if out := run(0, "eval", "new_checkout_enabled", "--env", "staging", "--actor", "user:7", "--explain"); !strings.HasPrefix(out, "false\n") || !strings.Contains(out, "actor user:7 → off") {
		t.Errorf("eval --explain: %q", out)
	}
	run(0, "lint")
	run(0, "fmt", "--check")

	// Rule tests: a gate change breaks one, the fix makes it pass again.
	os.MkdirAll(filepath.Join(dir, "flags", "tests"), 0o755)
	os.WriteFile(filepath.Join(dir, "flags", "tests", "checkout.yaml"), []byte(`version: 1
tests:
  - name: the PM sees the new checkout in staging
    env: staging
    flag: new_checkout_enabled
    actor: "user:42"
    want: true
  - name: production is off
    env: production
    flag: new_checkout_enabled
    actor: "user:42"
    want: false
`), 0o644)
	commit("rule tests")
	if out := run(0, "test"); !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("test: %s", out)
	}
	run(0, "disable", "new_checkout_enabled", "--env", "staging", "--actor", "user:42")
	if out := run(1, "test"); !strings.Contains(out, "tests/checkout.yaml:3: staging new_checkout_enabled for user:42: want true, got false (decided by: actor user:42 → off)") {
		t.Errorf("test after the gate change: %s", out)
	}
	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--actor", "user:42")
	run(0, "test")
	if d := gitCmd(t, dir, "diff", "--stat"); d != "" {
		t.Errorf("disable + enable of the same gate left a change:\n%s", d)
	}
	data, _ = os.ReadFile(staging)
	if !strings.Contains(string(data), "# Owned by payments; remove after the Q1 launch.\n") {
		t.Error("hand-written comment lost")
	}
	// A hand-written file from the golden corpus keeps every comment through CLI edits.
	corpus, err := os.ReadFile(filepath.Join("..", "pkg", "flagfile", "testdata", "edit", "spec.input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(staging, corpus, 0o644)
	commit("corpus")
	run(0, "enable", "new_checkout_enabled", "--env", "staging", "--actor", "user:9", "--group", "staff")
	run(0, "clear", "new_checkout_enabled", "--env", "staging", "--percentage")
	data, _ = os.ReadFile(staging)
	for _, c := range comments(corpus) {
		if strings.Contains(c, "never both") {
			continue // its line was the percentage gate, now removed
		}
		if !strings.Contains(string(data), c) {
			t.Errorf("comment %q lost", c)
		}
	}
}

func comments(src []byte) []string {
	var out []string
	for _, l := range strings.Split(string(src), "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			out = append(out, l[i:])
		}
	}
	return out
}
