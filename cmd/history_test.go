package cmd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// emptyGitProject is a repository with no commits.
func emptyGitProject(t *testing.T, files map[string]string) *gitProject {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed; run make test-deps")
	}
	g := &gitProject{project: newProject(t, files)}
	g.git(nil, "init", "-q", "-b", "main")
	return g
}

func releaseFlag(name, created, gates string) string {
	return "  " + name + ":\n    kind: release\n    owner: a\n    created: " + created + "\n" + gates
}

// twoEnvs renders staging and production with the same body.
func twoEnvs(body string) map[string]string {
	return map[string]string{
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n" + body,
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n" + body,
	}
}

// TestStaleNewFlagNotDead: a flag absent from the files does not "enable
// nobody"; its age starts when it first appeared in its state.
func TestStaleNewFlagNotDead(t *testing.T) {
	g := emptyGitProject(t, map[string]string{
		".flagctl.yaml": "environments: [staging, production]\n",
		"src/app.go":    "Enabled(\"old_enabled\") || Enabled(\"new_enabled\")\n",
	})
	old := releaseFlag("old_enabled", "2026-01-01", off)
	g.commit("Alice", "2026-01-01", "old", twoEnvs(old))
	g.commit("Bob", "2026-03-01", "new", twoEnvs(old+releaseFlag("new_enabled", "2026-03-01", off)))
	// A flag added to staging first counts from then, in every environment.
	files := twoEnvs(old + releaseFlag("new_enabled", "2026-03-01", off))
	files["flags/staging.yaml"] += releaseFlag("staged_enabled", "2026-03-05", off)
	g.commit("Bob", "2026-03-05", "staged", files)
	files = twoEnvs(old + releaseFlag("new_enabled", "2026-03-01", off) + releaseFlag("staged_enabled", "2026-03-05", off))
	g.commit("Bob", "2026-04-20", "staged everywhere", files)
	tests := []struct {
		today string
		want  []string
		not   []string
	}{
		{"2026-03-02", []string{"old_enabled: enables nobody in any environment since 2026-01-01 (60 days, over 30)"}, []string{"new_enabled: enables"}},
		{"2026-04-01", []string{"new_enabled: enables nobody in any environment since 2026-03-01 (31 days, over 30)"}, []string{"staged_enabled: enables"}},
		{"2026-04-21", []string{"staged_enabled: enables nobody in any environment since 2026-03-05 (47 days, over 30)"}, nil},
	}
	for _, tt := range tests {
		_, stdout, stderr := g.run("stale", "--today", tt.today)
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("today %s: missing %q\n%s%s", tt.today, w, stdout, stderr)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(stdout, n) {
				t.Errorf("today %s: unexpected %q\n%s", tt.today, n, stdout)
			}
		}
	}
}

// shallowClone clones g's repository with depth 1 into a new project.
func shallowClone(t *testing.T, g *gitProject) *gitProject {
	t.Helper()
	dir := t.TempDir()
	c := &gitProject{project: &project{t: t, dir: dir}}
	c.git(nil, "clone", "-q", "--depth", "1", "file://"+g.dir, ".")
	return c
}

// TestShallowClone: age checks refuse a shallow clone (unless --allow-shallow,
// which judges by created:), and log says the history is cut instead of
// showing every flag as added.
func TestShallowClone(t *testing.T) {
	g := emptyGitProject(t, map[string]string{
		".flagctl.yaml": "environments: [staging, production]\n",
		"src/app.go":    "Enabled(\"rolled_enabled\")\n",
	})
	g.commit("Alice", "2026-01-01", "add", twoEnvs(releaseFlag("rolled_enabled", "2026-01-01", some)))
	g.commit("Bob", "2026-02-01", "roll out", twoEnvs(releaseFlag("rolled_enabled", "2026-01-01", on)))
	g.commit("Carol", "2026-12-01", "unrelated", map[string]string{"src/other.go": "x\n"})
	c := shallowClone(t, g)

	code, stdout, stderr := c.run("stale", "--today", "2026-12-31")
	if code != ExitFile || !strings.Contains(stderr, "fetch full history: actions/checkout with fetch-depth: 0") {
		t.Errorf("stale in a shallow clone: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = c.run("stale", "--today", "2026-12-31", "--allow-shallow")
	if code != ExitFindings || !strings.Contains(stdout, "rolled_enabled: on for everyone in every environment; age unknown before the shallow clone's cut, created 2026-01-01 (364 days ago)") {
		t.Errorf("stale --allow-shallow: exit %d\n%s%s", code, stdout, stderr)
	}
	// The full clone: the age comes from history.
	_, stdout, _ = g.run("stale", "--today", "2026-12-31")
	if !strings.Contains(stdout, "rolled_enabled: on for everyone in every environment since 2026-02-01") {
		t.Errorf("full history:\n%s", stdout)
	}

	code, stdout, stderr = c.run("log")
	if code != 0 || !strings.Contains(stderr, "shallow clone") || strings.Contains(stdout, "added") || !strings.Contains(stdout, "history is cut here") {
		t.Errorf("log in a shallow clone: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = c.run("log", "-o", "json")
	var entries []LogEntry
	if err := json.Unmarshal([]byte(stdout), &entries); code != 0 || err != nil || len(entries) != 1 || !entries[0].Truncated || len(entries[0].Changes) != 0 {
		t.Errorf("log -o json in a shallow clone: exit %d %v\n%s", code, err, stdout)
	}
}

// TestGitFailures: when git refuses the repository, its own message is shown
// and the verb exits 3 (never "not in a git repository", never a silent
// fallback to created: dates).
func TestGitFailures(t *testing.T) {
	g := emptyGitProject(t, map[string]string{
		".flagctl.yaml": "environments: [staging, production]\n",
		"src/app.go":    "Enabled(\"old_enabled\")\n",
	})
	g.commit("Alice", "2026-01-01", "add", twoEnvs(releaseFlag("old_enabled", "2026-01-01", off)))
	// A config git cannot read: git refuses every command, like "dubious ownership".
	if err := os.WriteFile(filepath.Join(g.dir, ".git", "config"), []byte("[core\nbroken"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, argv := range [][]string{{"log"}, {"stale", "--today", "2026-12-31"}, {"diff"}, {"diff", "--envs", "staging,production"}} {
		code, stdout, stderr := g.run(argv...)
		if code != ExitFile || !strings.Contains(stderr, "bad config line") || strings.Contains(stderr, "not in a git repository") {
			t.Errorf("%v: exit %d, want 3 with git's message\n%s%s", argv, code, stdout, stderr)
		}
	}
	// The real case where the test can create it: a repository owned by
	// someone else ("dubious ownership"; only root can chown).
	if os.Geteuid() == 0 {
		d := emptyGitProject(t, map[string]string{".flagctl.yaml": "environments: [staging, production]\n"})
		d.commit("Alice", "2026-01-01", "add", twoEnvs(releaseFlag("old_enabled", "2026-01-01", off)))
		if out, err := exec.Command("chown", "-R", "4242:4242", d.dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
		for _, argv := range [][]string{{"log"}, {"stale", "--today", "2026-12-31"}} {
			code, stdout, stderr := d.run(argv...)
			if code != ExitFile || !strings.Contains(stderr, "dubious ownership") {
				t.Errorf("%v in a repository owned by someone else: exit %d, want 3 with git's message\n%s%s", argv, code, stdout, stderr)
			}
		}
	}
}

// TestStalePatterns: custom patterns run without the built-in trigger words, a
// call split across lines is found at the line of the name, and generated
// identifiers with collision suffixes count as references.
func TestStalePatterns(t *testing.T) {
	body := "  api_enabled:\n    kind: ops\n  api__enabled:\n    kind: ops\n"
	files := map[string]string{
		".flagctl.yaml":         "environments: [staging]\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n" + body,
		"src/split.go":          "package a\n\nvar x = ev.EnabledFor(\n\t\"chekout\", u)\n",
		"src/gen.go":            "var _ = f.APIEnabled.Enabled()\nvar _ = f.APIEnabled2.Enabled()\n",
		"web/app.js":            "if (client.isOn('typo_flag')) {}\n",
		"web/custom.flagctl.js": "x\n",
	}
	p := newProject(t, files)
	code, stdout, stderr := p.run("stale", "--today", "2026-12-31")
	if code != ExitFindings || !strings.Contains(stdout, "src/split.go:4: error: chekout: checked in code but defined in no flag file") {
		t.Errorf("split call: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "unreferenced") {
		t.Errorf("APIEnabled2 (generated for api_enabled) not counted:\n%s", stdout)
	}
	os.WriteFile(filepath.Join(p.dir, ".flagctl.yaml"), []byte("environments: [staging]\nstale:\n  patterns: [\"isOn\\\\('([a-z_]+)'\\\\)\"]\n"), 0o644)
	code, stdout, stderr = p.run("stale", "--today", "2026-12-31")
	if code != ExitFindings || !strings.Contains(stdout, "web/app.js:1: error: typo_flag: checked in code but defined in no flag file") {
		t.Errorf("custom pattern: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestStaleRefsAnyName: --refs lists the references of any name, defined or not.
func TestStaleRefsAnyName(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "environments: [staging]\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  checkout_enabled: true\n",
		"src/a.go":           "Enabled(\"checkout_enabled\")\nEnabled(\"chekout_enabled\")\n",
		"src/b.go":           "// chekout_enabled is a typo\n",
	})
	tests := []struct {
		name, want string
		code       int
	}{
		{"chekout_enabled", "src/a.go:2\nsrc/b.go:1\n", 0},
		{"checkout_enabled", "src/a.go:1\n", 0},
		{"never_used", "", 0},
	}
	for _, tt := range tests {
		code, stdout, stderr := p.run("stale", "--refs", tt.name)
		if code != tt.code || stdout != tt.want {
			t.Errorf("--refs %s: exit %d %q, want %d %q\n%s", tt.name, code, stdout, tt.code, tt.want, stderr)
		}
	}
	if code, _, _ := p.run("stale", "--refs", ""); code != ExitUsage {
		t.Errorf("--refs \"\": exit %d, want 2", code)
	}
}

// TestLogUsageErrors: an unknown flag (never defined, never in history) and a
// bad date are usage errors; a flag that only history knows is fine.
func TestLogUsageErrors(t *testing.T) {
	g := newGitProject(t)
	tests := []struct {
		argv []string
		code int
		want string
	}{
		{[]string{"log", "chekout_enabled"}, ExitUsage, `unknown flag "chekout_enabled"`},
		{[]string{"log", "--since", "2026-13-45"}, ExitUsage, `--since "2026-13-45"`},
		{[]string{"log", "--until", "someday"}, ExitUsage, `--until "someday"`},
		{[]string{"log", "search_enabled", "--since", "2026-10-07"}, 0, ""},
		{[]string{"log", "--since", "2 weeks ago"}, 0, ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := g.run(tt.argv...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tt.argv, code, tt.code, tt.want, stdout, stderr)
		}
	}
	// A flag removed from every file is still known to history.
	g.commit("Dan", "07", "drop search", map[string]string{"flags/staging.yaml": stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: false\n")})
	if code, stdout, stderr := g.run("log", "search_enabled"); code != 0 || !strings.Contains(stdout, "search_enabled [staging]: removed") {
		t.Errorf("log of a removed flag: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestLogForgedSubjects: a subject with git's old separators or terminal
// escapes can neither fake an entry nor hide a change, and prints escaped.
func TestLogForgedSubjects(t *testing.T) {
	g := newGitProject(t)
	fake := "x\x01" + strings.Repeat("a", 40) + "\x1fSome Admin\x1fadmin@example.com\x1f2020-01-01T00:00:00+00:00\x1fforged"
	g.commit("Mallory", "07", fake, map[string]string{"flags/production.yaml": productionV("  checkout_enabled:\n    owner: team-payments\n    enabled: false\n")})
	g.commit("Mallory", "08", "hidden\x01", map[string]string{"flags/production.yaml": productionV("  checkout_enabled:\n    owner: team-payments\n    enabled: true\n")})
	g.commit("Mallory", "09", "red \x1b[31malert \u009b[2J", map[string]string{"flags/staging.yaml": stagingV("  checkout_enabled:\n    owner: team-pay\n    enabled: true\n")})
	code, stdout, stderr := g.run("log", "checkout_enabled")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, bad := range []string{"Some Admin <", "\naaaaaaa", "2020-01-01  ", "\x1b", "\x01"} {
		if strings.Contains(stdout, bad) {
			t.Errorf("log shows %q:\n%s", bad, stdout)
		}
	}
	for _, want := range []string{`Mallory <mallory@example.com>  x\x01aaaa`, `hidden\x01`, "checkout_enabled [production]: boolean off → on", `red \x1b[31malert \u009b[2J`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("log misses %q:\n%s", want, stdout)
		}
	}
	_, stdout, _ = g.run("log", "checkout_enabled", "-o", "json")
	var entries []LogEntry
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) < 3 || entries[1].Author != "Mallory" || entries[1].Subject != "hidden\x01" || len(entries[1].Changes) != 1 || entries[2].Author != "Mallory" || entries[2].Subject != fake {
		t.Errorf("log -o json: %+v", entries[:min(3, len(entries))])
	}
	if strings.Contains(stdout, "\x1b") || strings.Contains(stdout, "\u009b") {
		t.Errorf("raw escape in JSON output:\n%s", stdout)
	}
}

// TestStaleEscapesCaptures: a name a custom pattern captured is printed with
// control characters escaped.
func TestStaleEscapesCaptures(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "environments: [staging]\nstale:\n  patterns: [\"flag\\\\((\\\\S+)\\\\)\"]\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    kind: ops\n",
		"src/a.txt":          "flag(\x1b[31mred) a_enabled\n",
	})
	code, stdout, stderr := p.run("stale", "--today", "2026-12-31")
	if code != ExitFindings || strings.Contains(stdout, "\x1b") || !strings.Contains(stdout, `\x1b[31mred`) {
		t.Errorf("exit %d\n%q%s", code, stdout, stderr)
	}
}

// TestStaleWithoutGit: without git, stale judges by created: outside a
// repository, and refuses inside one (it cannot read the ages).
func TestStaleWithoutGit(t *testing.T) {
	files := map[string]string{".flagctl.yaml": "environments: [staging, production]\n", "src/a.go": "Enabled(\"old_enabled\")\n"}
	for k, v := range twoEnvs(releaseFlag("old_enabled", "2026-01-01", off)) {
		files[k] = v
	}
	g := emptyGitProject(t, files)
	g.commit("Alice", "2026-01-01", "add", nil)
	outside := newProject(t, files)
	t.Setenv("PATH", t.TempDir())
	if code, stdout, stderr := g.run("stale", "--today", "2026-12-31"); code != ExitFile || !strings.Contains(stderr, "git is not installed") {
		t.Errorf("in a repository: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := outside.run("stale", "--today", "2026-12-31"); code != ExitFindings || !strings.Contains(stdout, "age unknown outside a git repository") {
		t.Errorf("outside a repository: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestStaleRepositoryWithoutCommits: a repository just made with git init has
// no history yet; stale judges its flags as it judges flags never committed
// (not a git failure, exit 3) and exits by its findings.
func TestStaleRepositoryWithoutCommits(t *testing.T) {
	tests := []struct {
		name, flag string
		flags      string
		code       int
		want       string
	}{
		{"an expired flag is a finding", "old_enabled", releaseFlag("old_enabled", "2026-01-01", "    expires: 2026-06-01\n    enabled: false\n"), ExitFindings, "old_enabled: expired"},
		// Like a flag not committed yet: its age starts today, whatever created: says.
		{"fully on, never committed: no age yet", "new_enabled", releaseFlag("new_enabled", "2026-01-01", "    enabled: true\n"), 0, "no stale flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := twoEnvs(tt.flags)
			files[".flagctl.yaml"] = "environments: [staging, production]\n"
			files["src/app.go"] = "Enabled(\"" + tt.flag + "\")\n"
			g := emptyGitProject(t, files)
			code, stdout, stderr := g.run("stale", "--today", "2026-12-31")
			if code != tt.code || strings.Contains(stderr, "exit status") {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("missing %q\n%s", tt.want, stdout)
			}
		})
	}
}
