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

func TestUIActions(t *testing.T) {
	tests := []struct {
		name, env, path string
		form            url.Values
		removed, added  []string // the lines of the file that change, exactly
	}{
		{"turn the boolean gate off", "staging", "/flags/dark_mode_enabled/boolean", url.Values{"on": {"false"}},
			[]string{"  dark_mode_enabled: true # everyone"}, []string{"  dark_mode_enabled: false # everyone"}},
		{"turn the boolean gate on for everyone (confirmed)", "production", "/flags/new_checkout_enabled/boolean", url.Values{"on": {"true"}, "everyone": {"yes"}},
			[]string{"    enabled: false"}, []string{"    enabled: true"}},
		{"add several actors", "staging", "/flags/new_checkout_enabled/actors", url.Values{"actors": {"user:7, user:8\nuser:9\r\n\n"}, "on": {"true"}},
			[]string{}, []string{`      "user:7": true`, `      "user:8": true`, `      "user:9": true`}},
		{"add an actor off", "production", "/flags/dark_mode_enabled/actors", url.Values{"actors": {"user:2"}, "on": {"false"}},
			[]string{}, []string{`      "user:2": false`}},
		{"add groups", "production", "/flags/new_checkout_enabled/groups", url.Values{"groups": {"beta,staff"}, "on": {"true"}},
			[]string{}, []string{"    groups:", "      beta: true", "      staff: true"}},
		{"remove an actor", "production", "/flags/dark_mode_enabled/gates/remove", url.Values{"gate": {"actor"}, "id": {"user:1"}, "everyone": {"yes"}}, // the flag is then on for everyone
			[]string{"    actors:", `      "user:1": false`}, []string{}},
		{"quick percentage of actors", "staging", "/flags/new_checkout_enabled/percentage", url.Values{"gate": {"actors"}, "value": {"25"}},
			[]string{}, []string{"    percentage_of_actors: 25%"}},
		{"custom percentage of time", "staging", "/flags/new_checkout_enabled/percentage", url.Values{"gate": {"time"}, "custom": {"12.5"}},
			[]string{}, []string{"    percentage_of_time: 12.5%"}},
		{"clear every gate", "production", "/flags/dark_mode_enabled/clear", url.Values{},
			[]string{"  dark_mode_enabled:", "    enabled: true", "    actors:", `      "user:1": false`}, []string{"  dark_mode_enabled: {}"}},
		{"remove a flag", "staging", "/flags/search_v2_enabled/remove", url.Values{},
			[]string{"  search_v2_enabled: false"}, []string{}},
		{"create a flag", "staging", "/flags", url.Values{"name": {"pricing_v3_enabled"}, "owner": {"team-growth"}, "kind": {"experiment"}},
			[]string{}, []string{"  pricing_v3_enabled:", "    owner: team-growth", "    kind: experiment"}},
		{"edit metadata", "production", "/flags/new_checkout_enabled/meta", url.Values{"description": {"New checkout flow"}, "owner": {"team-web"}, "kind": {"release"}},
			[]string{"    owner: team-payments"}, []string{"    owner: team-web"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := startUI(t, UIConfig{})
			before := u.file(tt.env)
			tt.form.Set("hash", u.hash(tt.env))
			res := u.post("/ui/env/"+tt.env+tt.path, tt.form)
			if res.status != http.StatusSeeOther {
				t.Fatalf("%d %s", res.status, res.body)
			}
			removed, added := lineDiff(before, u.file(tt.env))
			if strings.Join(removed, "\n") != strings.Join(tt.removed, "\n") || strings.Join(added, "\n") != strings.Join(tt.added, "\n") {
				t.Fatalf("file changed by\n-%q\n+%q\nwant\n-%q\n+%q\n%s", removed, added, tt.removed, tt.added, u.file(tt.env))
			}
			// The next page says what was saved, once.
			page := u.get(res.header.Get("Location"))
			if !strings.Contains(string(page.body), "Saved: ") {
				t.Errorf("no saved message on %s", res.header.Get("Location"))
			}
			if again := u.get(res.header.Get("Location")); strings.Contains(string(again.body), "Saved: ") {
				t.Error("the saved message shows twice")
			}
		})
	}
}

func TestUIActionVisibleToEvaluator(t *testing.T) {
	u := startUI(t, UIConfig{})
	waitChange(t, u.s, "staging", func() {
		res := u.post("/ui/env/staging/flags/search_v2_enabled/boolean", url.Values{"hash": {u.hash("staging")}, "on": {"true"}, "everyone": {"yes"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("%d %s", res.status, res.body)
		}
	})
	if !u.s.envs["staging"].set.Load().ev.Enabled("search_v2_enabled") {
		t.Fatal("the served evaluator does not see the change")
	}
}

func TestUIActionRefusals(t *testing.T) {
	tests := []struct {
		name, path string
		form       url.Values
		status     int
		want       string
	}{
		{"unknown environment", "/ui/env/dev/flags/dark_mode_enabled/boolean", url.Values{"on": {"true"}}, 404, "not served"},
		{"bad environment name", "/ui/env/..%2Fetc/flags/dark_mode_enabled/boolean", url.Values{"on": {"true"}}, 404, "No such environment"},
		{"bad flag name", "/ui/env/staging/flags/Dark/boolean", url.Values{"on": {"true"}}, 404, "No such environment or flag"},
		{"unknown flag", "/ui/env/staging/flags/nope_enabled/boolean", url.Values{"on": {"false"}}, 404, "unknown flag"},
		{"no hash", "/ui/env/staging/flags/dark_mode_enabled/boolean", url.Values{"on": {"false"}, "hash": {""}}, 400, "content hash"},
		{"bad on", "/ui/env/staging/flags/dark_mode_enabled/boolean", url.Values{"on": {"maybe"}}, 400, "true or false"},
		{"no actors", "/ui/env/staging/flags/dark_mode_enabled/actors", url.Values{"actors": {" , \n"}, "on": {"true"}}, 400, "no actors given"},
		{"bad percentage", "/ui/env/staging/flags/dark_mode_enabled/percentage", url.Values{"value": {"150"}}, 400, "percentage"},
		{"bad gate", "/ui/env/staging/flags/dark_mode_enabled/gates/remove", url.Values{"gate": {"x"}}, 400, "gate must be"},
		{"bad new name", "/ui/env/staging/flags", url.Values{"name": {"Bad-Name"}}, 400, "not valid"},
		{"existing flag", "/ui/env/staging/flags", url.Values{"name": {"dark_mode_enabled"}}, 422, "already exists"},
		{"bad kind", "/ui/env/staging/flags/dark_mode_enabled/meta", url.Values{"kind": {"forever"}}, 422, "kind"},
		// the form's mistake, not an "internal error" (nor, beside a broken flag, that flag's errors)
		{"bad kind of a new flag", "/ui/env/staging/flags", url.Values{"name": {"pricing_enabled"}, "kind": {"forever"}}, 422, "Nothing was changed: unknown kind &#34;forever&#34;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := startUI(t, UIConfig{})
			before := u.file("staging")
			if !tt.form.Has("hash") {
				tt.form.Set("hash", u.hash("staging"))
			}
			res := u.post(tt.path, tt.form)
			if res.status != tt.status || !strings.Contains(string(res.body), tt.want) {
				t.Fatalf("%d %s, want %d with %q", res.status, res.body, tt.status, tt.want)
			}
			if u.file("staging") != before {
				t.Fatal("the file changed")
			}
		})
	}
}

func TestUIPromote(t *testing.T) {
	u := startUI(t, UIConfig{})
	page := string(u.get("/ui/flags/new_checkout_enabled").body)
	if !strings.Contains(page, "Promote staging → production") {
		t.Fatal("no promote button")
	}
	before := u.file("production")
	form := url.Values{"hash": {u.hash("production")}, "from": {"staging"}}
	res := u.post("/ui/env/production/flags/new_checkout_enabled/promote", form)
	body := html.UnescapeString(string(res.body))
	if res.status != http.StatusPreconditionRequired || !strings.Contains(body, "new_checkout_enabled [production]: - boolean (was off); + actor user:42 on") || u.file("production") != before {
		t.Fatalf("preview: %d %s", res.status, body)
	}
	if res := u.post("/ui/env/production/flags/new_checkout_enabled/promote", hiddenForm(res.body)); res.status != http.StatusSeeOther {
		t.Fatalf("%d %s", res.status, res.body)
	}
	removed, added := lineDiff(before, u.file("production"))
	if strings.Join(removed, "|") != "    enabled: false" || strings.Join(added, "|") != `    actors:|      "user:42": true` {
		t.Fatalf("-%q +%q", removed, added)
	}
	for _, from := range []string{"production", "dev", ""} {
		if res := u.post("/ui/env/production/flags/new_checkout_enabled/promote", url.Values{"hash": {u.hash("production")}, "from": {from}}); res.status != http.StatusBadRequest {
			t.Errorf("from %q: %d", from, res.status)
		}
	}
}

// hiddenForm returns the hidden fields of the (first) form of a page, as a
// browser would post them.
func hiddenForm(page []byte) url.Values {
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllSubmatch(page, -1) {
		form.Add(html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2])))
	}
	return form
}

// TestUIPromoteWritesWhatWasReviewed: a promotion writes the diff the user
// reviewed. When the source environment changed between the review and the
// confirmation, nothing is written and the new diff is shown for review.
func TestUIPromoteWritesWhatWasReviewed(t *testing.T) {
	u := startUI(t, UIConfig{})
	before := u.file("production")
	res := u.post("/ui/env/production/flags/new_checkout_enabled/promote", url.Values{"hash": {u.hash("production")}, "from": {"staging"}})
	if res.status != http.StatusPreconditionRequired {
		t.Fatalf("review: %d %s", res.status, res.body)
	}
	reviewed := hiddenForm(res.body)
	// Someone adds an actor in staging while the review page is open.
	if _, _, err := flagfile.Update(u.f.path("staging"), flagfile.ParseOptions{}, flagfile.SetActor("new_checkout_enabled", "user:99", true)); err != nil {
		t.Fatal(err)
	}
	res = u.post("/ui/env/production/flags/new_checkout_enabled/promote", reviewed)
	if u.file("production") != before {
		t.Fatalf("wrote a diff that was not reviewed:\n%s", u.file("production"))
	}
	if body := html.UnescapeString(string(res.body)); res.status != http.StatusPreconditionRequired || !strings.Contains(body, "+ actor user:99 on") {
		t.Fatalf("the new diff is not shown for review: %d %s", res.status, body)
	}
	res = u.post("/ui/env/production/flags/new_checkout_enabled/promote", hiddenForm(res.body))
	if res.status != http.StatusSeeOther || !strings.Contains(u.file("production"), `"user:99": true`) {
		t.Fatalf("the reviewed diff is not written: %d %s\n%s", res.status, res.body, u.file("production"))
	}
}

// TestUIRefusesCopyingAnInvalidFlag: promoting a flag that is invalid in its
// source file (or restoring one from a commit where it was invalid) would copy
// what the parser could read of its broken text, not what was served (a typo
// in `enabled: yes` would remove production's boolean gate): refused, with the
// errors.
func TestUIRefusesCopyingAnInvalidFlag(t *testing.T) {
	u := startUI(t, UIConfig{})
	u.f.write("staging", strings.Replace(uiStaging, "  dark_mode_enabled: true # everyone\n", "  dark_mode_enabled:\n    enabled: yes\n", 1))
	before := u.file("production")
	for _, reviewed := range []string{"", "yes"} {
		res := u.post("/ui/env/production/flags/dark_mode_enabled/promote", url.Values{"hash": {u.hash("production")}, "from": {"staging"}, "reviewed": {reviewed}, "everyone": {"yes"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("reviewed=%q: %d, want 422", reviewed, res.status)
		}
		if body := html.UnescapeString(string(res.body)); !strings.Contains(body, "invalid in staging") || !strings.Contains(body, `enabled: "yes" is not a boolean`) {
			t.Errorf("the page does not say why: %s", body)
		}
	}
	if u.file("production") != before {
		t.Fatalf("production changed:\n%s", u.file("production"))
	}
	if page := string(u.get("/ui/flags/dark_mode_enabled").body); strings.Contains(page, "Promote staging → production") {
		t.Error("the flag page offers to promote the invalid flag")
	}
}
