package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/launchdarkly/go-sdk-common/v3/ldcontext"
	"github.com/launchdarkly/go-sdk-common/v3/ldlog"
	ld "github.com/launchdarkly/go-server-sdk/v7"
	"github.com/launchdarkly/go-server-sdk/v7/ldcomponents"
	"github.com/launchdarkly/go-server-sdk/v7/ldfiledata"
	"github.com/launchdarkly/go-server-sdk/v7/ldfilewatch"

	"github.com/flagctl/flagctl/pkg/eval"
)

// reloadLib is one library's file watcher under test: start watches path and
// returns a check of a flag (false for a flag it does not have) and a stop.
type reloadLib struct {
	name    string
	ext     string
	version func(i int) []byte // file content of version i: a flips, stable and b stay on
	start   func(tb testing.TB, path string) (check func(flag string) bool, stop func())
}

// padding makes every version more than one write syscall long.
var padding = strings.Repeat("x", 8000)

var reloadLibs = []reloadLib{
	{"flagctl", "yaml",
		func(i int) []byte {
			return fmt.Appendf(nil, "version: 1\nenvironment: production\nflags:\n  a: %v\n  stable: true\n  pad: {description: %q}\n  b: true\n", i%2 == 1, padding)
		},
		func(tb testing.TB, path string) (func(string) bool, func()) {
			ev, err := eval.Watch(context.Background(), path)
			if err != nil {
				tb.Fatal(err)
			}
			return ev.Enabled, func() { ev.Close() }
		}},
	{"launchdarkly", "json",
		func(i int) []byte {
			data, _ := json.Marshal(map[string]any{"flagValues": map[string]any{"a": i%2 == 1, "stable": true, "pad": padding, "b": true}})
			return data
		},
		func(tb testing.TB, path string) (func(string) bool, func()) {
			client, err := ld.MakeCustomClient("sdk-key-offline", ld.Config{
				DataSource:       ldfiledata.DataSource().FilePaths(path).Reloader(ldfilewatch.WatchFiles),
				Events:           ldcomponents.NoEvents(),
				DiagnosticOptOut: true,
				Logging:          ldcomponents.Logging().Loggers(ldlog.NewDisabledLoggers()),
			}, 5*time.Second)
			if err != nil {
				tb.Fatal(err)
			}
			user := ldcontext.New("user:1")
			return func(flag string) bool { v, _ := client.BoolVariation(flag, user, false); return v }, func() { client.Close() }
		}},
}

// reloadWrites are the ways a new version is put in place (the same as
// pkg/eval's BenchmarkReloadLatency).
var reloadWrites = []struct {
	name  string
	setup func(dir, path string, content []byte) error
	write func(dir, path string, content []byte, i int) error
}{
	{"rename", plainSetup, func(dir, path string, content []byte, _ int) error {
		tmp := filepath.Join(dir, ".tmp")
		if err := os.WriteFile(tmp, content, 0o644); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}},
	{"recreate", plainSetup, func(_, path string, content []byte, _ int) error {
		os.Remove(path)
		return os.WriteFile(path, content, 0o644)
	}},
	{"symlink", func(dir, path string, content []byte) error {
		os.Mkdir(filepath.Join(dir, "v"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, "v", "0"), content, 0o644); err != nil {
			return err
		}
		return os.Symlink(filepath.Join("v", "0"), path)
	}, func(dir, path string, content []byte, i int) error {
		target := filepath.Join("v", fmt.Sprint(i))
		if err := os.WriteFile(filepath.Join(dir, target), content, 0o644); err != nil {
			return err
		}
		tmp := filepath.Join(dir, ".link")
		os.Remove(tmp)
		if err := os.Symlink(target, tmp); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}},
	{"inplace", plainSetup, func(_, path string, content []byte, _ int) error {
		return os.WriteFile(path, content, 0o644)
	}},
}

func plainSetup(_, path string, content []byte) error { return os.WriteFile(path, content, 0o644) }

// BenchmarkPeersReload puts flagctl's eval.Watch and the LaunchDarkly Go SDK's
// file watcher (ldfiledata + ldfilewatch) side by side: 200 writes of each kind,
// write → visible latency (p50-ms, p99-ms), glitches (checks of a flag on in
// every version that read off while a reader checks continuously) and missed
// (writes not visible within 2 s).
func BenchmarkPeersReload(b *testing.B) {
	for _, w := range reloadWrites {
		for _, l := range reloadLibs {
			b.Run("write="+w.name+"/lib="+l.name, func(b *testing.B) {
				dir := b.TempDir()
				path := filepath.Join(dir, "flags."+l.ext)
				if err := w.setup(dir, path, l.version(0)); err != nil {
					b.Fatal(err)
				}
				check, stop := l.start(b, path)
				defer stop()
				if !check("stable") {
					b.Fatal("the first version is not served")
				}
				var glitches atomic.Int64
				quit, done := make(chan struct{}), make(chan struct{})
				go func() {
					defer close(done)
					for {
						select {
						case <-quit:
							return
						default:
						}
						if !check("stable") || !check("b") {
							glitches.Add(1)
						}
						time.Sleep(20 * time.Microsecond)
					}
				}()
				var lat []time.Duration
				missed, n := 0, 0
				for b.Loop() {
					lat, missed = lat[:0], 0
					for i := 1; i <= 200; i++ {
						n++
						want := n%2 == 1
						start := time.Now()
						if err := w.write(dir, path, l.version(n), n); err != nil {
							b.Fatal(err)
						}
						for check("a") != want {
							if time.Since(start) > 2*time.Second {
								missed++
								break
							}
							time.Sleep(50 * time.Microsecond)
						}
						lat = append(lat, time.Since(start))
					}
				}
				close(quit)
				<-done
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(glitches.Load()), "glitches")
				b.ReportMetric(float64(missed), "missed")
			})
		}
	}
}
