package stale

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
	"github.com/flagctl/flagctl/pkg/refscan"
)

func parse(t *testing.T, env, body string) *flagfile.File {
	t.Helper()
	f, err := flagfile.Parse(env+".yaml", []byte("version: 1\nenvironment: "+env+"\nflags:\n"+body), flagfile.ParseOptions{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestHolds(t *testing.T) {
	on := "  x_enabled: true\n"
	off := "  x_enabled: false\n"
	some := "  x_enabled:\n    percentage_of_actors: 5%\n"
	banned := "  x_enabled:\n    enabled: true\n    groups:\n      banned: false\n"
	none := "  other_enabled: true\n"
	tests := []struct {
		name         string
		staging, pro string
		kind         string
		want         bool
	}{
		{"on everywhere", on, on, FullyOn, true},
		{"on, missing in one", on, none, FullyOn, false},
		{"on with a disabled group", on, banned, FullyOn, false},
		{"off everywhere", off, off, Dead, true},
		{"off, missing in one", off, none, Dead, true},
		{"missing everywhere is not dead", none, none, Dead, false},
		{"percentage enables some", off, some, Dead, false},
	}
	for _, tt := range tests {
		files := []*flagfile.File{parse(t, "staging", tt.staging), parse(t, "production", tt.pro)}
		if got := holds(files, "x_enabled", tt.kind, time.Time{}); got != tt.want {
			t.Errorf("%s: holds = %v, want %v", tt.name, got, tt.want)
		}
	}
	if holds([]*flagfile.File{nil, nil}, "x_enabled", Dead, time.Time{}) {
		t.Error("no files: dead")
	}
}

func TestCheckWithoutGit(t *testing.T) {
	body := "  old_enabled:\n    kind: release\n    created: 2026-01-01\n    enabled: false\n" +
		"  young_enabled:\n    kind: release\n    created: 2026-12-20\n    enabled: true\n" +
		"  gone_enabled:\n    kind: ops\n    expires: 2026-06-01\n"
	envs := []Env{{Name: "staging", Path: "/p/flags/staging.yaml", File: parse(t, "staging", body)}}
	scan := &refscan.Result{
		Refs:    map[string][]refscan.Ref{"old_enabled": {{Flag: "old_enabled", File: "/p/a.go", Line: 1}}, "young_enabled": {{Flag: "young_enabled", File: "/p/a.go", Line: 2}}},
		Checked: []refscan.Ref{{Flag: "old_enabld", File: "/p/a.go", Line: 3}},
	}
	today, _ := flagfile.ParseDate("2026-12-31")
	got, err := Check(Input{Envs: envs, Scan: scan, Today: today, Root: "/p"}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, f := range got {
		kinds = append(kinds, f.Kind+" "+f.Flag+" "+f.File)
	}
	want := []string{"expired gone_enabled flags/staging.yaml", "dead old_enabled flags/staging.yaml", "unreferenced gone_enabled flags/staging.yaml", "undefined-reference old_enabld a.go"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("Check = %v\nwant %v", kinds, want)
	}
	cfg := DefaultConfig()
	cfg.Severity[Dead] = SeverityOff
	cfg.Ignore["gone_enabled"] = true
	got, _ = Check(Input{Envs: envs, Scan: scan, Today: today}, cfg)
	if len(got) != 1 || got[0].Kind != UndefinedRef {
		t.Errorf("severity off and ignore: %+v", got)
	}
}

func TestScanGeneratedNames(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.go")
	os.WriteFile(src, []byte("f.APIEnabled2.Enabled()\n"), 0o644)
	envs := []Env{{Name: "staging", File: parse(t, "staging", "  api_enabled: true\n  api__enabled: true\n")}}
	patterns, err := CompilePatterns(DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	res := Scan([]string{src}, envs, patterns, []string{"extra_name"})
	if len(res.Refs["api_enabled"]) != 1 || len(res.Refs["api__enabled"]) != 0 {
		t.Errorf("refs = %v", res.Refs)
	}
	if _, err := CompilePatterns([]string{`isOn\('[a-z]+'\)`}); err == nil {
		t.Error("a pattern without a group compiled")
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]int{"30d": 30, "4w": 28, "720h": 30, "0d": 0} {
		if got, err := ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"30", "-1d", "xd", "soon"} {
		if _, err := ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q): no error", bad)
		}
	}
}

// TestCheckShallow: in a shallow clone Check fails with ErrShallow unless
// AllowShallow (then a state held since the cut is judged by created:), and a
// new flag's age starts at the commit that added it, not before.
func TestCheckShallow(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is not installed; run make test-deps")
	}
	dir := t.TempDir()
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@x", "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@x",
			"GIT_AUTHOR_DATE="+date+"T10:00:00Z", "GIT_COMMITTER_DATE="+date+"T10:00:00Z", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	path := filepath.Join(dir, "production.yaml")
	write := func(body string) {
		os.WriteFile(path, []byte("version: 1\nenvironment: production\nflags:\n"+body), 0o644)
	}
	old := "  old_enabled:\n    kind: release\n    created: 2026-01-01\n    enabled: false\n"
	git("2026-01-01", "init", "-q")
	write(old)
	git("2026-01-01", "add", "-A")
	git("2026-01-01", "commit", "-q", "-m", "old")
	write(old + "  new_enabled:\n    kind: release\n    created: 2026-03-01\n    enabled: false\n")
	git("2026-03-01", "commit", "-q", "-am", "new")

	check := func(repoDir string, cfg Config, today string) ([]string, error) {
		r, err := history.Open(repoDir)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(repoDir, "production.yaml")
		data, _ := os.ReadFile(p)
		f, _ := flagfile.Parse(p, data, flagfile.ParseOptions{Env: "production"})
		d, _ := flagfile.ParseDate(today)
		cfg.Severity[Unreferenced] = SeverityOff
		got, err := Check(Input{Envs: []Env{{Name: "production", Path: p, Expect: "production", File: f}}, Repo: r, Today: d}, cfg)
		var out []string
		for _, fd := range got {
			out = append(out, fd.Flag+" "+fd.Since)
		}
		return out, err
	}
	got, err := check(dir, DefaultConfig(), "2026-03-02")
	if err != nil || !reflect.DeepEqual(got, []string{"old_enabled 2026-01-01"}) {
		t.Errorf("full history, 2026-03-02: %v %v", got, err)
	}
	got, err = check(dir, DefaultConfig(), "2026-04-15")
	if err != nil || !reflect.DeepEqual(got, []string{"old_enabled 2026-01-01", "new_enabled 2026-03-01"}) {
		t.Errorf("full history, 2026-04-15: %v %v", got, err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	git("2026-03-01", "clone", "-q", "--depth", "1", "file://"+dir, clone)
	if _, err := check(clone, DefaultConfig(), "2026-04-15"); !errors.Is(err, ErrShallow) {
		t.Errorf("shallow clone: %v, want ErrShallow", err)
	}
	cfg := DefaultConfig()
	cfg.AllowShallow = true
	got, err = check(clone, cfg, "2026-04-15")
	if err != nil || !reflect.DeepEqual(got, []string{"old_enabled 2026-01-01", "new_enabled 2026-03-01"}) {
		t.Errorf("shallow clone, AllowShallow: %v %v", got, err)
	}
}
