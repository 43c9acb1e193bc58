package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// env is one served environment: its watched evaluator and the flag set
// requests are answered from.
type env struct {
	s    *Server
	name string
	path string

	live atomic.Pointer[eval.Evaluator] // the watched evaluator (nil until loaded)
	set  atomic.Pointer[flagSet]        // what requests read (nil until loaded)

	mu       sync.Mutex    // serializes refresh
	changed  chan struct{} // closed and replaced when set changes
	stale    atomic.Pointer[string]
	loadErr  atomic.Pointer[string]
	reloaded atomic.Int64 // unix seconds of the last successful reload
}

// flagSet is one immutable flag set of an environment, with everything
// requests need precomputed.
type flagSet struct {
	ev      *eval.Evaluator // frozen
	names   []string        // sorted
	version string
	// timed is where the ramps and schedules stand (eval's TimedState): a
	// scheduled change publishes a new flag set without a reload.
	timed string
	// etag is the flag configuration's ETag (SSE events, flagConfigEtag): a
	// digest of the environment name, file content and timed state, equal on
	// every replica.
	etag string
	// loaded is when this replica loaded the set (unix seconds, for
	// flagConfigLastModified).
	loaded int64
	// deterministic is false when a percentage_of_time gate makes answers
	// random, or a ramp or schedule changes them by the clock: bulk ETags are
	// then not cached.
	deterministic bool
	counters      map[string]*flagCounters
	etags         etagCache
}

type flagCounters struct{ on, off prometheus.Counter }

func newEnv(s *Server, name, path string) *env {
	return &env{s: s, name: name, path: path, changed: make(chan struct{})}
}

// start watches the file; the first load must succeed.
func (e *env) start(ctx context.Context) error {
	opts := append([]eval.WatchOption{
		eval.OnReload(e.onReload),
		eval.OnError(e.onError),
	}, e.s.cfg.WatchOptions...)
	ev, err := eval.Watch(ctx, e.path, opts...)
	if err != nil {
		msg := err.Error()
		e.loadErr.Store(&msg)
		e.s.metrics.reloadErrors.WithLabelValues(e.name).Inc()
		return err
	}
	e.loadErr.Store(nil)
	e.live.Store(ev)
	e.refresh()
	e.s.wg.Add(1)
	go e.followTimeline(ctx)
	return nil
}

// followTimeline publishes the changes of ramps and schedules, which happen by
// the clock without a reload: every timelinePoll it refreshes a flag set that has
// ramps or schedules, so SSE streams announce the change and re-fetches get it.
func (e *env) followTimeline(ctx context.Context) {
	defer e.s.wg.Done()
	every(ctx, timelinePoll, func() bool {
		if set := e.set.Load(); set != nil && set.timed != "" {
			e.refresh()
		}
		return false
	})
}

// every calls f every d until f returns true or ctx ends.
func every(ctx context.Context, d time.Duration, f func() (done bool)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if f() {
				return
			}
		}
	}
}

// retry tries start until it succeeds or ctx ends.
func (e *env) retry(ctx context.Context) {
	defer e.s.wg.Done()
	every(ctx, loadRetry, func() bool {
		if err := e.start(ctx); err != nil {
			return false
		}
		e.s.log.Info("flag file loaded", "env", e.name, "path", e.path)
		return true
	})
}

func (e *env) onReload(r eval.ReloadInfo) {
	if r.Invalid == 0 {
		e.stale.Store(nil)
	}
	e.reloaded.Store(e.s.now().Unix())
	e.s.metrics.reloads.WithLabelValues(e.name).Inc()
	e.s.metrics.lastReload.WithLabelValues(e.name).Set(float64(e.s.now().Unix()))
	if e.live.Load() != nil { // the first load is published by start
		e.refresh()
		e.s.log.Info("flags reloaded", "env", e.name, "version", r.Version, "flags", r.Flags, "invalid", r.Invalid, "changed", len(r.Changed))
	}
}

func (e *env) onError(err error) {
	msg := err.Error()
	e.stale.Store(&msg)
	e.s.metrics.reloadErrors.WithLabelValues(e.name).Inc()
	var list flagfile.ErrorList
	if errors.As(err, &list) {
		e.s.log.Warn("flag file has errors; serving the last good flags", "env", e.name, "error", msg)
		return
	}
	e.s.log.Error("watching the flag file", "env", e.name, "error", msg)
}

// refresh publishes the live evaluator's current flags, when they changed, and
// wakes every waiter (SSE streams, re-fetches waiting for this version).
func (e *env) refresh() {
	ev := e.live.Load()
	if ev == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	fr := ev.Frozen()
	timed := fr.TimedState()
	old := e.set.Load()
	if old != nil && old.version == fr.Version() && old.timed == timed {
		return
	}
	fs := &flagSet{ev: fr, names: fr.Names(), version: fr.Version(), timed: timed, loaded: e.s.now().Unix(), deterministic: true,
		counters: make(map[string]*flagCounters, fr.Len())}
	sum := sha256.Sum256([]byte(e.name + "\x00" + fs.version + "\x00" + timed))
	fs.etag = strconv.Quote(hex.EncodeToString(sum[:16]))
	for _, name := range fs.names {
		fs.counters[name] = &flagCounters{
			on:  e.s.metrics.evaluations.WithLabelValues(e.name, name, "true"),
			off: e.s.metrics.evaluations.WithLabelValues(e.name, name, "false"),
		}
		// Without an actor every check reaches a percentage_of_time gate unless
		// the boolean gate is on, which wins for every context too. A ramp or
		// schedule changes answers by the clock, without a reload.
		if d := fr.Explain(name, nil); d.Gate == eval.GatePercentageOfTime || d.Timeline != "" {
			fs.deterministic = false
		}
	}
	if old != nil {
		for name := range old.counters {
			if fs.counters[name] == nil { // removed flags leave the metrics
				e.s.metrics.evaluations.DeleteLabelValues(e.name, name, "true")
				e.s.metrics.evaluations.DeleteLabelValues(e.name, name, "false")
			}
		}
	}
	e.set.Store(fs)
	close(e.changed)
	e.changed = make(chan struct{})
}

// wait returns a channel closed at the next change of the flag set.
func (e *env) wait() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.changed
}
