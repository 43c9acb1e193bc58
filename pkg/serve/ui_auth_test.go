package serve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

func usersConfig(t *testing.T) UIConfig {
	return UIConfig{Users: []User{
		{Name: "ada", Email: "ada@example.com", PasswordHash: hashOf(t, "correct horse"), Roles: map[string]Role{"*": RoleEditor}},
		{Name: "bob", Email: "bob@example.com", PasswordHash: hashOf(t, "hunter22"), Roles: map[string]Role{"staging": RoleEditor, "production": RoleViewer}},
		{Name: "eve", Email: "eve@example.com", PasswordHash: hashOf(t, "pw"), Roles: map[string]Role{"staging": RoleViewer}},
		{Name: "carol", Email: "carol@corp.example", Roles: map[string]Role{"*": RoleEditor}}, // proxy only
	}}
}

func TestUISignIn(t *testing.T) {
	u := startUI(t, usersConfig(t))
	if res := u.get("/ui/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/ui/login") {
		t.Fatalf("not signed in: %d %s", res.status, res.header.Get("Location"))
	}
	before := u.file("staging")
	res := u.post("/ui/env/staging/flags/dark_mode_enabled/boolean", url.Values{"hash": {u.hash("staging")}, "on": {"false"}})
	if res.status != http.StatusUnauthorized || u.file("staging") != before {
		t.Fatalf("a change without signing in: %d", res.status)
	}
	for _, bad := range [][2]string{{"ada", "wrong"}, {"nobody", "correct horse"}, {"carol", ""}, {"", ""}} {
		res := u.post("/ui/login", url.Values{"name": {bad[0]}, "password": {bad[1]}})
		if res.status != http.StatusUnauthorized || res.header.Get("Set-Cookie") != "" {
			t.Fatalf("login %v: %d %v", bad, res.status, res.header)
		}
	}
	res = u.post("/ui/login", url.Values{"name": {"ada"}, "password": {"correct horse"}, "next": {"//evil.example.com/"}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/ui/" {
		t.Fatalf("login: %d %s", res.status, res.header.Get("Location"))
	}
	cookie := res.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/ui/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie lacks %s: %s", attr, cookie)
		}
	}
	if res := u.get("/ui/"); res.status != http.StatusOK || !strings.Contains(string(res.body), "Signed in as <strong>ada</strong>") {
		t.Fatalf("signed in: %d", res.status)
	}
	if res := u.post("/ui/logout", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.status)
	}
	if res := u.get("/ui/"); res.status != http.StatusSeeOther {
		t.Fatalf("after logout: %d", res.status)
	}
}

func TestUISessionCookieIsVerified(t *testing.T) {
	u := startUI(t, usersConfig(t))
	ui := u.s.ui
	now := u.s.now()
	good := ui.signSession("bob", now.Add(SessionLifetime))
	tests := []struct {
		name, value string
		ok          bool
	}{
		{"valid", good, true},
		{"another user's name under bob's signature", strings.Replace(good, "Ym9i", "YWRh", 1), false},
		{"expired", ui.signSession("bob", now.Add(-1)), false},
		{"no signature", good[:strings.LastIndexByte(good, '.')], false},
		{"garbage", "x.y.z", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, ok := ui.verifySession(tt.value, now)
			if ok != tt.ok || (ok && name != "bob") {
				t.Fatalf("verify = %q %v, want %v", name, ok, tt.ok)
			}
			req, _ := http.NewRequest("GET", u.ts.URL+"/ui/", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tt.value})
			res, err := u.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if (res.StatusCode == http.StatusOK) != tt.ok {
				t.Fatalf("status %d", res.StatusCode)
			}
		})
	}
}

func TestUIRoles(t *testing.T) {
	tests := []struct {
		user, pw, env string
		status        int
	}{
		{"ada", "correct horse", "production", http.StatusSeeOther},
		{"bob", "hunter22", "staging", http.StatusSeeOther},
		{"bob", "hunter22", "production", http.StatusForbidden},
		{"eve", "pw", "staging", http.StatusForbidden},
		{"eve", "pw", "production", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.user+" in "+tt.env, func(t *testing.T) {
			u := startUI(t, usersConfig(t))
			u.login(tt.user, tt.pw)
			before := u.file(tt.env)
			res := u.post("/ui/env/"+tt.env+"/flags/new_checkout_enabled/actors", url.Values{"hash": {u.hash(tt.env)}, "actors": {"user:3"}, "on": {"true"}})
			if res.status != tt.status {
				t.Fatalf("%d %s", res.status, res.body)
			}
			if (u.file(tt.env) != before) != (tt.status == http.StatusSeeOther) {
				t.Fatal("the file changed against the answer")
			}
		})
	}
	// eve sees only staging, and no forms there.
	u := startUI(t, usersConfig(t))
	u.login("eve", "pw")
	body := string(u.get("/ui/flags/dark_mode_enabled").body)
	if strings.Contains(body, `id="env-production"`) || !strings.Contains(body, `id="env-staging"`) || strings.Contains(body, "<form method=\"post\" action=\"/ui/env/") {
		t.Fatalf("a viewer of staging only sees:\n%s", body)
	}
}

func TestUIReadOnly(t *testing.T) {
	u := startUI(t, UIConfig{ReadOnly: true})
	before := u.file("staging")
	res := u.post("/ui/env/staging/flags/dark_mode_enabled/boolean", url.Values{"hash": {u.hash("staging")}, "on": {"false"}})
	if res.status != http.StatusForbidden || u.file("staging") != before {
		t.Fatalf("%d", res.status)
	}
	body := string(u.get("/ui/flags/dark_mode_enabled").body)
	if !strings.Contains(body, "Read-only") || strings.Contains(body, `action="/ui/env/`) {
		t.Fatal("the read-only page offers changes")
	}
}

func TestUITrustedProxy(t *testing.T) {
	cfg := usersConfig(t)
	tests := []struct {
		name    string
		proxies []string
		user    string
		status  int // of a change in production
	}{
		{"trusted proxy, listed user", []string{"127.0.0.0/8"}, "carol", http.StatusSeeOther},
		{"trusted proxy, unknown user is a viewer", []string{"127.0.0.0/8"}, "mallory", http.StatusForbidden},
		{"untrusted address: headers ignored", []string{"10.0.0.0/8"}, "carol", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			c.TrustedProxies = nil
			for _, p := range tt.proxies {
				c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(p))
			}
			u := startUI(t, c)
			res := u.post("/ui/env/production/flags/new_checkout_enabled/actors", url.Values{"hash": {u.hash("production")}, "actors": {"user:3"}, "on": {"true"}},
				"X-Forwarded-User", tt.user, "X-Forwarded-Email", tt.user+"@corp.example")
			if res.status != tt.status {
				t.Fatalf("%d %s", res.status, res.body)
			}
		})
	}
}

func TestUICrossOriginRefused(t *testing.T) {
	u := startUI(t, UIConfig{})
	before := u.file("staging")
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "https://evil.example.com"},
	} {
		res := u.post("/ui/env/staging/flags/dark_mode_enabled/boolean", url.Values{"hash": {u.hash("staging")}, "on": {"false"}}, h...)
		if res.status != http.StatusForbidden || u.file("staging") != before {
			t.Fatalf("%v: %d", h, res.status)
		}
	}
	res := u.post("/ui/env/staging/flags/dark_mode_enabled/boolean", url.Values{"hash": {u.hash("staging")}, "on": {"false"}}, "Sec-Fetch-Site", "same-origin")
	if res.status != http.StatusSeeOther {
		t.Fatalf("same origin: %d", res.status)
	}
}

func TestUIRefusesNonLoopbackWithoutAuth(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": uiStaging})
	tests := []struct {
		name string
		ui   UIConfig
		err  error
	}{
		{"no auth", UIConfig{}, ErrNoUIAuth},
		{"no auth, allowed", UIConfig{InsecureNoAuth: true}, nil},
		{"users file", UIConfig{Users: []User{{Name: "ada", PasswordHash: hashOf(t, "x"), Roles: map[string]Role{"*": RoleEditor}}}}, nil},
		{"proxy", UIConfig{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(Config{Environments: []Environment{f.env("staging", "key")}, UI: &tt.ui, Logger: discard()})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ln, err := net.Listen("tcp", "0.0.0.0:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Serve(ctx, ln) }()
			if tt.err != nil {
				if err := <-done; !errors.Is(err, tt.err) {
					t.Fatalf("Serve = %v, want %v", err, tt.err)
				}
				cancel()
				return
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUISignInIsRateLimited(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	f := newFixture(t, map[string]string{"staging": uiStaging})
	cfg := usersConfig(t)
	s, ts := start(t, Config{Environments: []Environment{f.env("staging")}, UI: &cfg, Now: clock.now})
	u := startUIWith(t, f, s, ts)
	for i := 0; i < loginBurst; i++ {
		if res := u.post("/ui/login", url.Values{"name": {"ada"}, "password": {"guess"}}); res.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, res.status)
		}
	}
	res := u.post("/ui/login", url.Values{"name": {"ada"}, "password": {"correct horse"}})
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "5" || res.header.Get("Set-Cookie") != "" {
		t.Fatalf("past the burst: %d Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	clock.add(5 * time.Second)
	if res := u.post("/ui/login", url.Values{"name": {"ada"}, "password": {"correct horse"}}); res.status != http.StatusSeeOther {
		t.Fatalf("after waiting: %d", res.status)
	}
}

// TestUISessionEndsWithPasswordChange: a session is bound to the password it
// was opened with. A users file with a new hash for bob (the server restarted
// with the same session key) signs bob's old sessions out; before, a stolen
// cookie outlived the password change by up to SessionLifetime.
func TestUISessionEndsWithPasswordChange(t *testing.T) {
	u := startUI(t, usersConfig(t))
	ui := u.s.ui
	now := u.s.now()
	cookie := ui.signSession("bob", now.Add(SessionLifetime))
	if name, ok := ui.verifySession(cookie, now); !ok || name != "bob" {
		t.Fatalf("fresh session: %q %v", name, ok)
	}
	bob := ui.users["bob"]
	old := bob.PasswordHash
	bob.PasswordHash = old[:len(old)-1] + string(old[len(old)-1]^1) // another hash
	t.Cleanup(func() { bob.PasswordHash = old })
	if name, ok := ui.verifySession(cookie, now); ok {
		t.Fatalf("session opened with the old password still valid for %q", name)
	}
	if fresh := ui.signSession("bob", now.Add(SessionLifetime)); func() bool { _, ok := ui.verifySession(fresh, now); return !ok }() {
		t.Fatal("a session opened after the change is refused")
	}
}
