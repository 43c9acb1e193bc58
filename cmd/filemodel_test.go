package cmd

import (
	"strings"
	"testing"
)

// TestPromoteDisjointGates: promote and restore replace a gate mapping whole even
// when the source and target lists share no key (issue 13).
func TestPromoteDisjointGates(t *testing.T) {
	steps := [][]string{
		{"create", "f_enabled"},
		{"enable", "f_enabled", "--env", "production", "--group", "a"},
		{"enable", "f_enabled", "--env", "staging", "--group", "b"},
		{"enable", "f_enabled", "--env", "staging", "--actor", "user:2"},
		{"enable", "f_enabled", "--env", "production", "--actor", "user:1"},
	}
	tests := []struct {
		name string
		argv []string
		want string // the flag in production afterwards
	}{
		{"one", []string{"promote", "f_enabled", "--from", "staging", "--to", "production"},
			"  f_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n    actors:\n      \"user:2\": true\n    groups:\n      b: true\n"},
		{"all", []string{"promote", "--all", "--from", "staging", "--to", "production"},
			"  f_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n    actors:\n      \"user:2\": true\n    groups:\n      b: true\n"},
		{"dry run", []string{"promote", "f_enabled", "--from", "staging", "--to", "production", "--dry-run"},
			"  f_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n    actors:\n      \"user:1\": true\n    groups:\n      a: true\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
				"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags: {}\n",
				"flags/production.yaml": "version: 1\nenvironment: production\nflags: {}\n",
			})
			for _, argv := range steps {
				if code, _, stderr := p.run(argv...); code != 0 {
					t.Fatalf("%v: exit %d: %s", argv, code, stderr)
				}
			}
			code, stdout, stderr := p.run(tt.argv...)
			if code != 0 {
				t.Fatalf("exit %d: %s%s", code, stdout, stderr)
			}
			got := p.read("flags/production.yaml")
			if _, flag, _ := strings.Cut(got, "flags:\n"); flag != tt.want {
				t.Errorf("production.yaml:\n%s\nwant flag:\n%s", got, tt.want)
			}
		})
	}
}

// TestRestoreDisjointGates: restore to a revision whose gate list shares no key
// with today's.
func TestRestoreDisjointGates(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  f_enabled:\n    groups:\n      a: true\n",
	})
	gitCmd(t, p.dir, "init", "-q", "-b", "main")
	gitCmd(t, p.dir, "add", ".")
	gitCmd(t, p.dir, "commit", "-q", "-m", "a")
	for _, argv := range [][]string{
		{"enable", "f_enabled", "--env", "production", "--group", "b"},
		{"clear", "f_enabled", "--env", "production", "--group", "a"},
	} {
		if code, _, stderr := p.run(argv...); code != 0 {
			t.Fatalf("%v: exit %d: %s", argv, code, stderr)
		}
	}
	for _, dry := range []bool{true, false} {
		argv := []string{"restore", "f_enabled", "--env", "production", "--to", "HEAD"}
		want := "version: 1\nenvironment: production\nflags:\n  f_enabled:\n    groups:\n      b: true\n"
		if dry {
			argv = append(argv, "--dry-run")
		} else {
			want = "version: 1\nenvironment: production\nflags:\n  f_enabled:\n    groups:\n      a: true\n"
		}
		if code, stdout, stderr := p.run(argv...); code != 0 {
			t.Fatalf("%v: exit %d: %s%s", argv, code, stdout, stderr)
		}
		if got := p.read("flags/production.yaml"); got != want {
			t.Errorf("%v: production.yaml:\n%s\nwant:\n%s", argv, got, want)
		}
	}
}

// TestRestoreBesideInvalidFlag: restore edits beside a broken flag like the
// other verbs (a warning); --strict refuses and writes nothing.
func TestRestoreBesideInvalidFlag(t *testing.T) {
	const before = "version: 1\nenvironment: production\nflags:\n  a_enabled: false\n  b_enabled:\n    descripton: typo\n    enabled: true\n"
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
		"flags/production.yaml": before,
	})
	gitCmd(t, p.dir, "init", "-q", "-b", "main")
	gitCmd(t, p.dir, "add", ".")
	gitCmd(t, p.dir, "commit", "-q", "-m", "a")
	if code, _, stderr := p.run("enable", "a_enabled", "--env", "production"); code != 0 {
		t.Fatalf("enable: exit %d: %s", code, stderr)
	}
	enabled := strings.Replace(before, "a_enabled: false", "a_enabled: true", 1)
	tests := []struct {
		argv     []string
		code     int
		want     string
		inStderr string
	}{
		{[]string{"restore", "a_enabled", "--env", "production", "--to", "HEAD", "--strict"}, 3, enabled, "--strict"},
		{[]string{"restore", "a_enabled", "--env", "production", "--to", "HEAD"}, 0, before, `unknown key "descripton"`},
	}
	for _, tt := range tests {
		code, _, stderr := p.run(tt.argv...)
		if code != tt.code || !strings.Contains(stderr, tt.inStderr) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d and %q", tt.argv, code, stderr, tt.code, tt.inStderr)
		}
		if got := p.read("flags/production.yaml"); got != tt.want {
			t.Errorf("%v: production.yaml:\n%s\nwant:\n%s", tt.argv, got, tt.want)
		}
	}
}

// TestEditBesideInvalidFlag: a typo in one flag does not block the kill switch
// of another; --strict restores the refusal; the broken flag itself is refused.
func TestEditBesideInvalidFlag(t *testing.T) {
	const prod = "version: 1\nenvironment: production\nflags:\n  a_enabled: true   # kill switch\n  b_enabled:\n    descripton: typo\n    enabled: true\n"
	tests := []struct {
		argv     []string
		code     int
		want     string // production.yaml afterwards
		inStderr string
	}{
		{[]string{"disable", "a_enabled", "--env", "production"}, 0,
			"version: 1\nenvironment: production\nflags:\n  a_enabled: false  # kill switch\n  b_enabled:\n    descripton: typo\n    enabled: true\n",
			"flags/production.yaml:6:5: unknown key \"descripton\""},
		{[]string{"enable", "a_enabled", "--env", "production", "--actor", "user:1"}, 0,
			"version: 1\nenvironment: production\nflags:\n  a_enabled:  # kill switch\n    enabled: true\n    actors:\n      \"user:1\": true\n  b_enabled:\n    descripton: typo\n    enabled: true\n",
			`unknown key "descripton"`},
		{[]string{"clear", "a_enabled", "--env", "production", "--boolean"}, 0,
			"version: 1\nenvironment: production\nflags:\n  a_enabled: {}     # kill switch\n  b_enabled:\n    descripton: typo\n    enabled: true\n",
			`unknown key "descripton"`},
		{[]string{"disable", "a_enabled", "--env", "production", "--strict"}, 3, prod, `unknown key "descripton"`},
		{[]string{"enable", "a_enabled", "--env", "production", "--strict"}, 3, prod, `--strict`},
		{[]string{"clear", "a_enabled", "--env", "production", "--strict"}, 3, prod, `--strict`},
		{[]string{"disable", "b_enabled", "--env", "production"}, 3, prod, `unknown key "descripton"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
				"flags/production.yaml": prod,
			})
			code, _, stderr := p.run(tt.argv...)
			if code != tt.code || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tt.code, tt.inStderr)
			}
			if got := p.read("flags/production.yaml"); got != tt.want {
				t.Errorf("production.yaml:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestNullAndFlowFlags: "flags: ~" and "flags: null" take new flags; a flow-style
// flags mapping is refused with advice (exit 3), never an internal error.
func TestNullAndFlowFlags(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production, dev]\n",
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags: ~\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags: null  # none yet\n",
		"flags/dev.yaml":        "version: 1\nenvironment: dev\nflags:\n",
	})
	if code, stdout, stderr := p.run("create", "a_enabled"); code != 0 {
		t.Fatalf("create: exit %d: %s%s", code, stdout, stderr)
	}
	for file, want := range map[string]string{
		"flags/staging.yaml":    "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:  # none yet\n  a_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n",
		"flags/dev.yaml":        "version: 1\nenvironment: dev\nflags:\n  a_enabled:\n    kind: release\n    created: 2026-11-21\n    enabled: false\n",
	} {
		if got := p.read(file); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", file, got, want)
		}
	}

	const flow = "version: 1\nenvironment: staging\nflags: {a: true, b: false}\n"
	p = newProject(t, map[string]string{
		".flagctl.yaml":      "dir: flags\nenvironments: [staging]\n",
		"flags/staging.yaml": flow,
	})
	for _, argv := range [][]string{{"disable", "a"}, {"enable", "b", "--actor", "user:1"}, {"remove", "a"}, {"create", "c_enabled"}} {
		code, _, stderr := p.run(argv...)
		if code == 0 || !strings.Contains(stderr, `flags is written in flow style ({...}); run "flagctl fmt" first`) || strings.Contains(stderr, "internal error") {
			t.Errorf("%v: exit %d, stderr:\n%s", argv, code, stderr)
		}
		if got := p.read("flags/staging.yaml"); got != flow {
			t.Errorf("%v changed the file:\n%s", argv, got)
		}
	}
}

// TestFmtQuotesMergeKey: fmt never writes a file that does not parse
// (description: '<<' must stay quoted, or it becomes a merge key).
func TestFmtQuotesMergeKey(t *testing.T) {
	const in = "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    description: '<<'\n    enabled: true    # aligned\n    owner: team-a    # aligned\n"
	p := newProject(t, map[string]string{".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml": in})
	if code, _, stderr := p.run("fmt"); code != 0 {
		t.Fatalf("fmt: exit %d: %s", code, stderr)
	}
	want := "version: 1\nenvironment: staging\nflags:\n  a_enabled:\n    description: \"<<\"\n    enabled: true    # aligned\n    owner: team-a    # aligned\n"
	if got := p.read("flags/staging.yaml"); got != want {
		t.Errorf("fmt wrote:\n%s\nwant:\n%s", got, want)
	}
	if code, stdout, stderr := p.run("lint"); code != 0 {
		t.Errorf("lint after fmt: exit %d: %s%s", code, stdout, stderr)
	}
}
