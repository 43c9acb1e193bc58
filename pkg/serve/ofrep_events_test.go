package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// stream is an open SSE connection.
type stream struct {
	t   *testing.T
	res *http.Response
	r   *bufio.Reader
}

func openStream(t *testing.T, url string, headers ...string) *stream {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return &stream{t: t, res: res, r: bufio.NewReader(res.Body)}
}

// next reads the next event or comment block (up to a blank line).
func (s *stream) next() string {
	s.t.Helper()
	var b strings.Builder
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("stream ended: %v (read %q)", err, b.String())
		}
		if line == "\n" {
			return b.String()
		}
		b.WriteString(line)
	}
}

// nextEvent skips comments and returns the next event's id and data.
func (s *stream) nextEvent() (id string, data map[string]any) {
	s.t.Helper()
	for {
		block := s.next()
		if strings.HasPrefix(block, ":") || strings.HasPrefix(block, "retry:") {
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "id":
				id = v
			case "event":
				if v != "message" {
					s.t.Errorf("event: %s, want message", v)
				}
			case "data":
				if err := json.Unmarshal([]byte(v), &data); err != nil {
					s.t.Fatalf("data is not JSON: %v", err)
				}
			}
		}
		return id, data
	}
}

func TestEventStream(t *testing.T) {
	f, s, ts := startStaging(t)
	first := s.envs["staging"].set.Load()
	st := openStream(t, ts.URL+"/ofrep/v1/events?env=staging")
	if ct := st.res.Header.Get("Content-Type"); st.res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("%d %s", st.res.StatusCode, ct)
	}
	if hello := st.next(); !strings.HasPrefix(hello, "retry: 2000\n") {
		t.Fatalf("first block %q", hello)
	}
	eventually(t, "the stream in the metrics", func() bool {
		return strings.Contains(string(do(t, http.MethodGet, ts.URL+"/metrics", "").body), `flagctl_sse_streams{env="staging"} 1`)
	})
	waitChange(t, s, "staging", func() { f.write("staging", stagingFlags+"  added_enabled: true\n") })
	second := s.envs["staging"].set.Load()
	id, data := st.nextEvent()
	if data["type"] != "refetchEvaluation" || data["etag"] != second.etag || id != strings.Trim(second.etag, `"`) {
		t.Fatalf("event id %s data %v, want etag %s", id, data, second.etag)
	}
	if lm, ok := data["lastModified"].(float64); !ok || int64(lm) != second.loaded {
		t.Fatalf("lastModified %v", data["lastModified"])
	}
	if second.etag == first.etag {
		t.Fatal("the flag configuration ETag did not change")
	}

	t.Run("Last-Event-ID of an older configuration gets the missed event at once", func(t *testing.T) {
		st := openStream(t, ts.URL+"/ofrep/v1/events?env=staging", "Last-Event-ID", strings.Trim(first.etag, `"`))
		if id, _ := st.nextEvent(); id != strings.Trim(second.etag, `"`) {
			t.Fatalf("id %s", id)
		}
	})
	t.Run("the configuration's ETag is the same on every replica", func(t *testing.T) {
		g := newFixture(t, map[string]string{"staging": stagingFlags + "  added_enabled: true\n"})
		s2, _ := start(t, Config{Environments: []Environment{g.env("staging")}})
		if got := s2.envs["staging"].set.Load().etag; got != second.etag {
			t.Fatalf("%s vs %s", got, second.etag)
		}
	})
}

func TestEventStreamKeepAlive(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	_, ts := start(t, Config{Environments: []Environment{f.env("staging")}, KeepAlive: time.Millisecond})
	st := openStream(t, ts.URL+"/ofrep/v1/events")
	st.next() // retry + hello
	if got := st.next(); got != ": keep-alive\n" {
		t.Fatalf("got %q", got)
	}
}

func TestEventStreamAuth(t *testing.T) {
	s, base := startTwoEnvs(t, Config{})
	stg := s.keys[0]
	// The bulk response advertises the stream with a token, never the key.
	res := post(t, base+"/ofrep/v1/evaluate/flags", `{"context":{}}`, "X-API-Key", "stg-key")
	uri := "/ofrep/v1/events?env=staging&token=" + stg.sse
	if !strings.Contains(string(res.body), `"requestUri":"`+strings.ReplaceAll(uri, "&", `\u0026`)+`"`) || strings.Contains(string(res.body), "stg-key") {
		t.Fatalf("body %s", res.body)
	}
	tests := []struct {
		name    string
		path    string
		headers []string
		status  int
	}{
		{"advertised token", uri, nil, 200},
		{"no token", "/ofrep/v1/events?env=staging", nil, 401},
		{"token of another environment", "/ofrep/v1/events?env=production&token=" + stg.sse, nil, 401},
		{"wrong token", "/ofrep/v1/events?env=staging&token=00", nil, 401},
		{"API key header", "/ofrep/v1/events", []string{"X-API-Key", "prd-key-1"}, 200},
		{"API key of another environment", "/ofrep/v1/events?env=staging", []string{"X-API-Key", "prd-key-1"}, 403},
		{"unknown environment without a key", "/ofrep/v1/events?env=nope", nil, 401},
		{"unknown environment with a token", "/ofrep/v1/events?env=nope&token=" + stg.sse, nil, 401},
		{"unknown environment with a valid key", "/ofrep/v1/events?env=nope", []string{"X-API-Key", "stg-key"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStream(t, base+tt.path, tt.headers...)
			if st.res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", st.res.StatusCode, tt.status)
			}
		})
	}
}

func TestRefetchHonoursFlagConfigEtag(t *testing.T) {
	f, s, ts := startStaging(t)
	s.refetchWait = 50 * time.Millisecond
	e := s.envs["staging"]
	cur := e.set.Load()
	url := ts.URL + "/ofrep/v1/evaluate/flags"
	q := func(etag string, lm int64) string {
		return "?flagConfigEtag=" + strings.Trim(etag, `"`) + "&flagConfigLastModified=" + time.Unix(lm, 0).UTC().Format(time.RFC3339)
	}
	t.Run("the current configuration", func(t *testing.T) {
		if res := post(t, url+q(cur.etag, cur.loaded), `{"context":{}}`); res.status != 200 {
			t.Fatalf("%d %s", res.status, res.body)
		}
	})
	t.Run("an unknown, older configuration gets the current flags", func(t *testing.T) {
		if res := post(t, url+q(`"older"`, cur.loaded-60), `{"context":{}}`); res.status != 200 {
			t.Fatalf("%d %s", res.status, res.body)
		}
	})
	t.Run("a newer configuration this replica has not loaded: 503 Retry-After", func(t *testing.T) {
		res := post(t, url+q(`"newer"`, cur.loaded+60), `{"context":{}}`)
		if res.status != http.StatusServiceUnavailable || res.header.Get("Retry-After") != "1" {
			t.Fatalf("%d %v %s", res.status, res.header, res.body)
		}
	})
	t.Run("bad flagConfigLastModified", func(t *testing.T) {
		if res := post(t, url+"?flagConfigEtag=x&flagConfigLastModified=yesterday", `{"context":{}}`); res.status != 400 {
			t.Fatalf("%d %s", res.status, res.body)
		}
	})
	t.Run("a re-fetch waits for the reload it was told about", func(t *testing.T) {
		s.refetchWait = time.Minute
		next := newFixture(t, map[string]string{"staging": stagingFlags + "  added_enabled: true\n"})
		want, _ := start(t, Config{Environments: []Environment{next.env("staging")}})
		wantSet := want.envs["staging"].set.Load()
		got := make(chan response, 1)
		go func() { got <- post(t, url+q(wantSet.etag, cur.loaded+60), `{"context":{}}`) }()
		// the request is waiting for this replica's reload
		for len(got) == 0 && e.set.Load() == cur {
			f.write("staging", stagingFlags+"  added_enabled: true\n")
			select {
			case <-e.wait():
			case <-time.After(50 * time.Millisecond):
			}
		}
		res := <-got
		if res.status != 200 || !strings.Contains(string(res.body), "added_enabled") {
			t.Fatalf("%d %s", res.status, res.body)
		}
	})
}

// TestShutdown: in-flight requests finish, SSE streams end cleanly, Serve
// returns nil.
func TestShutdown(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	s, err := New(Config{Environments: []Environment{f.env("staging")}, Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	entered, release := make(chan struct{}), make(chan struct{})
	s.Mux().HandleFunc("GET /slow", func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		w.Write([]byte("finished"))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	st := openStream(t, base+"/ofrep/v1/events")
	st.next()
	slow := make(chan response, 1)
	go func() { slow <- do(t, http.MethodGet, base+"/slow", "") }()
	<-entered
	cancel()
	// the stream ends cleanly (EOF, not a reset)
	if _, err := st.r.ReadString('\n'); err == nil || err.Error() != "EOF" {
		t.Fatalf("stream after shutdown: %v", err)
	}
	close(release)
	if res := <-slow; res.status != 200 || string(res.body) != "finished" {
		t.Fatalf("in-flight request: %d %s", res.status, res.body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve = %v", err)
	}
}

func TestEventStreamLimit(t *testing.T) {
	withKeys, keysBase := startTwoEnvs(t, Config{})
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	_, noKeys := start(t, Config{Environments: []Environment{f.env("staging")}})
	stgToken := "/ofrep/v1/events?env=staging&token=" + withKeys.keys[0].sse
	tests := []struct {
		name    string
		base    string
		path    string
		headers []string
		// other is a stream of another caller, not limited by this one's.
		otherPath    string
		otherHeaders []string
	}{
		{"per API key", keysBase, "/ofrep/v1/events", []string{"X-API-Key", "stg-key"}, "/ofrep/v1/events", []string{"X-API-Key", "prd-key-1"}},
		{"a key's token counts as the key", keysBase, stgToken, nil, "/ofrep/v1/events", []string{"X-API-Key", "prd-key-2"}},
		{"per client address without keys", noKeys.URL, "/ofrep/v1/events", nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The streams of the subtest before end asynchronously.
			eventually(t, "the earlier streams to close", func() bool {
				withKeys.streamsMu.Lock()
				defer withKeys.streamsMu.Unlock()
				return len(withKeys.streams) == 0
			})
			var open []*stream
			for range MaxStreamsPerClient {
				st := openStream(t, tt.base+tt.path, tt.headers...)
				if st.res.StatusCode != 200 {
					t.Fatalf("stream %d: status %d", len(open)+1, st.res.StatusCode)
				}
				st.next() // the stream is registered once its hello arrives
				open = append(open, st)
			}
			over := openStream(t, tt.base+tt.path, tt.headers...)
			if over.res.StatusCode != http.StatusTooManyRequests || over.res.Header.Get("Retry-After") == "" {
				t.Fatalf("stream %d: status %d, Retry-After %q; want 429 with Retry-After", MaxStreamsPerClient+1, over.res.StatusCode, over.res.Header.Get("Retry-After"))
			}
			if tt.otherPath != "" {
				if st := openStream(t, tt.base+tt.otherPath, tt.otherHeaders...); st.res.StatusCode != 200 {
					t.Fatalf("another key's stream: status %d", st.res.StatusCode)
				}
			}
			// Closing a stream frees its place.
			open[0].res.Body.Close()
			for _, st := range open[1:] {
				defer st.res.Body.Close()
			}
			eventually(t, "a freed stream place", func() bool {
				st := openStream(t, tt.base+tt.path, tt.headers...)
				defer st.res.Body.Close()
				return st.res.StatusCode == 200
			})
		})
	}
}
