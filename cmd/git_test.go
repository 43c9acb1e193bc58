package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitProject is a project in a real git repository with a scripted history.
type gitProject struct {
	*project
	n int
}

func (g *gitProject) git(env []string, args ...string) string {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+g.dir, "GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// commit writes files and commits them as author on day (2026-10-DD).
func (g *gitProject) commit(author, day, msg string, files map[string]string) {
	g.t.Helper()
	for name, content := range files {
		p := filepath.Join(g.dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			g.t.Fatal(err)
		}
	}
	date := "2026-10-" + day + "T10:00:00+00:00"
	if strings.Contains(day, "-") { // a full date
		date = day + "T10:00:00+00:00"
	}
	env := []string{"GIT_AUTHOR_NAME=" + author, "GIT_AUTHOR_EMAIL=" + strings.ToLower(author) + "@example.com",
		"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
	g.git(env, "add", "-A")
	g.git(env, "commit", "-q", "-m", msg)
}

func stagingV(body string) string {
	return "# Staging flags.\nversion: 1\nenvironment: staging\nflags:\n" + body
}

func productionV(body string) string {
	return "version: 1\nenvironment: production\nflags:\n" + body
}

// newGitProject builds the history the git tests share.
func newGitProject(t *testing.T) *gitProject {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed: the git tests need it (install git; CI has it)")
	}
	g := &gitProject{project: newProject(t, nil)}
	g.git(nil, "init", "-q", "-b", "main")
	g.commit("Alice", "01", "Add flags", map[string]string{
		".flagctl.yaml":         "environments: [staging, production]\n",
		"flags/staging.yaml":    stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n"),
		"flags/production.yaml": productionV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n"),
	})
	g.commit("Bob", "02", "Beta testers get checkout in staging", map[string]string{
		"flags/staging.yaml": stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n    actors:\n      \"user:42\": true\n    groups:\n      beta: true\n    percentage_of_actors: 10%\n"),
	})
	g.commit("Carol", "03", "Comment only", map[string]string{
		"flags/production.yaml": "# Production: changes need two reviews.\n" + productionV("  checkout_enabled:   # the new flow\n    owner: team-pay\n    enabled: false\n"),
	})
	g.commit("Alice", "04", "Ship checkout, add search", map[string]string{
		"flags/production.yaml": "# Production: changes need two reviews.\n" + productionV("  checkout_enabled:   # the new flow\n    owner: team-payments\n    enabled: true\n  search_enabled: false\n"),
		"flags/staging.yaml":    stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n    actors:\n      \"user:42\": true\n    groups:\n      beta: true\n    percentage_of_actors: 25%\n  search_enabled: true\n"),
	})
	g.commit("Bob", "05", "Remove search", map[string]string{
		"flags/production.yaml": "# Production: changes need two reviews.\n" + productionV("  checkout_enabled:   # the new flow\n    owner: team-payments\n    enabled: true\n"),
		"flags/staging.yaml":    stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n    actors:\n      \"user:42\": true\n    groups:\n      beta: true\n    percentage_of_actors: 25%\n"),
	})
	g.commit("Carol", "06", "Search is back", map[string]string{
		"flags/staging.yaml": stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n    actors:\n      \"user:42\": true\n    groups:\n      beta: true\n    percentage_of_actors: 25%\n  search_enabled: false\n"),
	})
	return g
}

func TestGitVerbs(t *testing.T) {
	g := newGitProject(t)
	// An uncommitted edit for the working-tree diffs.
	if code, _, stderr := g.run("enable", "checkout_enabled", "-e", "staging", "--actor", "user:7"); code != 0 {
		t.Fatal(stderr)
	}
	tests := []struct {
		name string
		argv []string
		code int
	}{
		{"diff_worktree", []string{"diff"}, 0},
		{"diff_worktree_exit", []string{"diff", "--exit-code"}, 1},
		{"diff_revs", []string{"diff", "HEAD~5", "HEAD~1"}, 0},
		{"diff_comment_only", []string{"diff", "HEAD~4", "HEAD~3"}, 0},
		{"diff_comment_only_json", []string{"diff", "HEAD~4", "HEAD~3", "-o", "json", "--exit-code"}, 0},
		{"diff_json", []string{"diff", "HEAD~2", "-o", "json"}, 0},
		{"diff_markdown", []string{"diff", "HEAD~5", "-o", "markdown"}, 0},
		{"diff_env", []string{"diff", "HEAD~5", "--env", "production"}, 0},
		{"diff_envs", []string{"diff", "--envs", "staging,production"}, 0},
		{"diff_unknown_rev", []string{"diff", "nope"}, 2},
		{"log", []string{"log"}, 0},
		{"log_flag", []string{"log", "search_enabled"}, 0},
		{"log_json", []string{"log", "checkout_enabled", "--env", "production", "-o", "json"}, 0},
		{"log_since", []string{"log", "--since", "2026-10-04", "--until", "2026-10-05"}, 0},
		{"log_since_time", []string{"log", "--since", "2026-10-04T11:00:00", "--until", "2026-10-06T09:00:00"}, 0},
		{"promote_dry_run", []string{"promote", "checkout_enabled", "--from", "staging", "--to", "production", "--dry-run"}, 0},
		{"restore_unknown", []string{"restore", "nope_enabled", "--env", "production", "--to", "HEAD~1"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := g.run(tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			golden(t, "git_"+tt.name+".golden", strings.ReplaceAll(stdout+stderr, g.dir, "<dir>"))
		})
	}
}

func TestPromoteAndRestore(t *testing.T) {
	g := newGitProject(t)
	code, stdout, stderr := g.run("promote", "checkout_enabled", "--from", "staging", "--to", "production")
	if code != 0 {
		t.Fatal(stderr)
	}
	after := g.read("flags/production.yaml")
	golden(t, "git_promote.golden", stdout+"--- production\n"+after)
	if !strings.Contains(after, "owner: team-payments") || !strings.Contains(after, "# the new flow") {
		t.Error("promote changed metadata or comments")
	}
	// --all adds the flag missing in production (search_enabled).
	code, stdout, _ = g.run("promote", "--all", "--from", "staging", "--to", "production")
	if code != 0 || !strings.Contains(stdout, "search_enabled [production]: added") {
		t.Errorf("promote --all: %d %s", code, stdout)
	}
	// Restore production's checkout gates to the first commit's.
	code, stdout, stderr = g.run("restore", "checkout_enabled", "--env", "production", "--to", "HEAD~5")
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(stdout, "checkout_enabled [production]: - actor user:42 (was on); - group beta (was on); - percentage_of_actors (was 25%)") {
		t.Errorf("restore: %s", stdout)
	}
	// A flag removed since REV is re-created.
	g.run("remove", "checkout_enabled", "--env", "production")
	code, stdout, _ = g.run("restore", "checkout_enabled", "--env", "production", "--to", "HEAD")
	if code != 0 || !strings.Contains(stdout, "checkout_enabled [production]: added") || !strings.Contains(g.read("flags/production.yaml"), "checkout_enabled:") {
		t.Errorf("restore of a removed flag: %d %s", code, stdout)
	}
}

func TestGitErrors(t *testing.T) {
	p := stdProject(t) // not a repository
	code, _, stderr := p.run("log")
	if code != ExitUsage || !strings.Contains(stderr, "not in a git repository") {
		t.Errorf("log outside a repository: %d %q", code, stderr)
	}
	t.Setenv("PATH", t.TempDir())
	code, _, stderr = p.run("diff")
	if code != ExitUsage || !strings.Contains(stderr, "git is not installed") {
		t.Errorf("diff without git: %d %q", code, stderr)
	}
}

func TestDiffStaged(t *testing.T) {
	g := newGitProject(t)
	g.run("enable", "checkout_enabled", "-e", "production", "--group", "staff")
	g.git(nil, "add", "flags/production.yaml")
	g.run("disable", "checkout_enabled", "-e", "staging", "--actor", "user:9") // not staged
	code, stdout, _ := g.run("diff", "--staged")
	if code != 0 || strings.TrimSpace(stdout) != "checkout_enabled [production]: + group staff on" {
		t.Errorf("diff --staged = %d %q", code, stdout)
	}
	code, stdout, _ = g.run("diff", "--staged", "HEAD~1")
	if code != 0 || !strings.Contains(stdout, "search_enabled [staging]: added") || strings.Contains(stdout, "user:9") {
		t.Errorf("diff --staged HEAD~1 = %d %q", code, stdout)
	}
}
