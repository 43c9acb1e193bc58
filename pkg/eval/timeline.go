package eval

import (
	"sync/atomic"
	"time"
	"weak"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// How ramps and schedules are evaluated without reading the clock on the hot path.
//
// A flag with a ramp or a schedule compiles to a compiled whose timed field holds
// the flag's model and, behind an atomic pointer, the compiled plain gates in
// effect now. decide follows that pointer: one extra load, no clock read, no
// allocation. Flags without a ramp or schedule have a nil timed field and pay one
// predictable branch.
//
// The Evaluator keeps a single timer for the next change of any timed flag (a
// schedule entry, a ramp step, or a linear ramp moving by 0.001%). When it fires,
// every timed flag is recompiled for the time read then and the timer is re-armed.
// A linear ramp is refreshed at most once per rampRefresh, so between two
// refreshes its value lags the exact one by less than that; exact boundaries
// (ramp start, end, steps, schedule entries) are never late. A timer waits at most
// maxTimerWait, so a wall clock that jumps (NTP, suspend) is caught up within it.

const (
	// rampRefresh is the shortest interval between two refreshes of a linear ramp
	// (1 s): a 1%→100% ramp over an hour moves 0.001% every 36 ms, and refreshing
	// that often would cost more than it is worth.
	rampRefresh = time.Second
	// maxTimerWait is the longest a timer sleeps before re-reading the wall clock
	// (1 min).
	maxTimerWait = time.Minute
)

// timedFlag is the time-dependent part of a compiled flag.
type timedFlag struct {
	fl *flagfile.Flag // the flag as written (a clone, no source positions)
	// milestones are the exact times of the flag's timeline, sorted.
	milestones []time.Time
	// cur is the compiled plain gates in effect; decide reads it.
	cur atomic.Pointer[compiled]
	// passed is how many milestones are at or before the time of cur
	// (TimedState).
	passed atomic.Int64

	// The Evaluator's timer keeps these, under its mutex: when cur was computed,
	// and when it next changes (hasDue false: never).
	at, due       time.Time
	fresh, hasDue bool
}

// compileTimed builds the compiled form of a flag with a ramp or schedule, with
// its gates as of at (the Evaluator sets them to its clock's time before
// publishing).
func compileTimed(fl *flagfile.Flag, at time.Time) *compiled {
	tf := &timedFlag{fl: fl.Clone()}
	for _, ch := range fl.Timeline() {
		tf.milestones = append(tf.milestones, ch.At)
	}
	tf.update(at)
	return &compiled{name: fl.Name, timed: tf}
}

// update sets the gates in effect to those at t.
func (tf *timedFlag) update(t time.Time) {
	c := compileFlag(tf.fl.At(t))
	c.name = tf.fl.Name
	var passed int64
	for _, m := range tf.milestones {
		if !m.After(t) {
			passed++
		}
	}
	tf.passed.Store(passed)
	tf.cur.Store(c)
}

// next returns when the gates change after t, and false when never: the next
// milestone, or the next 0.001% step of a linear ramp but not sooner than
// rampRefresh after t.
func (tf *timedFlag) next(t time.Time) (time.Time, bool) {
	n, ok := tf.fl.NextChange(t)
	if !ok {
		return n, false
	}
	if !n.After(t) { // cannot happen; a timer due now would spin
		n = t.Add(rampRefresh)
	}
	if n.Sub(t) >= rampRefresh {
		return n, true
	}
	soon := t.Add(rampRefresh)
	for _, m := range tf.milestones {
		if m.After(t) {
			if m.Before(soon) {
				return m, true
			}
			break
		}
	}
	if n.Before(soon) {
		n = soon
	}
	return n, true
}

// now reads the Evaluator's clock.
func (e *Evaluator) now() time.Time {
	if e.clock != nil {
		return e.clock.Now()
	}
	return time.Now()
}

func (e *Evaluator) timeSource() TimeSource {
	if e.clock != nil {
		return e.clock
	}
	return systemClock{}
}

// armLocked finds the timed flags of a newly installed base snapshot, brings
// them to the clock's time and sets the timer for the next change. e.mu is held.
func (e *Evaluator) armLocked() {
	e.timed = e.timed[:0]
	if e.base != nil {
		for _, c := range e.base.flags {
			if c.timed != nil {
				e.timed = append(e.timed, c.timed)
			}
		}
	}
	e.advanceLocked()
}

// advanceLocked brings the timed flags to the clock's time and sets the timer for
// their next change. e.mu is held.
func (e *Evaluator) advanceLocked() {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	if len(e.timed) == 0 {
		return
	}
	now := e.now()
	var next time.Time
	found := false
	for _, tf := range e.timed {
		// Only flags whose change came due (or a clock that went back) recompile.
		if !tf.fresh || now.Before(tf.at) || tf.hasDue && !now.Before(tf.due) {
			tf.update(now)
			tf.at, tf.fresh = now, true
			tf.due, tf.hasDue = tf.next(now)
		}
		if tf.hasDue && (!found || tf.due.Before(next)) {
			next, found = tf.due, true
		}
	}
	if !found {
		return
	}
	wait := min(max(next.Sub(now), 0), maxTimerWait)
	wp := weak.Make(e) // a pending timer does not keep a dropped Evaluator alive
	e.timer = e.timeSource().AfterFunc(wait, func() {
		if e := wp.Value(); e != nil {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.advanceLocked()
		}
	})
}

// timedStatus says what a timed flag's gates are now and what changes next ("" for
// other flags).
func (e *Evaluator) timedStatus(c *compiled) string {
	if c == nil || c.timed == nil {
		return ""
	}
	return c.timed.fl.Status(e.now())
}

// sameTimed reports whether two compiled flags, at least one of them timed, come
// from the same ramps, schedule and gates.
func sameTimed(c, o *compiled) bool {
	if c.timed == nil || o.timed == nil {
		return false
	}
	return c.timed.fl.SameGates(o.timed.fl)
}
