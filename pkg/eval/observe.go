package eval

import (
	"hash/maphash"
	"sync"
	"time"
)

// Evaluation is one check as observers see it.
type Evaluation struct {
	Flag string
	// ActorID is "" for checks without an actor.
	ActorID string
	Enabled bool
	// Gate is the deciding gate (GateUndefined for an undefined flag).
	Gate Gate
}

// Observer is told about every check of an Evaluator it is registered with
// (Observe). Observe runs on the caller's goroutine, on the hot path: keep it
// fast and safe for concurrent use. An Evaluator without observers pays nothing.
type Observer interface {
	Observe(Evaluation)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Evaluation)

// Observe calls fn(ev).
func (fn ObserverFunc) Observe(ev Evaluation) { fn(ev) }

// Observe registers an observer with Load or Watch. Several observers are called
// in the order given.
func Observe(o Observer) LoadOption { return observeOption{o} }

type observeOption struct{ o Observer }

func (o observeOption) applyLoad(c *loadConfig)   { c.observers = append(c.observers, o.o) }
func (o observeOption) applyWatch(c *watchConfig) { o.applyLoad(&c.loadConfig) }

func (c *loadConfig) observer() Observer {
	switch len(c.observers) {
	case 0:
		return nil
	case 1:
		return c.observers[0]
	}
	return multiObserver(c.observers)
}

type multiObserver []Observer

func (m multiObserver) Observe(ev Evaluation) {
	for _, o := range m {
		o.Observe(ev)
	}
}

// FirstSeen is an Observer that reports, once per (flag, actor), the moment an
// actor first saw a flag enabled through an actor, group or percentage gate —
// the rollout events analytics want ("user:42 got new_checkout_enabled at …").
// Checks without an actor and the boolean gate are not reported. It remembers at
// most its capacity of pairs; past that it forgets the oldest, which may then be
// reported again.
type FirstSeen struct {
	report func(flag, actorID string, at time.Time)
	now    func() time.Time
	seed   maphash.Seed
	shards [16]firstSeenShard
}

type firstSeenShard struct {
	mu    sync.Mutex
	seen  map[uint64]struct{}
	order []uint64 // ring of keys, oldest at next
	next  int
	limit int
}

// NewFirstSeen returns a FirstSeen that remembers up to capacity (flag, actor)
// pairs (at least 16) and calls report for each first sighting. report runs on
// the checking goroutine: hand the event to a channel or a batcher.
func NewFirstSeen(capacity int, report func(flag, actorID string, at time.Time)) *FirstSeen {
	fs := &FirstSeen{report: report, now: time.Now, seed: maphash.MakeSeed()}
	per := max(capacity/len(fs.shards), 1)
	for i := range fs.shards {
		fs.shards[i].seen = make(map[uint64]struct{}, per)
		fs.shards[i].limit = per
	}
	return fs
}

// Observe implements Observer.
func (fs *FirstSeen) Observe(ev Evaluation) {
	if !ev.Enabled || ev.ActorID == "" || (ev.Gate != GateActor && ev.Gate != GateGroup && ev.Gate != GatePercentageOfActors && ev.Gate != GatePercentageOfTime) {
		return
	}
	var h maphash.Hash
	h.SetSeed(fs.seed)
	h.WriteString(ev.Flag)
	h.WriteByte(0)
	h.WriteString(ev.ActorID)
	key := h.Sum64()
	s := &fs.shards[key%uint64(len(fs.shards))]
	s.mu.Lock()
	if _, ok := s.seen[key]; ok {
		s.mu.Unlock()
		return
	}
	if len(s.order) < s.limit {
		s.order = append(s.order, key)
	} else {
		delete(s.seen, s.order[s.next])
		s.order[s.next] = key
		s.next = (s.next + 1) % s.limit
	}
	s.seen[key] = struct{}{}
	s.mu.Unlock()
	fs.report(ev.Flag, ev.ActorID, fs.now())
}
