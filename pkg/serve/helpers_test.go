package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
)

// stagingFlags is the fixture most tests serve.
const stagingFlags = `version: 1
environment: staging
flags:
  dark_mode_enabled: true
  off_enabled: false
  new_checkout_enabled:
    enabled: false
    actors:
      "user:42": true
      "user:7": false
    groups:
      beta_testers: true
      banned: false
    percentage_of_actors: 25%
`

const productionFlags = `version: 1
environment: production
flags:
  dark_mode_enabled: false
  new_checkout_enabled:
    actors:
      "user:42": true
`

// fixture writes flag files into a temporary directory.
type fixture struct {
	t   *testing.T
	dir string
}

func newFixture(t *testing.T, files map[string]string) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir()}
	for env, body := range files {
		f.write(env, body)
	}
	return f
}

func (f *fixture) path(env string) string { return filepath.Join(f.dir, env+".yaml") }

// write replaces the file atomically (as flagctl and editors do).
func (f *fixture) write(env, body string) {
	f.t.Helper()
	tmp := f.path(env) + ".tmp"
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Rename(tmp, f.path(env)); err != nil {
		f.t.Fatal(err)
	}
}

// env returns an Environment for the file of name.
func (f *fixture) env(name string, keys ...string) Environment {
	return Environment{Name: name, Path: f.path(name), APIKeys: keys}
}

// start creates a Server and an httptest server around its handler.
func start(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.WatchOptions = append([]eval.WatchOption{eval.Debounce(0), eval.PollInterval(20 * time.Millisecond)}, cfg.WatchOptions...)
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

// startStaging serves the staging fixture without keys.
func startStaging(t *testing.T) (*fixture, *Server, *httptest.Server) {
	t.Helper()
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	s, ts := start(t, Config{Environments: []Environment{f.env("staging")}})
	return f, s, ts
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// do sends one request; headers are name, value pairs.
func do(t *testing.T, method, url, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

func post(t *testing.T, url, body string, headers ...string) response {
	t.Helper()
	return do(t, http.MethodPost, url, body, headers...)
}

// waitChange waits until the environment's served flags change after fn ran.
func waitChange(t *testing.T, s *Server, env string, fn func()) {
	t.Helper()
	e := s.envs[env]
	ch := e.wait()
	fn()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("environment %s did not reload", env)
	}
}

// eventually waits until cond holds (at most 10 s). It checks outcomes, not
// speed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
