package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func startTwoEnvs(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	f := newFixture(t, map[string]string{"staging": stagingFlags, "production": productionFlags})
	cfg.Environments = []Environment{f.env("staging", "stg-key"), f.env("production", "prd-key-1", "prd-key-2")}
	s, ts := start(t, cfg)
	return s, ts.URL
}

func TestAuthentication(t *testing.T) {
	_, base := startTwoEnvs(t, Config{})
	const flag = "/ofrep/v1/evaluate/flags/dark_mode_enabled"
	tests := []struct {
		name, path string
		headers    []string
		status     int
		value      string // "true"/"false" for 200
	}{
		{"no key", flag, nil, 401, ""},
		{"unknown key", flag, []string{"X-API-Key", "stg-key2"}, 401, ""},
		{"empty bearer", flag, []string{"Authorization", "Bearer "}, 401, ""},
		{"basic auth is not a key", flag, []string{"Authorization", "Basic c3RnLWtleQ=="}, 401, ""},
		{"staging key reads staging", flag, []string{"X-API-Key", "stg-key"}, 200, "true"},
		{"production key reads production", flag, []string{"X-API-Key", "prd-key-2"}, 200, "false"},
		{"bearer token", flag, []string{"Authorization", "bearer prd-key-1"}, 200, "false"},
		{"a key on its environment's prefix", "/env/production" + flag, []string{"X-API-Key", "prd-key-1"}, 200, "false"},
		{"a key sees only its environment", "/env/production" + flag, []string{"X-API-Key", "stg-key"}, 403, ""},
		{"no key on a prefix", "/env/staging" + flag, nil, 401, ""},
		// Environment names are not discoverable without a key: an unknown
		// prefix answers like a known one until the key is checked.
		{"no key on an unknown prefix", "/env/nope" + flag, nil, 401, ""},
		{"unknown key on an unknown prefix", "/env/nope" + flag, []string{"X-API-Key", "stg-key2"}, 401, ""},
		{"no key on an unknown prefix, bulk", "/env/nope/ofrep/v1/evaluate/flags", nil, 401, ""},
		{"a valid key on an unknown prefix", "/env/nope" + flag, []string{"X-API-Key", "stg-key"}, 403, ""},
		{"bulk needs a key too", "/ofrep/v1/evaluate/flags", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, base+tt.path, `{"context":{}}`, tt.headers...)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.status == 401 && res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if tt.status == 200 && !strings.Contains(string(res.body), `"value":`+tt.value) {
				t.Errorf("body %s, want value %s", res.body, tt.value)
			}
			if tt.status >= 400 && strings.Contains(string(res.body), "key-") {
				t.Errorf("the error repeats a key: %s", res.body)
			}
		})
	}
}

func TestNoKeysEnvironmentChoice(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags, "production": productionFlags})
	_, ts := start(t, Config{Environments: []Environment{f.env("staging"), f.env("production")}, DefaultEnv: "production"})
	for path, want := range map[string]string{
		"/ofrep/v1/evaluate/flags/dark_mode_enabled":                "false", // the default environment
		"/env/staging/ofrep/v1/evaluate/flags/dark_mode_enabled":    "true",
		"/env/production/ofrep/v1/evaluate/flags/dark_mode_enabled": "false",
	} {
		res := post(t, ts.URL+path, `{"context":{}}`)
		if res.status != 200 || !strings.Contains(string(res.body), `"value":`+want) {
			t.Errorf("%s: %d %s, want value %s", path, res.status, res.body, want)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags, "production": productionFlags})
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"nothing", Config{}, "no environment"},
		{"bad name", Config{Environments: []Environment{{Name: "../x", Path: f.path("staging")}}}, "bad environment name"},
		{"twice", Config{Environments: []Environment{f.env("staging"), f.env("staging")}}, "listed twice"},
		{"shared key", Config{Environments: []Environment{f.env("staging", "k"), f.env("production", "k")}}, "one API key is configured for both staging and production"},
		{"empty key", Config{Environments: []Environment{f.env("staging", "")}}, "empty API key"},
		{"unknown default", Config{Environments: []Environment{f.env("staging")}, DefaultEnv: "production"}, "default environment production is not served"},
		{"missing file", Config{Environments: []Environment{{Name: "dev", Path: f.path("dev")}}}, "dev.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Logger = discard()
			s, err := New(tt.cfg)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want %q", err, tt.want)
			}
		})
	}
}

func TestServeRefusesNonLoopbackWithoutKeys(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	tests := []struct {
		name     string
		cfg      Config
		addr     string
		refused  bool
		loopback bool
	}{
		{"loopback without keys", Config{Environments: []Environment{f.env("staging")}}, "127.0.0.1:0", false, true},
		{"all interfaces without keys", Config{Environments: []Environment{f.env("staging")}}, "0.0.0.0:0", true, false},
		{"all interfaces, insecure", Config{Environments: []Environment{f.env("staging")}, InsecureNoAuth: true}, "0.0.0.0:0", false, false},
		{"all interfaces with keys", Config{Environments: []Environment{f.env("staging", "k")}}, "0.0.0.0:0", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Logger = discard()
			s, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ln, err := net.Listen("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if IsLoopback(ln.Addr()) != tt.loopback {
				t.Fatalf("IsLoopback(%s) = %v", ln.Addr(), !tt.loopback)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Serve(ctx, ln) }()
			if tt.refused {
				if err := <-done; !errors.Is(err, ErrNoAuth) {
					t.Fatalf("Serve = %v, want ErrNoAuth", err)
				}
				cancel()
				return
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("Serve = %v", err)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	_, ts := start(t, Config{Environments: []Environment{f.env("staging")}, CORSOrigins: []string{"https://app.example.com"}})
	url := ts.URL + "/ofrep/v1/evaluate/flags"
	t.Run("allowed origin", func(t *testing.T) {
		res := post(t, url, `{"context":{}}`, "Origin", "https://app.example.com")
		if res.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || !strings.Contains(res.header.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Fatalf("headers %v", res.header)
		}
	})
	t.Run("other origin", func(t *testing.T) {
		res := post(t, url, `{"context":{}}`, "Origin", "https://evil.example.com")
		if res.header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("headers %v", res.header)
		}
	})
	t.Run("preflight", func(t *testing.T) {
		res := do(t, http.MethodOptions, url, "", "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,if-none-match")
		h := res.header
		if res.status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
			!strings.Contains(h.Get("Access-Control-Allow-Headers"), "If-None-Match") || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Fatalf("%d %v", res.status, h)
		}
	})
	t.Run("preflight from another origin", func(t *testing.T) {
		res := do(t, http.MethodOptions, url, "", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST")
		if res.header.Get("Access-Control-Allow-Origin") != "" || res.header.Get("Access-Control-Allow-Methods") != "" {
			t.Fatalf("%d %v", res.status, res.header)
		}
	})
	t.Run("any origin", func(t *testing.T) {
		g := newFixture(t, map[string]string{"staging": stagingFlags})
		_, ts := start(t, Config{Environments: []Environment{g.env("staging")}, CORSOrigins: []string{"*"}})
		res := post(t, ts.URL+"/ofrep/v1/evaluate/flags", `{"context":{}}`, "Origin", "http://localhost:3000")
		if res.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
			t.Fatalf("headers %v", res.header)
		}
	})
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestRateLimit(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	_, base := startTwoEnvs(t, Config{RateLimit: 0.5, RateBurst: 2, Now: clock.now})
	url := base + "/ofrep/v1/evaluate/flags/dark_mode_enabled"
	statuses := func(key string, n int) []int {
		var out []int
		for i := 0; i < n; i++ {
			out = append(out, post(t, url, `{"context":{}}`, "X-API-Key", key).status)
		}
		return out
	}
	if got := statuses("stg-key", 3); got[0] != 200 || got[1] != 200 || got[2] != 429 {
		t.Fatalf("burst of 2: %v", got)
	}
	res := post(t, url, `{"context":{}}`, "X-API-Key", "stg-key")
	if res.status != 429 || res.header.Get("Retry-After") != "2" {
		t.Fatalf("%d Retry-After %q, want 429 and 2 (one token every 2 s)", res.status, res.header.Get("Retry-After"))
	}
	if got := statuses("prd-key-1", 1); got[0] != 200 {
		t.Fatalf("another key is limited separately: %v", got)
	}
	clock.add(2 * time.Second)
	if got := statuses("stg-key", 2); got[0] != 200 || got[1] != 429 {
		t.Fatalf("after 2 s: %v", got)
	}
}

// TestRateLimitInvalidKeys: requests with a missing or unknown API key count
// against their client IP, so the rate limit also bounds key guessing; the
// valid keys keep their own budgets.
func TestRateLimitInvalidKeys(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	_, base := startTwoEnvs(t, Config{RateLimit: 0.5, RateBurst: 2, Now: clock.now})
	url := base + "/ofrep/v1/evaluate/flags/dark_mode_enabled"
	tests := []struct {
		key  string
		want int
	}{
		{"guess-1", 401},
		{"", 401},
		{"guess-3", 429},
		{"stg-key", 200},
	}
	for _, tt := range tests {
		res := post(t, url, `{"context":{}}`, "X-API-Key", tt.key)
		if res.status != tt.want {
			t.Errorf("key %q: %d, want %d", tt.key, res.status, tt.want)
		}
	}
	events := do(t, http.MethodGet, base+"/ofrep/v1/events?env=staging&token=0123", "")
	if events.status != 429 {
		t.Errorf("a guessed stream token: %d, want 429", events.status)
	}
}

// TestLimiterManyClients: callers with very many addresses cannot reset the
// limits. A full bucket table used to start over, giving every exhausted
// caller a full bucket again; now buckets that have refilled are dropped (they
// are the same as none) and, while every bucket is in use, new callers share
// one bucket.
func TestLimiterManyClients(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(0.5, 1, clock.now)
	take := func(id string) bool { ok, _ := l.take(id); return ok }
	if !take("attacker") || take("attacker") {
		t.Fatal("a burst of 1")
	}
	for i := 0; len(l.buckets) < maxBuckets; i++ {
		take(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	}
	if take("attacker") {
		t.Error("an exhausted caller got a full bucket again once the table filled")
	}
	if !take("newcomer-1") || take("newcomer-2") {
		t.Error("with every bucket in use, new callers must share one bucket")
	}
	if take("attacker") {
		t.Error("an exhausted caller got a full bucket again after new callers came")
	}
	clock.add(2 * time.Second) // every bucket has refilled
	if !take("newcomer-3") || !take("newcomer-4") {
		t.Error("refilled buckets were not dropped to make room")
	}
	if len(l.buckets) > maxBuckets+1 {
		t.Errorf("%d buckets, want at most %d", len(l.buckets), maxBuckets+1)
	}
}

// TestClientIDGroupsIPv6Networks: an IPv6 client is limited by its /64 (one
// host usually holds a whole /64), an IPv4 client by its address.
func TestClientIDGroupsIPv6Networks(t *testing.T) {
	id := func(addr string) string {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = addr
		return clientID(r, nil)
	}
	tests := []struct {
		a, b string
		same bool
	}{
		{"[2001:db8:1:2::1]:1000", "[2001:db8:1:2:ffff::9]:2000", true},
		{"[2001:db8:1:2::1]:1000", "[2001:db8:1:3::1]:1000", false},
		{"192.0.2.1:1000", "192.0.2.1:2000", true},
		{"192.0.2.1:1000", "192.0.2.2:1000", false},
		{"[::ffff:192.0.2.1]:1000", "192.0.2.1:1000", true},
	}
	for _, tt := range tests {
		if got := id(tt.a) == id(tt.b); got != tt.same {
			t.Errorf("%s and %s: same caller %v, want %v (%q, %q)", tt.a, tt.b, got, tt.same, id(tt.a), id(tt.b))
		}
	}
}
