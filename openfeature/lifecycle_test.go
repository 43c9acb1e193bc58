package openfeature

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/flagctl/flagctl/pkg/eval"
)

// TestShutdownDuringReload: Shutdown never waits for a reload callback while
// holding the lock that callback needs. A user's OnError holds the watcher in a
// reload (after the provider's own OnError, before its OnReload) until Shutdown
// has begun.
func TestShutdownDuringReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	os.WriteFile(path, []byte(flags), 0o644)
	inCallback := make(chan struct{}, 1)
	release := make(chan struct{})
	var armed atomic.Bool
	p := New(path, eval.OnError(func(error) {
		if armed.Load() {
			inCallback <- struct{}{}
			<-release
		}
	}))
	if err := p.Init(of.NewTargetlessEvaluationContext(nil)); err != nil {
		t.Fatal(err)
	}
	armed.Store(true)
	// One flag invalid: OnError (the provider's, then the user's), then OnReload.
	os.WriteFile(path, []byte(flags+"  broken_enabled: yes\n"), 0o644)
	select {
	case <-inCallback:
	case <-time.After(5 * time.Second):
		t.Fatal("no reload")
	}
	done := make(chan struct{})
	go func() { p.Shutdown(); close(done) }()
	time.Sleep(50 * time.Millisecond) // let Shutdown take what it takes
	close(release)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown deadlocks with the reload callback")
	}
}

// TestUserCallbacksCompose: a user's OnReload and OnError run after the
// provider's own, which keeps sending its events.
func TestUserCallbacksCompose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	os.WriteFile(path, []byte(flags), 0o644)
	var mu sync.Mutex
	var user []string
	p := New(path,
		eval.OnReload(func(r eval.ReloadInfo) {
			mu.Lock()
			user = append(user, "reload "+strings.Join(r.Changed, ","))
			mu.Unlock()
		}),
		eval.OnError(func(error) { mu.Lock(); user = append(user, "error"); mu.Unlock() }))
	if err := p.Init(of.NewTargetlessEvaluationContext(nil)); err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown()
	next := func(want of.EventType) of.Event {
		t.Helper()
		select {
		case e := <-p.EventChannel():
			if e.EventType != want {
				t.Fatalf("event %s, want %s", e.EventType, want)
			}
			return e
		case <-time.After(5 * time.Second):
			t.Fatalf("no %s event", want)
		}
		return of.Event{}
	}
	os.WriteFile(path, []byte(strings.Replace(flags, "off_enabled: false", "off_enabled: true", 1)), 0o644)
	if e := next(of.ProviderConfigChange); strings.Join(e.FlagChanges, ",") != "off_enabled" {
		t.Errorf("changes %v", e.FlagChanges)
	}
	os.WriteFile(path, []byte("version: 1\nflags: [\n"), 0o644)
	next(of.ProviderStale)
	os.WriteFile(path, []byte(flags), 0o644)
	next(of.ProviderReady)
	next(of.ProviderConfigChange)
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(user, "; "); !strings.HasPrefix(got, "reload ") || !strings.Contains(got, "reload off_enabled; error; reload off_enabled") {
		t.Errorf("user callbacks: %s", got)
	}
}

// TestObserveOncePerEvaluation: observers passed to New see every evaluation
// through the SDK exactly once.
func TestObserveOncePerEvaluation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	os.WriteFile(path, []byte(flags), 0o644)
	var n atomic.Int64
	p := New(path, eval.Observe(eval.ObserverFunc(func(eval.Evaluation) { n.Add(1) })))
	if err := of.SetNamedProviderAndWait("observe", p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Shutdown)
	client := of.NewClient("observe")
	for i := 0; i < 10; i++ {
		ctx := of.NewEvaluationContext(fmt.Sprintf("user:%d", i), map[string]any{"groups": []string{"beta_testers"}})
		client.BooleanValue(context.Background(), "new_checkout_enabled", false, ctx)
	}
	if got := n.Load(); got != 10 {
		t.Errorf("%d observations for 10 evaluations", got)
	}
}
