package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Benchmarks of `make bench-serve`. Targets, checked by internal/benchcheck as
// ratios to baselines measured in the same run:
//
//	ServeSingle (HTTP/1.1 keep-alive, 64 connections) <= 1/0.6 x LimitBareHandler (time per request,
//	                                                     i.e. requests/s >= 0.6x), p99 reported
//	ServeSingle allocs/op                             <= LimitBareHandler allocs/op + 10
//	ServeBulk1000 (1,000 flags, one context)          <= 3x   LimitEncode1000 (encoding/json, fixed response)
//	ServeBulk304 (If-None-Match matches)              <= 0.2x ServeBulk1000

// loadConcurrency is the number of keep-alive connections of the load generator.
const loadConcurrency = 64

// benchFlags is a file of n flags; flag_0500_enabled has an actor, a group and
// a percentage gate.
func benchFlags(n int) string {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: staging\nflags:\n")
	for i := 0; i < n; i++ {
		switch {
		case i == 500:
			b.WriteString("  flag_0500_enabled:\n    actors:\n      \"user:42\": true\n    groups:\n      beta: true\n    percentage_of_actors: 25%\n")
		case i%3 == 0:
			fmt.Fprintf(&b, "  flag_%04d_enabled: true\n", i)
		case i%3 == 1:
			fmt.Fprintf(&b, "  flag_%04d_enabled:\n    percentage_of_actors: 50%%\n", i)
		default:
			fmt.Fprintf(&b, "  flag_%04d_enabled:\n    groups:\n      beta: true\n", i)
		}
	}
	return b.String()
}

// benchServer serves a 1,000-flag file with the request log on, written in
// the text format `flagctl serve` uses (to io.Discard).
func benchServer(b *testing.B) *Server {
	b.Helper()
	dir := b.TempDir()
	path := filepath.Join(dir, "staging.yaml")
	if err := os.WriteFile(path, []byte(benchFlags(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Environments: []Environment{{Name: "staging", Path: path}}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

const singleBody = `{"context":{"targetingKey":"user:1234","groups":["other"]}}`

// load sends b.N requests over loadConcurrency keep-alive connections and
// reports the p99 latency. Every request is the same bytes; every response is
// read whole and must have status 200.
func load(b *testing.B, h http.Handler, path, body string) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	req := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
	addr := strings.TrimPrefix(ts.URL, "http://")
	conns := make([]net.Conn, loadConcurrency)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	var next sync.Mutex
	remaining := b.N
	lat := make([][]time.Duration, loadConcurrency)
	var failed error
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := bufio.NewReader(c)
			reqBytes := []byte(req)
			for {
				next.Lock()
				if remaining == 0 || failed != nil {
					next.Unlock()
					return
				}
				remaining--
				next.Unlock()
				start := time.Now()
				if _, err := c.Write(reqBytes); err != nil {
					next.Lock()
					failed = err
					next.Unlock()
					return
				}
				res, err := http.ReadResponse(r, nil)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", res.StatusCode)
					}
				}
				if err != nil {
					next.Lock()
					failed = err
					next.Unlock()
					return
				}
				lat[i] = append(lat[i], time.Since(start))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if failed != nil {
		b.Fatal(failed)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkLimitBareHandler is the baseline: a bare net/http handler that
// writes a fixed JSON body of the size of ServeSingle's response.
func BenchmarkLimitBareHandler(b *testing.B) {
	s := benchServer(b)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/ofrep/v1/evaluate/flags/flag_0500_enabled", strings.NewReader(singleBody))
	s.Handler().ServeHTTP(rec, req)
	fixed := rec.Body.Bytes()
	if rec.Code != 200 || len(fixed) < 100 {
		b.Fatalf("%d %s", rec.Code, fixed)
	}
	load(b, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(fixed)
	}), "/ofrep/v1/evaluate/flags/flag_0500_enabled", singleBody)
}

// BenchmarkServeSingle is one flag evaluated per request, through the whole
// handler (routing, logging, metrics, JSON in and out).
func BenchmarkServeSingle(b *testing.B) {
	load(b, benchServer(b).Handler(), "/ofrep/v1/evaluate/flags/flag_0500_enabled", singleBody)
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

type resettableBody struct{ bytes.Reader }

func (*resettableBody) Close() error { return nil }

// bulk calls the bulk handler directly (no transport): the server's own cost.
func bulk(b *testing.B, inm bool, want int) {
	s := benchServer(b)
	body := []byte(`{"context":{"targetingKey":"user:1234","groups":["beta"]}}`)
	rb := &resettableBody{}
	rb.Reset(body)
	req := httptest.NewRequest(http.MethodPost, "/ofrep/v1/evaluate/flags", rb)
	w := &discardWriter{h: http.Header{}}
	s.Handler().ServeHTTP(w, req)
	etag := w.h.Get("ETag")
	if w.status != 200 || w.n < 100_000 || etag == "" {
		b.Fatalf("bulk: %d, %d bytes, ETag %q", w.status, w.n, etag)
	}
	if inm {
		req.Header.Set("If-None-Match", etag)
	}
	b.ReportAllocs()
	for b.Loop() {
		rb.Reset(body)
		clear(w.h)
		w.n = 0
		s.Handler().ServeHTTP(w, req)
		if w.status != want {
			b.Fatalf("status %d, want %d", w.status, want)
		}
	}
}

// BenchmarkServeBulk1000 evaluates 1,000 flags for one context.
func BenchmarkServeBulk1000(b *testing.B) { bulk(b, false, http.StatusOK) }

// BenchmarkServeBulk304 is the same request with a matching If-None-Match.
func BenchmarkServeBulk304(b *testing.B) { bulk(b, true, http.StatusNotModified) }

// BenchmarkLimitEncode1000 is the baseline of bulk evaluation: encoding/json
// of a fixed 1,000-entry response of the same shape.
func BenchmarkLimitEncode1000(b *testing.B) {
	type meta struct {
		Gate    string `json:"gate"`
		Version string `json:"version"`
	}
	type flag struct {
		Key      string `json:"key"`
		Value    bool   `json:"value"`
		Reason   string `json:"reason"`
		Variant  string `json:"variant"`
		Metadata meta   `json:"metadata"`
	}
	type stream struct {
		Type     string            `json:"type"`
		Endpoint map[string]string `json:"endpoint"`
		Delay    int               `json:"inactivityDelaySec"`
	}
	type response struct {
		Flags        []flag            `json:"flags"`
		Metadata     map[string]string `json:"metadata"`
		EventStreams []stream          `json:"eventStreams"`
	}
	version := strings.Repeat("ab", 32)
	resp := response{Metadata: map[string]string{"environment": "staging", "version": version},
		EventStreams: []stream{{"sse", map[string]string{"requestUri": "/ofrep/v1/events?env=staging"}, 120}}}
	for i := 0; i < 1000; i++ {
		resp.Flags = append(resp.Flags, flag{fmt.Sprintf("flag_%04d_enabled", i), i%2 == 0, "TARGETING_MATCH", "on", meta{"group", version}})
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.n = 0
		if err := json.NewEncoder(w).Encode(resp); err != nil {
			b.Fatal(err)
		}
	}
}
