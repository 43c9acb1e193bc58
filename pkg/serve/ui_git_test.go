package serve

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepos is a bare "origin" with two clones: the server's and a colleague's.
type gitRepos struct {
	t                    *testing.T
	bare, server, second string
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func newGitRepos(t *testing.T) *gitRepos {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed: run make test-deps (apt-get install git)")
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	root := t.TempDir()
	g := &gitRepos{t: t, bare: filepath.Join(root, "origin.git"), server: filepath.Join(root, "server"), second: filepath.Join(root, "second")}
	run(t, root, "init", "--quiet", "--bare", "-b", "main", g.bare)
	run(t, root, "clone", "--quiet", g.bare, g.server)
	os.MkdirAll(filepath.Join(g.server, "flags"), 0o755)
	for env, body := range map[string]string{"staging": uiStaging, "production": uiProduction} {
		if err := os.WriteFile(filepath.Join(g.server, "flags", env+".yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, g.server, "checkout", "--quiet", "-b", "main")
	os.WriteFile(filepath.Join(g.server, ".gitignore"), []byte("flags/.*.lock\n"), 0o644)
	run(t, g.server, "add", ".")
	run(t, g.server, "commit", "--quiet", "-m", "flags")
	run(t, g.server, "push", "--quiet", "origin", "main")
	run(t, root, "clone", "--quiet", g.bare, g.second)
	return g
}

// startGitUI serves the server clone's flags with git configured and a
// signed-in user ada.
func startGitUI(t *testing.T, g *gitRepos, gc GitConfig) *uiEnv {
	t.Helper()
	gc.Dir = filepath.Join(g.server, "flags")
	cfg := UIConfig{Git: &gc, Users: []User{{Name: "Ada Lovelace", Email: "ada@example.com", PasswordHash: hashOf(t, "pw"), Roles: map[string]Role{"*": RoleEditor}}}}
	f := &fixture{t: t, dir: gc.Dir}
	s, ts := start(t, Config{Environments: []Environment{f.env("staging"), f.env("production")}, UI: &cfg})
	u := startUIWith(t, f, s, ts)
	u.login("Ada Lovelace", "pw")
	return u
}

func TestUIGitCommit(t *testing.T) {
	g := newGitRepos(t)
	u := startGitUI(t, g, GitConfig{CommitterName: "flagctl server", CommitterEmail: "server@example.com"})
	res := u.post("/ui/env/production/flags/new_checkout_enabled/actors", url.Values{"hash": {u.hash("production")}, "actors": {"user:42"}, "on": {"true"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("%d %s", res.status, res.body)
	}
	got := run(t, g.server, "log", "-1", "--format=%s|%an <%ae>|%cn <%ce>")
	want := "new_checkout_enabled [production]: + actor user:42 on|Ada Lovelace <ada@example.com>|flagctl server <server@example.com>"
	if got != want {
		t.Fatalf("commit %q, want %q", got, want)
	}
	if files := run(t, g.server, "show", "--name-only", "--format=", "HEAD"); files != "flags/production.yaml" {
		t.Fatalf("the commit touches %q", files)
	}
	if st := run(t, g.server, "status", "--porcelain"); st != "" {
		t.Fatalf("work tree not clean: %s", st)
	}
}

func TestUIGitPush(t *testing.T) {
	g := newGitRepos(t)
	u := startGitUI(t, g, GitConfig{Push: "origin"})
	// A colleague pushes a change to another flag first: the server's push is
	// rejected, it fetches, rebases its one commit and pushes again.
	os.WriteFile(filepath.Join(g.second, "flags", "staging.yaml"), []byte(strings.Replace(uiStaging, "search_v2_enabled: false", "search_v2_enabled: true", 1)), 0o644)
	run(t, g.second, "commit", "--quiet", "-am", "search on")
	run(t, g.second, "push", "--quiet", "origin", "main")
	res := u.post("/ui/env/production/flags/new_checkout_enabled/actors", url.Values{"hash": {u.hash("production")}, "actors": {"user:42"}, "on": {"true"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("%d %s", res.status, res.body)
	}
	log := run(t, g.bare, "log", "--format=%s", "main")
	if log != "new_checkout_enabled [production]: + actor user:42 on\nsearch on\nflags" {
		t.Fatalf("origin's log:\n%s", log)
	}
	if !strings.Contains(u.file("staging"), "search_v2_enabled: true") {
		t.Fatal("the server's work tree does not have the colleague's change")
	}

	// A real conflict: the colleague changes the same line.
	run(t, g.second, "pull", "--quiet", "--rebase", "origin", "main")
	os.WriteFile(filepath.Join(g.second, "flags", "staging.yaml"), []byte(strings.Replace(u.file("staging"), "dark_mode_enabled: true", "dark_mode_enabled: false", 1)), 0o644)
	run(t, g.second, "commit", "--quiet", "-am", "dark mode off")
	run(t, g.second, "push", "--quiet", "origin", "main")
	before := u.file("staging")
	res = u.post("/ui/env/staging/flags/dark_mode_enabled/actors", url.Values{"hash": {u.hash("staging")}, "actors": {"user:9"}, "on": {"false"}})
	if res.status != http.StatusConflict || !strings.Contains(string(res.body), "dark mode off") {
		t.Fatalf("%d %s\n%s\n%s", res.status, res.body, run(t, g.bare, "log", "-p", "-3", "main"), u.file("staging"))
	}
	if got := run(t, g.bare, "log", "-1", "--format=%s", "main"); got != "dark mode off" {
		t.Fatalf("origin's head %q", got)
	}
	if u.file("staging") != before || run(t, g.server, "status", "--porcelain") != "" {
		t.Fatalf("the refused change is left in the work tree:\n%s", u.file("staging"))
	}
}

func TestUIGitPropose(t *testing.T) {
	g := newGitRepos(t)
	u := startGitUI(t, g, GitConfig{Propose: true, Push: "origin"})
	before := u.file("production")
	head := run(t, g.server, "rev-parse", "HEAD")
	res := u.post("/ui/env/production/flags/new_checkout_enabled/percentage", url.Values{"hash": {u.hash("production")}, "value": {"5"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("%d %s", res.status, res.body)
	}
	if u.file("production") != before || run(t, g.server, "rev-parse", "HEAD") != head {
		t.Fatal("a proposal changed the work tree or the current branch")
	}
	branches := run(t, g.bare, "for-each-ref", "--format=%(refname:short)", "refs/heads/flagctl/")
	if !strings.HasPrefix(branches, "flagctl/ada-lovelace/new_checkout_enabled-") {
		t.Fatalf("branches on origin: %q", branches)
	}
	if page := string(u.get(res.header.Get("Location")).body); !strings.Contains(page, branches) {
		t.Fatal("the page does not show the branch")
	}
	if got := run(t, g.bare, "show", branches+":flags/production.yaml"); !strings.Contains(got, "percentage_of_actors: 5%") {
		t.Fatalf("the branch's file:\n%s", got)
	}
	if got := run(t, g.bare, "log", "-1", "--format=%s|%an", branches); !strings.HasPrefix(got, "new_checkout_enabled [production]: ") || !strings.HasSuffix(got, "|Ada Lovelace") {
		t.Fatalf("the proposal's commit %q", got)
	}
}

func TestUIHistoryAndRestore(t *testing.T) {
	g := newGitRepos(t)
	u := startGitUI(t, g, GitConfig{})
	first := run(t, g.server, "rev-parse", "HEAD")
	for _, n := range []string{"user:7", "user:8"} {
		res := u.post("/ui/env/production/flags/new_checkout_enabled/actors", url.Values{"hash": {u.hash("production")}, "actors": {n}, "on": {"true"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("%d %s", res.status, res.body)
		}
	}
	page := html.UnescapeString(string(u.get("/ui/flags/new_checkout_enabled/history").body))
	for _, w := range []string{"new_checkout_enabled [production]: + actor user:8 on", "new_checkout_enabled [production]: + actor user:7 on", "Ada Lovelace", `name="rev" value="` + first + `"`} {
		if !strings.Contains(page, w) {
			t.Errorf("history lacks %q:\n%s", w, page)
		}
	}
	if strings.Index(page, "user:8") > strings.Index(page, "user:7 on") {
		t.Error("history is not newest first")
	}
	// Restore to the first commit: the diff is shown first, nothing written.
	before := u.file("production")
	form := url.Values{"hash": {u.hash("production")}, "rev": {first}}
	res := u.post("/ui/env/production/flags/new_checkout_enabled/restore", form)
	if res.status != http.StatusPreconditionRequired || !strings.Contains(html.UnescapeString(string(res.body)), "- actor user:7 (was on)") || u.file("production") != before {
		t.Fatalf("review: %d %s", res.status, res.body)
	}
	form.Set("reviewed", "yes")
	if res := u.post("/ui/env/production/flags/new_checkout_enabled/restore", form); res.status != http.StatusSeeOther {
		t.Fatalf("restore: %d %s", res.status, res.body)
	}
	if u.file("production") != uiProduction {
		t.Fatalf("restored file:\n%s", u.file("production"))
	}
	for _, bad := range []string{"--output=/tmp/x", "HEAD~1", "zzzzzzz"} {
		if res := u.post("/ui/env/production/flags/new_checkout_enabled/restore", url.Values{"hash": {u.hash("production")}, "rev": {bad}, "reviewed": {"yes"}}); res.status != http.StatusBadRequest {
			t.Errorf("rev %q: %d", bad, res.status)
		}
	}
}

// TestUIGitCommitsOnlyTheUsersChange: with --commit (or --propose) the
// user's commit holds exactly the change its message describes. A change of
// the flag file not committed to git (an editor, a CLI edit not committed yet),
// which the dashboard may apply on top of, gets a commit of its own by the
// server, saying so, instead of going into this user's commit under their name.
func TestUIGitCommitsOnlyTheUsersChange(t *testing.T) {
	for _, propose := range []bool{false, true} {
		t.Run(map[bool]string{false: "commit", true: "propose"}[propose], func(t *testing.T) {
			g := newGitRepos(t)
			u := startGitUI(t, g, GitConfig{Propose: propose})
			path := filepath.Join(g.server, "flags", "production.yaml")
			edited := strings.Replace(uiProduction, "    enabled: false\n", "    enabled: false\n    actors:\n      \"user:666\": true\n", 1)
			if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			res := u.post("/ui/env/production/flags/dark_mode_enabled/actors", url.Values{"hash": {u.hash("production")}, "actors": {"user:2"}, "on": {"false"}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("%d %s", res.status, res.body)
			}
			tip := "HEAD"
			if propose {
				tip = run(t, g.server, "for-each-ref", "--format=%(refname)", "refs/heads/flagctl/")
				if u.file("production") != edited {
					t.Errorf("--propose changed the work tree:\n%s", u.file("production"))
				}
			}
			mine := run(t, g.server, "show", "--format=%an|%s", tip)
			if !strings.HasPrefix(mine, "Ada Lovelace|dark_mode_enabled [production]: + actor user:2 off\n") || strings.Contains(mine, "user:666") {
				t.Errorf("the user's commit:\n%s", mine)
			}
			theirs := run(t, g.server, "show", "--format=%an|%s", tip+"~1")
			if !strings.HasPrefix(theirs, "flagctl serve|") || !strings.Contains(theirs, "not committed") ||
				!strings.Contains(theirs, "new_checkout_enabled [production]: + actor user:666 on") || strings.Contains(theirs, "user:2") {
				t.Errorf("the uncommitted change's commit:\n%s", theirs)
			}
		})
	}
}

// TestUIRefusesRestoringAnInvalidVersion: restoring a flag to a commit where
// its text was invalid would write what the parser could read of it, which
// was never served: refused, with the errors.
func TestUIRefusesRestoringAnInvalidVersion(t *testing.T) {
	g := newGitRepos(t)
	u := startGitUI(t, g, GitConfig{})
	path := filepath.Join(g.server, "flags", "production.yaml")
	broken := strings.Replace(uiProduction, "  dark_mode_enabled:\n    enabled: true\n", "  dark_mode_enabled:\n    enabled: yes\n", 1)
	if broken == uiProduction {
		t.Fatal("fixture: nothing replaced")
	}
	for _, body := range []string{broken, uiProduction} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, g.server, "commit", "--quiet", "-am", "hand edit")
	}
	rev := run(t, g.server, "rev-parse", "HEAD~1")
	before := u.file("production")
	res := u.post("/ui/env/production/flags/dark_mode_enabled/restore", url.Values{"hash": {u.hash("production")}, "rev": {rev}, "reviewed": {"yes"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(string(res.body)), `enabled: "yes" is not a boolean`) {
		t.Errorf("%d %s", res.status, res.body)
	}
	if u.file("production") != before {
		t.Fatalf("production changed:\n%s", u.file("production"))
	}
}
