package serve

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestUIListPage(t *testing.T) {
	u := startUI(t, UIConfig{})
	tests := []struct {
		name, query string
		want, not   []string
	}{
		{"every flag, environments in order", "", []string{"new_checkout_enabled", "dark_mode_enabled", "search_v2_enabled", "3 of 3"}, nil},
		{"by name", "?q=dark", []string{"dark_mode_enabled", "1 of 3"}, []string{">new_checkout_enabled<"}},
		{"by description", "?q=checkout+FLOW", []string{"new_checkout_enabled"}, []string{">dark_mode_enabled<"}},
		{"by owner", "?owner=team-payments", []string{"new_checkout_enabled", "1 of 3"}, []string{">search_v2_enabled<"}},
		{"by kind", "?kind=release", []string{"new_checkout_enabled"}, []string{">search_v2_enabled<"}},
		{"by state anywhere", "?state=missing", []string{"search_v2_enabled", "1 of 3"}, []string{">dark_mode_enabled<"}},
		{"by state in one environment", "?state=partly&env=production", []string{"dark_mode_enabled", "1 of 3"}, []string{">new_checkout_enabled<"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := u.get("/ui/" + tt.query)
			if res.status != http.StatusOK {
				t.Fatalf("%d %s", res.status, res.body)
			}
			body := string(res.body)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("page has %q", n)
				}
			}
		})
	}
	body := string(u.get("/ui/").body)
	if strings.Index(body, ">staging<") > strings.Index(body, ">production<") {
		t.Error("environments are not in the configured (promotion) order")
	}
	// dark_mode_enabled: on in staging, partly in production (user:1 off);
	// new_checkout_enabled: partly in staging (one actor), off in production.
	states := regexp.MustCompile(`class="state (\w+)" data-env="(\w+)"`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, m := range states {
		got = append(got, m[2]+"="+m[1])
	}
	want := "staging=on production=partly staging=partly production=off staging=off production=missing"
	if strings.Join(got, " ") != want {
		t.Errorf("states %v, want %s", got, want)
	}
}

func TestUIFlagPage(t *testing.T) {
	u := startUI(t, UIConfig{})
	res := u.get("/ui/flags/dark_mode_enabled")
	if res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.body)
	}
	body := string(res.body)
	for _, w := range []string{`id="env-staging"`, `id="env-production"`, "user:1", `value="` + u.hash("production") + `"`, `for="actors-staging"`, `name="value" value="25"`} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for path, status := range map[string]int{"/ui/flags/no_such_flag": 404, "/ui/flags/Bad..Name": 404, "/ui/flags/%3Cscript%3E": 404} {
		if res := u.get(path); res.status != status {
			t.Errorf("%s: %d, want %d", path, res.status, status)
		}
	}
}

func TestUISecurityHeadersAndNoInlineScript(t *testing.T) {
	u := startUI(t, usersConfig(t))
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`)
	if res := u.get("/ui/login"); res.status != http.StatusOK || !strings.Contains(string(res.body), `type="password"`) {
		t.Fatalf("login page: %d", res.status)
	}
	for i, path := range []string{"/ui/login", "/ui/", "/ui/flags/dark_mode_enabled", "/ui/flags/dark_mode_enabled/history", "/ui/flags/nope_enabled"} {
		if i == 1 {
			u.login("ada", "correct horse")
		}
		res := u.get(path)
		if res.status != http.StatusOK && res.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.status)
		}
		csp := res.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if res.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if inline.Match(res.body) {
			t.Errorf("%s has an inline script", path)
		}
	}
	if res := u.get("/ui/static/style.css"); res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("style.css: %d %s", res.status, res.header.Get("Content-Type"))
	}
}

func TestUIListShowsStaleFindings(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": `version: 1
environment: staging
flags:
  old_banner_enabled:
    kind: release
    expires: 2020-01-31
  fresh_enabled:
    kind: release
    expires: 2999-01-01
`})
	_, ts := start(t, Config{Environments: []Environment{f.env("staging")}, UI: &UIConfig{}})
	res := do(t, "GET", ts.URL+"/ui/", "")
	body := string(res.body)
	i, j := strings.Index(body, ">old_banner_enabled<"), strings.Index(body, ">fresh_enabled<")
	if i < 0 || j < 0 {
		t.Fatalf("%d %s", res.status, body)
	}
	row := func(from int) string { return body[from : from+strings.Index(body[from:], "</tr>")] }
	if !strings.Contains(row(i), `class="badge stale"`) || !strings.Contains(row(i), "expired") {
		t.Errorf("no expired finding on old_banner_enabled: %s", row(i))
	}
	if strings.Contains(row(j), `class="badge stale"`) {
		t.Errorf("a finding on fresh_enabled: %s", row(j))
	}
}

// TestUIShowsInvalidFlags: a flag that is invalid in the file (a hand edit) is
// served from its last good state, so the dashboard must not describe the
// file's broken text as its state ("off", "Boolean not set" while the server
// answers true): the list and flag pages say it is invalid, and why.
func TestUIShowsInvalidFlags(t *testing.T) {
	u := startUI(t, UIConfig{})
	waitChange(t, u.s, "staging", func() {
		u.f.write("staging", strings.Replace(uiStaging, "  dark_mode_enabled: true # everyone\n", "  dark_mode_enabled:\n    enabled: yes\n", 1))
	})
	if d := u.s.envs["staging"].set.Load().ev.Explain("dark_mode_enabled", nil); !d.Enabled || !d.LastGood {
		t.Fatalf("fixture: served %+v, want its last good state, on", d)
	}
	list := string(u.get("/ui/").body)
	i := strings.Index(list, ">dark_mode_enabled<")
	if i < 0 {
		t.Fatal("list lacks dark_mode_enabled")
	}
	if !strings.Contains(list[i:], `class="state invalid" data-env="staging"`) {
		t.Errorf("list row: %.600s", list[i:])
	}
	page := html.UnescapeString(string(u.get("/ui/flags/dark_mode_enabled").body))
	for _, want := range []string{`state-badge invalid`, `last good state`, `enabled: "yes" is not a boolean`} {
		if !strings.Contains(page, want) {
			t.Errorf("flag page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="h-staging">staging <span class="state-badge off">`) {
		t.Error("flag page says staging is off")
	}
}
