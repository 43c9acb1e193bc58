package serve

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

func TestUIConflict(t *testing.T) {
	u := startUI(t, UIConfig{})
	shown := u.hash("staging")
	u.get("/ui/flags/new_checkout_enabled") // the page the user acts on
	// Meanwhile the CLI (another writer) adds an actor.
	if _, _, err := flagfile.Update(u.f.path("staging"), flagfile.ParseOptions{}, flagfile.SetActor("new_checkout_enabled", "user:99", true)); err != nil {
		t.Fatal(err)
	}
	theirs := u.file("staging")
	res := u.post("/ui/env/staging/flags/new_checkout_enabled/percentage", url.Values{"hash": {shown}, "value": {"10"}})
	if res.status != http.StatusConflict {
		t.Fatalf("%d %s", res.status, res.body)
	}
	if u.file("staging") != theirs {
		t.Fatal("a conflicting change was written")
	}
	body := html.UnescapeString(string(res.body))
	if !strings.Contains(body, "new_checkout_enabled [staging]: + actor user:99 on") {
		t.Fatalf("the conflict page does not show their change:\n%s", body)
	}
	// Re-apply on top: the form carries the current hash and the same action.
	m := regexp.MustCompile(`name="hash" value="([0-9a-f]{64})"`).FindStringSubmatch(body)
	if m == nil || m[1] != u.hash("staging") {
		t.Fatalf("the re-apply form does not carry the current hash: %v", m)
	}
	if !strings.Contains(body, `name="value" value="10"`) {
		t.Fatal("the re-apply form lost the action's values")
	}
	res = u.post("/ui/env/staging/flags/new_checkout_enabled/percentage", url.Values{"hash": {m[1]}, "value": {"10"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("re-apply: %d %s", res.status, res.body)
	}
	got := u.file("staging")
	if !strings.Contains(got, `"user:99": true`) || !strings.Contains(got, "percentage_of_actors: 10%") {
		t.Fatalf("both changes should be in the file:\n%s", got)
	}
}

func TestUIProtectedEnvironment(t *testing.T) {
	u := startUI(t, UIConfig{Protected: []string{"production"}})
	if body := string(u.get("/ui/flags/new_checkout_enabled").body); !strings.Contains(body, "Protected environment") {
		t.Error("no protected banner")
	}
	before := u.file("production")
	form := url.Values{"hash": {u.hash("production")}, "actors": {"user:5"}, "on": {"true"}}
	for _, typed := range []string{"", "dark_mode_enabled", "NEW_CHECKOUT_ENABLED"} {
		form.Set("confirm", typed)
		res := u.post("/ui/env/production/flags/new_checkout_enabled/actors", form)
		if res.status != http.StatusPreconditionRequired || !strings.Contains(string(res.body), `name="confirm"`) {
			t.Fatalf("confirm %q: %d %s", typed, res.status, res.body)
		}
		if u.file("production") != before {
			t.Fatalf("confirm %q: written without the typed flag name", typed)
		}
	}
	form.Set("confirm", "new_checkout_enabled")
	if res := u.post("/ui/env/production/flags/new_checkout_enabled/actors", form); res.status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d %s", res.status, res.body)
	}
	if !strings.Contains(u.file("production"), `"user:5": true`) {
		t.Fatal("the confirmed change is not written")
	}
	// staging is not protected.
	res := u.post("/ui/env/staging/flags/new_checkout_enabled/actors", url.Values{"hash": {u.hash("staging")}, "actors": {"user:5"}, "on": {"true"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("staging: %d", res.status)
	}
	if _, err := New(Config{Environments: []Environment{u.f.env("staging")}, UI: &UIConfig{Protected: []string{"prod"}}, Logger: discard()}); err == nil || !strings.Contains(err.Error(), "prod is not served") {
		t.Fatalf("an unknown protected environment: %v", err)
	}
}

func TestUIOnForEveryoneNeedsConfirmation(t *testing.T) {
	tests := []struct {
		name, path string
		form       url.Values
		confirm    bool
	}{
		{"boolean on", "/flags/search_v2_enabled/boolean", url.Values{"on": {"true"}}, true},
		{"100 percent", "/flags/search_v2_enabled/percentage", url.Values{"value": {"100"}}, true},
		{"50 percent", "/flags/search_v2_enabled/percentage", url.Values{"value": {"50"}}, false},
		{"boolean off", "/flags/dark_mode_enabled/boolean", url.Values{"on": {"false"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := startUI(t, UIConfig{})
			before := u.file("staging")
			tt.form.Set("hash", u.hash("staging"))
			res := u.post("/ui/env/staging"+tt.path, tt.form)
			if !tt.confirm {
				if res.status != http.StatusSeeOther {
					t.Fatalf("%d %s", res.status, res.body)
				}
				return
			}
			if res.status != http.StatusPreconditionRequired || !strings.Contains(string(res.body), `name="everyone"`) {
				t.Fatalf("%d %s", res.status, res.body)
			}
			if u.file("staging") != before {
				t.Fatal("written without confirmation")
			}
			tt.form.Set("everyone", "yes")
			if res := u.post("/ui/env/staging"+tt.path, tt.form); res.status != http.StatusSeeOther {
				t.Fatalf("confirmed: %d %s", res.status, res.body)
			}
		})
	}
}

func TestUIEscapesEverything(t *testing.T) {
	u := startUI(t, UIConfig{})
	evil := `<script>alert("x")</script>`
	form := url.Values{"hash": {u.hash("staging")}, "actors": {evil + `, "'><img src=x onerror=alert(1)>, ユーザー:42 🚩`}, "on": {"true"}}
	if res := u.post("/ui/env/staging/flags/new_checkout_enabled/actors", form); res.status != http.StatusSeeOther {
		t.Fatalf("%d %s", res.status, res.body)
	}
	res := u.post("/ui/env/staging/flags/new_checkout_enabled/meta", url.Values{"hash": {u.hash("staging")}, "description": {evil + ` & "quotes" 'single' ünïcødé`}, "owner": {"<b>team</b>"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("%d %s", res.status, res.body)
	}
	for _, path := range []string{"/ui/", "/ui/flags/new_checkout_enabled", "/ui/?q=" + url.QueryEscape(evil)} {
		body := string(u.get(path).body)
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>team"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s renders %q unescaped", path, raw)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("%s does not show the escaped text", path)
		}
	}
	if body := string(u.get("/ui/flags/new_checkout_enabled").body); !strings.Contains(body, "ユーザー:42 🚩") || !strings.Contains(body, "ünïcødé") {
		t.Error("unicode is not shown as written")
	}
}

func TestUIConflictReviewsPromotionAgain(t *testing.T) {
	u := startUI(t, UIConfig{})
	shown := u.hash("production")
	if _, _, err := flagfile.Update(u.f.path("production"), flagfile.ParseOptions{}, flagfile.SetActor("new_checkout_enabled", "user:5", true)); err != nil {
		t.Fatal(err)
	}
	res := u.post("/ui/env/production/flags/new_checkout_enabled/promote", url.Values{"hash": {shown}, "from": {"staging"}, "reviewed": {"yes"}})
	if res.status != http.StatusConflict {
		t.Fatalf("%d %s", res.status, res.body)
	}
	if strings.Contains(string(res.body), `name="reviewed"`) {
		t.Fatal("the re-apply form skips the review of the new diff")
	}
}
