package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkReloadLatency measures write → visible to Enabled over 200 writes
// (temp file + rename, as flagctl writes) with the default 25 ms debounce, and
// reports p50-ms and p99-ms. Target: p99 <= 100 ms.
func BenchmarkReloadLatency(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "production.yaml")
	os.WriteFile(path, []byte(flagsFile("a", "false")), 0o644)
	ev, err := Watch(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Close()
	var lat []time.Duration
	for b.Loop() {
		lat = lat[:0]
		for i := 1; i <= 200; i++ {
			want := i%2 == 1
			tmp := filepath.Join(dir, ".tmp")
			os.WriteFile(tmp, []byte(flagsFile("a", fmt.Sprint(want))), 0o644)
			start := time.Now()
			os.Rename(tmp, path)
			for ev.Enabled("a") != want {
				if time.Since(start) > 5*time.Second {
					b.Fatal("change never became visible")
				}
				time.Sleep(100 * time.Microsecond)
			}
			lat = append(lat, time.Since(start))
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
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
