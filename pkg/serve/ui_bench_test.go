package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
)

// Benchmarks of `make bench-ui`. Targets, checked by internal/benchcheck:
//
//	UIList3x1000   the list page of 1,000 flags x 3 environments <= 50 ms server time
//	UIList3x1000Cold the same right after every file changed (parse, stale, rows) <= 50 ms
//	UIToggle       POST → file written → visible to eval.Watch, p99 <= 150 ms
//	UIToggleCommit the same with --commit (reported, no target)

// benchUI serves 3 environments of 1,000 flags each; with git, the flag
// directory is a git repository.
func benchUI(b *testing.B, git bool) (*Server, string) {
	b.Helper()
	dir := b.TempDir()
	var envs []Environment
	for _, name := range []string{"development", "staging", "production"} {
		path := filepath.Join(dir, name+".yaml")
		body := strings.Replace(benchFlags(1000), "environment: staging", "environment: "+name, 1)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		envs = append(envs, Environment{Name: name, Path: path})
	}
	ui := &UIConfig{}
	if git {
		b.Setenv("HOME", b.TempDir())
		os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".*.lock\n"), 0o644)
		for _, args := range [][]string{{"init", "--quiet", "-b", "main"}, {"add", "."}, {"-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", "flags"}} {
			cmd := exec.Command("git", args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("git %v: %v %s", args, err, out)
			}
		}
		ui.Git = &GitConfig{Dir: dir}
	}
	s, err := New(Config{Environments: envs, UI: ui, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		WatchOptions: []eval.WatchOption{eval.Debounce(0)}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, envs[1].Path
}

func BenchmarkUIList3x1000(b *testing.B) {
	s, _ := benchUI(b, false)
	h := s.Handler()
	req := httptest.NewRequest("GET", "/ui/", nil)
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "flag_0999_enabled") {
			b.Fatalf("%d", rec.Code)
		}
	}
}

// BenchmarkUIList3x1000Cold is the first view after every file changed: the
// files are parsed, judged for staleness and every row rendered again.
func BenchmarkUIList3x1000Cold(b *testing.B) {
	s, _ := benchUI(b, false)
	h := s.Handler()
	req := httptest.NewRequest("GET", "/ui/", nil)
	for b.Loop() {
		s.ui.files = fileCache{}
		s.ui.listRowsCache = listCache{}
		s.ui.stale = staleCache{}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d", rec.Code)
		}
	}
}

func BenchmarkUIToggle(b *testing.B)       { benchToggle(b, false) }
func BenchmarkUIToggleCommit(b *testing.B) { benchToggle(b, true) }

// benchToggle flips flag_0000_enabled in staging through the dashboard and
// waits until the server's eval.Watch serves the new value; it reports the
// p99 of request → visible.
func benchToggle(b *testing.B, git bool) {
	s, path := benchUI(b, git)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	live := s.envs["staging"].live.Load()
	var lat []time.Duration
	on := true
	for b.Loop() {
		on = !on
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		sum := sha256.Sum256(data)
		form := url.Values{"hash": {hex.EncodeToString(sum[:])}, "on": {fmt.Sprint(on)}, "everyone": {"yes"}}
		start := time.Now()
		res, err := client.PostForm(ts.URL+"/ui/env/staging/flags/flag_0000_enabled/boolean", form)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("status %d", res.StatusCode)
		}
		for live.Enabled("flag_0000_enabled") != on {
			time.Sleep(50 * time.Microsecond)
			if time.Since(start) > 10*time.Second {
				b.Fatal("the change never became visible")
			}
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
