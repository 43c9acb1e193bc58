package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// testRepo is a git repository in a temporary directory with scripted commits.
type testRepo struct {
	t   *testing.T
	dir string
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed; run make test-deps")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git(nil, "init", "-q", "-b", "main")
	return r
}

func (r *testRepo) git(env []string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.dir, "GIT_COMMITTER_NAME=CI", "GIT_COMMITTER_EMAIL=ci@example.com")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// commit writes files (content "" removes the file) and commits on date.
func (r *testRepo) commit(author, date, msg string, files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, name)
		if content == "" {
			os.Remove(p)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	d := date + "T10:00:00+00:00"
	r.git(nil, "add", "-A")
	r.git([]string{"GIT_AUTHOR_NAME=" + author, "GIT_AUTHOR_EMAIL=" + strings.ToLower(author) + "@example.com", "GIT_AUTHOR_DATE=" + d, "GIT_COMMITTER_DATE=" + d}, "commit", "-q", "--allow-empty", "-m", msg)
}

func prod(body string) string { return "version: 1\nenvironment: production\nflags:\n" + body }

func TestParseLogForged(t *testing.T) {
	hash := strings.Repeat("b", 40)
	fake := "x\x01" + strings.Repeat("a", 40) + "\x1fAdmin\x1fadmin@x\x1f2020-01-01T00:00:00+00:00\x1fforged\n:100644 100644 " + strings.Repeat("1", 40)
	out := hash + "\x00Eve\x00eve@x\x002026-10-01T10:00:00+00:00\x00" + fake + "\x00\x00\n:100644 100644 " + strings.Repeat("1", 40) + " " + strings.Repeat("2", 40) + " M\x00flags/p.yaml\x00" +
		strings.Repeat("c", 40) + "\x00Bob\x00bob@x\x002026-09-01T10:00:00+00:00\x00ends\x01\x00\x00\n:000000 100644 " + ZeroID + " " + strings.Repeat("3", 40) + " A\x00flags/p.yaml\x00"
	got, err := parseLog(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Hash != hash || got[0].Author != "Eve" || got[0].Subject != fake || len(got[0].Changes) != 1 ||
		got[1].Subject != "ends\x01" || len(got[1].Changes) != 1 || got[1].Changes[0].Old != ZeroID {
		t.Errorf("parseLog = %+v", got)
	}
	if _, err := parseLog(hash + "\x00Eve\x00"); err == nil {
		t.Error("a truncated header parsed")
	}
}

func TestEscapeControl(t *testing.T) {
	for in, want := range map[string]string{
		"plain subject ü":    "plain subject ü",
		"red \x1b[31m":       `red \x1b[31m`,
		"a\x01b\tc\r\n":      `a\x01b\tc\r\n`,
		"rtl \u202e txt":     `rtl \u202e txt`,
		"bad \xff utf8":      `bad \xff utf8`,
		"real \ufffd kept":   "real \ufffd kept",
		"del \x7f c1 \u0085": `del \x7f c1 \u0085`,
	} {
		if got := EscapeControl(in); got != want {
			t.Errorf("EscapeControl(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeJSON(t *testing.T) {
	in := []byte("{\"subject\": \"del \x7f csi \u009b[31m rtl \u202e ok \u00e9\"}")
	got := EscapeJSON(in)
	want := `{"subject": "del \u007f csi \u009b[31m rtl \u202e ok é"}`
	if string(got) != want {
		t.Errorf("EscapeJSON = %s, want %s", got, want)
	}
	var a, b map[string]string
	if err := json.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil || a["subject"] != b["subject"] {
		t.Errorf("decodes differently: %q vs %q (%v)", a, b, err)
	}
}

func TestCheckDate(t *testing.T) {
	for v, ok := range map[string]bool{
		"2026-10-04": true, "2026-10-04T11:00:00": true, "2026-10-04T11:00": true, "2026-10-04T11:00:00+02:00": true,
		"2 weeks ago": true, "1.day.ago": true,
		"2026-13-45": false, "2026-02-30": false, "someday": false, "2026-10-04T25:00:00": false, "": false, "--all": false,
	} {
		if err := CheckDate(v); (err == nil) != ok || err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("CheckDate(%q) = %v, want ok=%v", v, err, ok)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNotRepository) {
		t.Errorf("outside a repository: %v", err)
	}
	r := newTestRepo(t)
	os.WriteFile(filepath.Join(r.dir, ".git", "config"), []byte("[core\nbroken"), 0o644)
	_, err := Open(r.dir)
	var ge *GitError
	if !errors.As(err, &ge) || !strings.Contains(err.Error(), "bad config line") {
		t.Errorf("broken repository: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Open(r.dir); !errors.Is(err, ErrNoGit) {
		t.Errorf("without git: %v", err)
	}
}

func TestHistoryAndWalk(t *testing.T) {
	r := newTestRepo(t)
	r.commit("Alice", "2026-10-01", "add", map[string]string{"flags/production.yaml": prod("  a_enabled: false\n")})
	r.commit("Bob", "2026-10-02", "on", map[string]string{"flags/production.yaml": prod("  a_enabled: true\n")})
	r.commit("Carol", "2026-10-03", "broken", map[string]string{"flags/production.yaml": prod("  a_enabled: [true\n")})
	r.commit("Dan", "2026-10-04", "fixed, comment", map[string]string{"flags/production.yaml": "# hi\n" + prod("  a_enabled: true\n")})
	r.commit("Eve", "2026-10-05", "removed", map[string]string{"flags/production.yaml": ""})
	repo, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	files := []File{{Env: "production", Path: filepath.Join(r.dir, "flags", "production.yaml"), Expect: "production"}}
	entries, err := repo.History(files, LogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		s := e.Author + ":"
		for _, c := range e.Changes {
			s += " " + c.String()
		}
		for _, n := range e.Notes {
			s += " " + n
		}
		got = append(got, s)
	}
	want := []string{
		"Eve: a_enabled [production]: removed",
		"Dan: [production]: not compared: the file is invalid on one side",
		"Carol: [production]: not compared: the file is invalid on one side",
		"Bob: a_enabled [production]: boolean off → on",
		"Alice: a_enabled [production]: added (+ boolean off)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("History:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var evs []string
	for _, ev := range Events(entries, "a_enabled") {
		evs = append(evs, ev.Author+" "+ev.Change.Type)
	}
	if want := []string{"Eve removed", "Bob changed", "Alice added"}; !reflect.DeepEqual(evs, want) {
		t.Errorf("Events = %v, want %v", evs, want)
	}
	if len(Events(entries, "other_enabled")) != 0 {
		t.Error("events of a flag never changed")
	}
	entries, err = repo.History(files, LogOptions{Since: "2026-10-02", Until: "2026-10-02"})
	if err != nil || len(entries) != 1 || entries[0].Author != "Bob" {
		t.Errorf("History since/until: %v %+v", err, entries)
	}
	var states []string
	err = repo.Walk(files, func(c *Commit, state []*flagfile.File) {
		s := c.Author + "@" + c.Time.Format("01-02") + ":"
		switch fl := state[0]; {
		case fl == nil:
			s += "no file"
		case fl.Flag("a_enabled") == nil:
			s += "no flag"
		default:
			s += fmt.Sprint(fl.Flag("a_enabled").BooleanOn())
		}
		states = append(states, s)
	})
	wantStates := []string{"Alice@10-01:false", "Bob@10-02:true", "Carol@10-03:true", "Dan@10-04:true", "Eve@10-05:no file"}
	if err != nil || !reflect.DeepEqual(states, wantStates) {
		t.Errorf("Walk: %v %v, want %v", err, states, wantStates)
	}
}

func TestShallow(t *testing.T) {
	r := newTestRepo(t)
	r.commit("Alice", "2026-10-01", "add", map[string]string{"flags/production.yaml": prod("  a_enabled: false\n")})
	r.commit("Bob", "2026-10-02", "on", map[string]string{"flags/production.yaml": prod("  a_enabled: true\n  b_enabled: true\n")})
	full, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := full.Shallow(); s || err != nil {
		t.Errorf("full clone: shallow %v %v", s, err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	r.git(nil, "clone", "-q", "--depth", "1", "file://"+r.dir, clone)
	repo, err := Open(clone)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := repo.Shallow(); !s || err != nil {
		t.Errorf("depth-1 clone: shallow %v %v", s, err)
	}
	entries, err := repo.History([]File{{Env: "production", Path: filepath.Join(clone, "flags", "production.yaml")}}, LogOptions{})
	if err != nil || len(entries) != 1 || !entries[0].Truncated || len(entries[0].Changes) != 0 || entries[0].Notes[0] != CutNote {
		t.Errorf("History in a shallow clone: %v %+v", err, entries)
	}
}

func TestShowAndVerify(t *testing.T) {
	r := newTestRepo(t)
	r.commit("Alice", "2026-10-01", "add", map[string]string{"flags/production.yaml": prod("  a_enabled: false\n")})
	repo, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := repo.Show("HEAD", "flags/production.yaml"); err != nil || !strings.Contains(string(b), "a_enabled") {
		t.Errorf("Show: %q %v", b, err)
	}
	if b, err := repo.Show("HEAD", "flags/nope.yaml"); err != nil || b != nil {
		t.Errorf("Show of a missing file: %q %v", b, err)
	}
	if _, err := repo.Verify("nope"); !errors.Is(err, ErrUnknownRevision) {
		t.Errorf("Verify(nope): %v", err)
	}
	if _, err := repo.Rel("/elsewhere/x.yaml"); !errors.Is(err, ErrOutside) {
		t.Errorf("Rel outside: %v", err)
	}
	os.WriteFile(filepath.Join(r.dir, ".git", "config"), []byte("[core\nbroken"), 0o644)
	var ge *GitError
	if _, err := repo.Show("HEAD", "flags/production.yaml"); !errors.As(err, &ge) {
		t.Errorf("Show with git failing: %v (want a *GitError, not \"missing\")", err)
	}
}

// TestRepositoryWithoutCommits: a repository git init just made has no
// history: Log, History and Walk find no commit instead of failing.
func TestRepositoryWithoutCommits(t *testing.T) {
	r := newTestRepo(t)
	os.MkdirAll(filepath.Join(r.dir, "flags"), 0o755)
	if err := os.WriteFile(filepath.Join(r.dir, "flags", "production.yaml"), []byte(prod("  a_enabled: true\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err := Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	files := []File{{Env: "production", Path: filepath.Join(r.dir, "flags", "production.yaml"), Expect: "production"}}
	tests := []struct {
		name string
		run  func() (int, error)
	}{
		{"Log", func() (int, error) {
			c, err := repo.Log([]string{"flags/production.yaml"}, LogOptions{})
			return len(c), err
		}},
		{"History", func() (int, error) { e, err := repo.History(files, LogOptions{}); return len(e), err }},
		{"Walk", func() (int, error) {
			n := 0
			err := repo.Walk(files, func(*Commit, []*flagfile.File) { n++ })
			return n, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n, err := tt.run(); err != nil || n != 0 {
				t.Fatalf("%d commits, err %v; want none and no error", n, err)
			}
		})
	}
}
