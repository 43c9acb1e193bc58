package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// uiFlags is the dashboard fixture: comments and layout that edits must keep.
const uiStaging = `version: 1
environment: staging
flags:
  # The new checkout.
  new_checkout_enabled:
    description: New checkout flow
    owner: team-payments
    kind: release
    actors:
      "user:42": true

  dark_mode_enabled: true # everyone
  search_v2_enabled: false
`

const uiProduction = `version: 1
environment: production
flags:
  new_checkout_enabled:
    description: New checkout flow
    owner: team-payments
    kind: release
    enabled: false
  dark_mode_enabled:
    enabled: true
    actors:
      "user:1": false
`

// uiEnv is a running dashboard on staging and production.
type uiEnv struct {
	t  *testing.T
	f  *fixture
	s  *Server
	ts *httptest.Server
	c  *http.Client // keeps cookies, does not follow redirects
}

func startUI(t *testing.T, cfg UIConfig) *uiEnv {
	t.Helper()
	f := newFixture(t, map[string]string{"staging": uiStaging, "production": uiProduction})
	s, ts := start(t, Config{Environments: []Environment{f.env("staging"), f.env("production")}, UI: &cfg})
	return startUIWith(t, f, s, ts)
}

// startUIWith wraps a running dashboard.
func startUIWith(t *testing.T, f *fixture, s *Server, ts *httptest.Server) *uiEnv {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &uiEnv{t: t, f: f, s: s, ts: ts, c: c}
}

func (u *uiEnv) file(env string) string {
	u.t.Helper()
	b, err := os.ReadFile(u.f.path(env))
	if err != nil {
		u.t.Fatal(err)
	}
	return string(b)
}

func (u *uiEnv) hash(env string) string {
	sum := sha256.Sum256([]byte(u.file(env)))
	return hex.EncodeToString(sum[:])
}

// get fetches a dashboard page; headers are name, value pairs.
func (u *uiEnv) get(path string, headers ...string) response {
	u.t.Helper()
	return u.send(http.MethodGet, path, nil, headers...)
}

// post posts a form; headers are name, value pairs.
func (u *uiEnv) post(path string, form url.Values, headers ...string) response {
	u.t.Helper()
	return u.send(http.MethodPost, path, form, headers...)
}

func (u *uiEnv) send(method, path string, form url.Values, headers ...string) response {
	u.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u.ts.URL+path, body)
	if err != nil {
		u.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := u.c.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		u.t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

// login signs in through the form and fails the test if it does not work.
func (u *uiEnv) login(name, password string) {
	u.t.Helper()
	res := u.post("/ui/login", url.Values{"name": {name}, "password": {password}, "next": {"/ui/"}})
	if res.status != http.StatusSeeOther {
		u.t.Fatalf("login %s: %d %s", name, res.status, res.body)
	}
}

// hashOf returns a bcrypt hash of pw at the lowest cost (tests only).
func hashOf(t *testing.T, pw string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// lineDiff returns the lines removed from a and added in b (by position in a
// simple LCS-free way: both files must have the same line count for changes,
// or differ by inserted/deleted lines at one place).
func lineDiff(a, b string) (removed, added []string) {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	j, k := len(al)-1, len(bl)-1
	for j >= i && k >= i && al[j] == bl[k] {
		j--
		k--
	}
	return al[i : j+1], bl[i : k+1]
}
