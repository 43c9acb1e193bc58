package serve

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestHealthAndReadiness(t *testing.T) {
	f, s, ts := startStaging(t)
	if res := do(t, http.MethodGet, ts.URL+"/healthz", ""); res.status != 200 || string(res.body) != "{\"status\":\"ok\"}\n" {
		t.Fatalf("healthz %d %s", res.status, res.body)
	}
	readyz := func() (int, Readiness) {
		res := do(t, http.MethodGet, ts.URL+"/readyz", "")
		var rd Readiness
		if err := json.Unmarshal(res.body, &rd); err != nil {
			t.Fatal(err)
		}
		return res.status, rd
	}
	status, rd := readyz()
	if e := rd.Environments[0]; status != 200 || !rd.Ready || !e.Loaded || e.Flags != 3 || len(e.Version) != 64 || e.Stale != "" || e.LastReload == "" {
		t.Fatalf("%d %+v", status, rd)
	}
	f.write("staging", "version: 1\nenvironment: staging\nflags: [oops\n")
	eventually(t, "a stale report", func() bool { return s.Readiness().Environments[0].Stale != "" })
	status, rd = readyz()
	if e := rd.Environments[0]; status != 200 || !rd.Ready || !strings.Contains(e.Stale, "staging.yaml:") {
		t.Fatalf("a stale file keeps the server ready and is reported: %d %+v", status, rd)
	}
	waitChange(t, s, "staging", func() { f.write("staging", stagingFlags+"  added_enabled: true\n") })
	eventually(t, "the stale report to clear", func() bool { return s.Readiness().Environments[0].Stale == "" })
}

func TestWaitForFiles(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	s, ts := start(t, Config{Environments: []Environment{f.env("staging"), f.env("production")}, WaitForFiles: true})
	res := do(t, http.MethodGet, ts.URL+"/readyz", "")
	if res.status != http.StatusServiceUnavailable || !strings.Contains(string(res.body), "production.yaml") {
		t.Fatalf("readyz before the file exists: %d %s", res.status, res.body)
	}
	if res := post(t, ts.URL+"/env/production/ofrep/v1/evaluate/flags", `{"context":{}}`); res.status != 503 || res.header.Get("Retry-After") == "" {
		t.Fatalf("evaluation before the file exists: %d %s", res.status, res.body)
	}
	f.write("production", productionFlags)
	eventually(t, "production to load", func() bool { return s.Readiness().Ready })
	if res := post(t, ts.URL+"/env/production/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":{}}`); res.status != 200 {
		t.Fatalf("after the file appeared: %d %s", res.status, res.body)
	}
}

func TestMetrics(t *testing.T) {
	f, s, ts := startStaging(t)
	url := ts.URL + "/ofrep/v1/evaluate/flags/"
	post(t, url+"dark_mode_enabled", `{"context":{}}`)
	post(t, url+"dark_mode_enabled", `{"context":{}}`)
	post(t, url+"off_enabled", `{"context":{}}`)
	post(t, url+"nope_enabled", `{"context":{}}`)
	post(t, ts.URL+"/ofrep/v1/evaluate/flags", `{"context":{}}`)
	f.write("staging", "version: 1\nflags: [\n")
	eventually(t, "a reload error", func() bool { return s.Readiness().Environments[0].Stale != "" })
	res := do(t, http.MethodGet, ts.URL+"/metrics", "")
	body := string(res.body)
	for _, want := range []string{
		`flagctl_evaluations_total{env="staging",flag="dark_mode_enabled",result="true"} 3`,
		`flagctl_evaluations_total{env="staging",flag="off_enabled",result="false"} 2`,
		`flagctl_flag_not_found_total{env="staging"} 1`,
		`flagctl_reloads_total{env="staging"} 1`,
		`flagctl_reload_errors_total{env="staging"} `, // at least once (the poll re-reads the broken file)
		`flagctl_last_reload_success_timestamp_seconds{env="staging"}`,
		`flagctl_http_request_duration_seconds_count{code="200",route="POST /ofrep/v1/evaluate/flags/{key}"} 3`,
		`flagctl_http_request_duration_seconds_count{code="404",route="POST /ofrep/v1/evaluate/flags/{key}"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) || strings.Contains(body, want+"0\n") {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestRequestLog(t *testing.T) {
	f := newFixture(t, map[string]string{"staging": stagingFlags})
	var buf syncBuffer
	s, ts := start(t, Config{Environments: []Environment{f.env("staging", "k")}, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	post(t, ts.URL+"/ofrep/v1/evaluate/flags/dark_mode_enabled", `{"context":{}}`, "X-API-Key", "k")
	st := s.keys[0].sse
	do(t, http.MethodGet, ts.URL+"/ofrep/v1/events?env=staging&token=WRONG"+st[:0], "")
	do(t, http.MethodGet, ts.URL+"/readyz", "") // Debug: not in an Info log
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON record: %s", line)
		}
		if m["msg"] == "request" {
			records = append(records, m)
		}
	}
	if len(records) != 2 {
		t.Fatalf("records %v", records)
	}
	r := records[0]
	if r["method"] != "POST" || r["path"] != "/ofrep/v1/evaluate/flags/dark_mode_enabled" || r["status"] != 200.0 || r["took"] == nil {
		t.Errorf("record %v", r)
	}
	if strings.Contains(buf.String(), "token=") || strings.Contains(buf.String(), "WRONG") {
		t.Errorf("the log has the query string (tokens): %s", buf.String())
	}
}
