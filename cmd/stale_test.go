package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// staleFlags renders both environments' files for the stale scenario. state
// holds per-flag YAML values for staging and production.
func staleFiles(state map[string][2]string) map[string]string {
	names := []string{"expired_enabled", "rolled_enabled", "flapping_enabled", "dead_enabled", "ops_enabled", "unused_enabled", "young_enabled"}
	meta := map[string]string{
		"expired_enabled":  "    kind: release\n    owner: a\n    created: 2026-09-01\n    expires: 2026-12-01\n",
		"rolled_enabled":   "    kind: release\n    owner: a\n    created: 2026-09-01\n",
		"flapping_enabled": "    kind: release\n    owner: a\n    created: 2026-09-01\n",
		"dead_enabled":     "    kind: release\n    owner: a\n    created: 2026-09-01\n",
		"ops_enabled":      "    kind: ops\n    owner: a\n    created: 2026-09-01\n",
		"unused_enabled":   "    kind: experiment\n    owner: a\n    created: 2026-09-01\n",
		"young_enabled":    "    kind: release\n    owner: a\n    created: 2026-09-01\n",
	}
	out := map[string]string{}
	for i, env := range []string{"staging", "production"} {
		var b strings.Builder
		fmt.Fprintf(&b, "version: 1\nenvironment: %s\nflags:\n", env)
		for _, n := range names {
			v, ok := state[n]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "  %s:\n%s%s", n, meta[n], v[i])
		}
		out["flags/"+env+".yaml"] = b.String()
	}
	return out
}

const (
	on      = "    enabled: true\n"
	off     = "    enabled: false\n"
	partial = "    enabled: true\n    groups:\n      banned: false\n"
	some    = "    enabled: false\n    percentage_of_actors: 10%\n"
)

func newStaleProject(t *testing.T) *gitProject {
	g := newGitProject(t) // reuse the repository setup, then replace its files
	state := map[string][2]string{
		"expired_enabled": {some, some}, "rolled_enabled": {some, some}, "flapping_enabled": {on, on},
		"dead_enabled": {off, off}, "ops_enabled": {on, on}, "unused_enabled": {some, some}, "young_enabled": {some, some},
	}
	files := staleFiles(state)
	files[".flagctl.yaml"] = "environments: [staging, production]\nstale:\n  max_age: 30d\n"
	files["src/app.go"] = `package app

func handler() {
	if flags.Enabled("expired_enabled") || flags.EnabledFor("rolled_enabled", user) {
	}
	if flags.Enabled("chekout_enabled") { // a typo
	}
	_ = f.FlappingEnabled.Enabled() // a generated handle
	_ = []string{"dead_enabled", "ops_enabled", "young_enabled"}
}
`
	files["web/app.js"] = "if (client.isOn('removed_long_ago_enabled')) {}\n"
	files["vendor/lib/x.go"] = `flags.Enabled("vendored_enabled")` + "\n"
	g.commit("Alice", "2026-10-01", "flags", files)
	state["rolled_enabled"] = [2]string{on, on}
	g.commit("Bob", "2026-10-05", "roll out", staleFiles(state))
	state["flapping_enabled"] = [2]string{on, partial}
	g.commit("Carol", "2026-10-10", "ban some", staleFiles(state))
	state["flapping_enabled"] = [2]string{on, on}
	g.commit("Alice", "2026-11-20", "on again", staleFiles(state))
	state["young_enabled"] = [2]string{on, on}
	g.commit("Bob", "2026-12-20", "young", staleFiles(state))
	return g
}

func TestStale(t *testing.T) {
	g := newStaleProject(t)
	for _, format := range []string{"text", "json", "github", "markdown"} {
		t.Run(format, func(t *testing.T) {
			code, stdout, stderr := g.run("stale", "--today", "2026-12-31", "--format", format)
			if code != ExitFindings {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			golden(t, "stale_"+format+".golden", stdout)
		})
	}
	code, stdout, _ := g.run("stale", "--refs", "flapping_enabled")
	if code != 0 || strings.TrimSpace(stdout) != "src/app.go:8" {
		t.Errorf("--refs: %d %q", code, stdout)
	}
	// Fully on, off, on again: the age counts from the last time (2026-11-20).
	_, stdout, _ = g.run("stale", "--today", "2026-12-31")
	if !strings.Contains(stdout, "flapping_enabled: on for everyone in every environment since 2026-11-20 (41 days, over 30)") {
		t.Errorf("flapping flag:\n%s", stdout)
	}
	// The same day, 25 days after it came back: not stale yet.
	_, stdout, _ = g.run("stale", "--today", "2026-12-15")
	if strings.Contains(stdout, "flapping_enabled: on for everyone") {
		t.Errorf("flapping flag reported too early:\n%s", stdout)
	}
	// stale.ignore and stale.severity.
	os.WriteFile(filepath.Join(g.dir, ".flagctl.yaml"), []byte("environments: [staging, production]\nstale:\n  ignore: [dead_enabled]\n  severity:\n    expired: warning\n    fully-rolled-out: off\n    undefined-reference: warning\n    dead: warning\n"), 0o644)
	code, stdout, _ = g.run("stale", "--today", "2026-12-31")
	if code != 0 || strings.Contains(stdout, ": dead_enabled:") || strings.Contains(stdout, "fully-rolled-out") {
		t.Errorf("ignore/severity: exit %d\n%s", code, stdout)
	}
}

func TestStaleOutsideGit(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "environments: [staging, production]\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n  old_enabled:\n    kind: release\n    created: 2026-01-01\n    enabled: true\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  old_enabled:\n    kind: release\n    created: 2026-01-01\n    enabled: true\n",
		"main.go":               "x := Enabled(\"old_enabled\")\n",
	})
	code, stdout, _ := p.run("stale", "--today", "2026-12-31")
	if code != ExitFindings || !strings.Contains(stdout, "age unknown outside a git repository, created 2026-01-01 (364 days ago)") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

func TestStaleIncludeExclude(t *testing.T) {
	files := map[string]string{
		".flagctl.yaml":         "environments: [staging]\nstale:\n  include: [\"*.go\", \"web/**\"]\n  exclude: [\"testdata/**\"]\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    kind: ops\n",
		"main.go":               "x := Enabled(\"a_enabled\")\n",
		"notes.txt":             "Enabled(\"b_enabled\")\n",
		"web/app.js":            "isOn('c_enabled')\n",
		"testdata/fixture.go":   "Enabled(\"d_enabled\")\n",
		"node_modules/x/y.go":   "Enabled(\"e_enabled\")\n",
		"third_party/z/z.go":    "Enabled(\"f_enabled\")\n",
		"deep/dir/file_test.go": "Enabled(\"g_enabled\")\n",
	}
	p := newProject(t, files)
	_, stdout, _ := p.run("stale", "--today", "2026-12-31", "--format", "json")
	for _, want := range []string{"c_enabled", "g_enabled"} {
		if !strings.Contains(stdout, `"flag": "`+want+`"`) {
			t.Errorf("%s not reported:\n%s", want, stdout)
		}
	}
	for _, not := range []string{"b_enabled", "d_enabled", "e_enabled", "f_enabled"} {
		if strings.Contains(stdout, not) {
			t.Errorf("%s reported from a file that is not scanned:\n%s", not, stdout)
		}
	}
}
