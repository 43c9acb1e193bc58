package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// reloadWriters are the ways a new version of the file is put in place, as the
// reload benchmarks exercise them. write puts content at path and returns when it
// is there; setup prepares the path before Watch.
var reloadWriters = []struct {
	name  string
	setup func(dir, path, content string) error
	write func(dir, path, content string, i int) error
}{
	{"rename", writeTo, func(dir, path, content string, _ int) error { // flagctl, editors, git
		tmp := filepath.Join(dir, ".tmp")
		if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}},
	{"recreate", writeTo, func(dir, path, content string, _ int) error { // rm, then write
		os.Remove(path)
		return os.WriteFile(path, []byte(content), 0o644)
	}},
	{"symlink", func(dir, path, content string) error { // current -> v/N swapped
		os.Mkdir(filepath.Join(dir, "v"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, "v", "0.yaml"), []byte(content), 0o644); err != nil {
			return err
		}
		return os.Symlink(filepath.Join("v", "0.yaml"), path)
	}, func(dir, path, content string, i int) error {
		target := filepath.Join("v", fmt.Sprintf("%d.yaml", i))
		if err := os.WriteFile(filepath.Join(dir, target), []byte(content), 0o644); err != nil {
			return err
		}
		tmp := filepath.Join(dir, ".link")
		os.Remove(tmp)
		if err := os.Symlink(target, tmp); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}},
	{"inplace", writeTo, func(dir, path, content string, _ int) error { // truncate, write, close
		return os.WriteFile(path, []byte(content), 0o644)
	}},
}

func writeTo(_, path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// reloadVersion is version i of the benchmark file: a changes every version,
// stable is on in all of them, padding makes a write take more than one syscall.
func reloadVersion(i int) string {
	return flagsFile("a", fmt.Sprint(i%2 == 1), "stable", "true", "pad", "{description: \""+strings.Repeat("x", 8000)+"\"}", "b", "true")
}

// BenchmarkReloadLatency measures write → visible to Enabled over 200 writes of
// each kind, with the default 25 ms debounce, and reports p50-ms and p99-ms, and
// glitches: checks of a flag on in every version that read off (missing or a
// half-written file) while a reader checks it continuously. Targets: atomic
// replacements (rename, recreate, symlink) p99 <= 5 ms, in-place writes p99 <=
// debounce + 5 ms, 0 glitches.
func BenchmarkReloadLatency(b *testing.B) {
	for _, w := range reloadWriters {
		b.Run("write="+w.name, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "production.yaml")
			if err := w.setup(dir, path, reloadVersion(0)); err != nil {
				b.Fatal(err)
			}
			ev, err := Watch(context.Background(), path)
			if err != nil {
				b.Fatal(err)
			}
			defer ev.Close()
			var glitches atomic.Int64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					select {
					case <-stop:
						return
					default:
					}
					if !ev.Enabled("stable") || !ev.Enabled("b") {
						glitches.Add(1)
					}
					time.Sleep(20 * time.Microsecond)
				}
			}()
			var lat []time.Duration
			n := 0
			for b.Loop() {
				lat = lat[:0]
				for i := 1; i <= 200; i++ {
					n++
					want := n%2 == 1
					start := time.Now()
					if err := w.write(dir, path, reloadVersion(n), n); err != nil {
						b.Fatal(err)
					}
					for ev.Enabled("a") != want {
						if time.Since(start) > 5*time.Second {
							b.Fatal("change never became visible")
						}
						time.Sleep(50 * time.Microsecond)
					}
					lat = append(lat, time.Since(start))
				}
			}
			close(stop)
			<-done
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(glitches.Load()), "glitches")
		})
	}
}

// BenchmarkReloadBurst writes 1,000 versions by rename as fast as it can and
// reports how many reloads they caused (target: far fewer than 1,000); the last
// version must be the one served.
func BenchmarkReloadBurst(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "production.yaml")
	os.WriteFile(path, []byte(flagsFile("v0", "true")), 0o644)
	var reloads atomic.Int64
	ev, err := Watch(context.Background(), path, OnReload(func(ReloadInfo) { reloads.Add(1) }))
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Close()
	n := 0
	var perBurst int64
	for b.Loop() {
		before := reloads.Load()
		for i := 0; i < 1000; i++ {
			n++
			tmp := filepath.Join(dir, ".tmp")
			os.WriteFile(tmp, []byte(flagsFile(fmt.Sprintf("v%d", n), "true")), 0o644)
			os.Rename(tmp, path)
		}
		last := fmt.Sprintf("v%d", n)
		deadline := time.Now().Add(5 * time.Second)
		for !ev.Enabled(last) {
			if time.Now().After(deadline) {
				b.Fatal("the last version of the burst was never served")
			}
			time.Sleep(100 * time.Microsecond)
		}
		time.Sleep(20 * time.Millisecond) // a reload after the last one would show here
		if !ev.Enabled(last) || ev.Len() != 1 {
			b.Fatal("the last version did not stay served")
		}
		perBurst = reloads.Load() - before
	}
	b.ReportMetric(float64(perBurst), "reloads/1000-writes")
}

// BenchmarkReload10k measures one reload of a 10,000-flag file (read, hash,
// parse, compile, publish). Target: <= 150 ms.
func BenchmarkReload10k(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "production.yaml")
	big := largeFile(b)
	os.WriteFile(path, []byte(big), 0o644)
	ev, err := Watch(context.Background(), path, watchFunc(func(c *watchConfig) { c.noEvents = true }), PollInterval(0))
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Close()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		os.WriteFile(path, []byte(big+fmt.Sprintf("  bench_%d_enabled: true\n", i)), 0o644)
		b.StartTimer()
		before := ev.Version()
		if err := ev.watch.reload(false); err != nil || ev.Version() == before {
			b.Fatalf("reload: %v, version changed: %v", err, ev.Version() != before)
		}
	}
}

// BenchmarkEnabledDuringReloads measures Enabled while the file is reloaded
// continuously. Target: <= 1.5x BenchmarkEnabled.
func BenchmarkEnabledDuringReloads(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "production.yaml")
	content := benchFile(1000, "    enabled: true\n")
	os.WriteFile(path, []byte(content), 0o644)
	var reloads atomic.Int64
	ev, err := Watch(context.Background(), path, Debounce(0), OnReload(func(ReloadInfo) { reloads.Add(1) }))
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Close()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			tmp := filepath.Join(dir, ".tmp")
			os.WriteFile(tmp, []byte(content+fmt.Sprintf("  r_%d: true\n", i)), 0o644)
			os.Rename(tmp, path)
			time.Sleep(time.Millisecond)
		}
	}()
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = ev.Enabled("flag_0500_enabled")
	}
	close(stop)
	<-done
	if !sinkBool || reloads.Load() == 0 {
		b.Fatalf("wrong answer or no reloads (%d)", reloads.Load())
	}
	b.ReportMetric(float64(reloads.Load()), "reloads")
}

// BenchmarkReloadHeap10k watches a 10,000-flag file, reloads it 1,000 times
// (two versions in turn, each reload a full read, parse and compile) and reports
// the live heap the watching evaluator holds afterwards: live-MB, and snapshots,
// that heap over the heap of the first load. Target: snapshots <= 2 — no growth
// beyond the snapshot served and one being replaced. Slow (1,000 reloads of 10,000
// flags); `make bench-reload-heap` runs it once.
func BenchmarkReloadHeap10k(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "production.yaml")
	big := largeFile(b)
	versions := []string{big + "  heap_a_enabled: true\n", big + "  heap_b_enabled: true\n"}
	os.WriteFile(path, []byte(versions[0]), 0o644)
	var live, ratio float64
	for b.Loop() {
		var base, first, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&base)
		ev, err := Watch(context.Background(), path, watchFunc(func(c *watchConfig) { c.noEvents = true }), PollInterval(0))
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&first)
		for i := 1; i <= 1000; i++ {
			os.WriteFile(path, []byte(versions[i%2]), 0o644)
			before := ev.Version()
			if err := ev.watch.reload(false); err != nil || ev.Version() == before {
				b.Fatalf("reload %d: %v", i, err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if !ev.Enabled("heap_a_enabled") || !ev.EnabledFor("flag_09999_enabled", Subject{ID: "user:99990"}) {
			b.Fatal("wrong answer after the reloads")
		}
		ev.Close()
		one := float64(first.HeapAlloc) - float64(base.HeapAlloc)
		live = (float64(after.HeapAlloc) - float64(base.HeapAlloc)) / 1e6
		ratio = live * 1e6 / one
		runtime.KeepAlive(ev)
	}
	b.ReportMetric(live, "live-MB")
	b.ReportMetric(ratio, "snapshots")
}
