package eval

import (
	"sort"
	"sync"
	"time"
)

// TimeSource is where an Evaluator reads the time for ramps and schedules, and
// sets the timer that wakes it at their next change. The default is the system
// clock (time.Now, time.AfterFunc); tests pass a FakeClock with the Clock option.
type TimeSource interface {
	Now() time.Time
	// AfterFunc calls f, on a goroutine of its choice, once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending call set by TimeSource.AfterFunc. *time.Timer is one.
type Timer interface {
	// Stop cancels the call; it reports whether the call was still pending.
	Stop() bool
}

// Clock makes Load, New or Watch read the time from c for ramps and schedules
// (see flagfile.Ramp and flagfile.ScheduleEntry). The default, and a nil c, is
// the system clock. Ramps and schedules keep following the clock after Close
// (which stops file watching only); a dropped Evaluator's pending timer does not
// keep it alive.
func Clock(c TimeSource) LoadOption { return clockOption{c} }

type clockOption struct{ c TimeSource }

func (o clockOption) applyLoad(c *loadConfig)   { c.clock = o.c }
func (o clockOption) applyWatch(c *watchConfig) { o.applyLoad(&c.loadConfig) }

type systemClock struct{}

func (systemClock) Now() time.Time                            { return time.Now() }
func (systemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// FakeClock is a TimeSource for tests: its time moves only when Set or Advance
// is called, and they run every call that has come due, in time order, before
// returning. The zero FakeClock is not usable; call NewFakeClock.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *FakeClock
	at      time.Time
	seq     int
	f       func()
	pending bool
}

// NewFakeClock returns a FakeClock that reads t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the fake time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc registers f to run when the fake time reaches Now()+d. It never runs
// f itself, even for d <= 0: the next Set or Advance does.
func (c *FakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &fakeTimer{c: c, at: c.now.Add(d), seq: c.seq, f: f, pending: true}
	c.timers = append(c.timers, t)
	return t
}

// Stop cancels the timer.
func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.pending
	t.pending = false
	return was
}

// Advance moves the fake time forward by d and runs what came due.
func (c *FakeClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Set moves the fake time to t and runs, in time order, every pending call due
// at or before t, including calls those calls register. Moving it back is a wall
// clock set back (NTP, an operator): like time.AfterFunc's timers, pending calls
// keep the time they had left to wait.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	if back := t.Sub(c.now); back < 0 {
		for _, tm := range c.timers {
			tm.at = tm.at.Add(back)
		}
	}
	c.now = t
	c.mu.Unlock()
	for {
		c.mu.Lock()
		live := c.timers[:0]
		for _, tm := range c.timers {
			if tm.pending {
				live = append(live, tm)
			}
		}
		c.timers = live
		sort.Slice(live, func(i, j int) bool {
			if !live[i].at.Equal(live[j].at) {
				return live[i].at.Before(live[j].at)
			}
			return live[i].seq < live[j].seq
		})
		var due *fakeTimer
		if len(live) > 0 && !live[0].at.After(c.now) {
			due = live[0]
			due.pending = false
		}
		c.mu.Unlock()
		if due == nil {
			return
		}
		due.f()
	}
}

// Pending returns the number of calls waiting for their time (for tests).
func (c *FakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if t.pending {
			n++
		}
	}
	return n
}
