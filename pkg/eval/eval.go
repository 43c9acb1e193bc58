// Package eval evaluates flagctl feature flags in-process. An Evaluator holds an
// immutable, compiled snapshot of one flag file behind an atomic pointer: checks
// take no lock and allocate nothing, and a reload swaps the whole snapshot at once.
//
// Semantics are those of FunWithFlags: undefined flags are false, and the most
// specific gate decides — actor, then group, then boolean, then percentage.
package eval

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Actor is anything with a stable, globally unique string ID, such as "user:42".
// Actor gates and percentage_of_actors need an ID; an actor with an empty ID is
// still checked against group gates when it is Grouped (a Subject with Groups and
// no ID), and is otherwise evaluated as no actor.
type Actor interface{ ActorID() string }

// Grouped is implemented by actors that belong to groups; group gates use it.
type Grouped interface{ InGroup(name string) bool }

// Subject is a ready-made Actor and Grouped: an ID and the groups it is in.
type Subject struct {
	ID     string
	Groups []string
}

// ActorID returns s.ID.
func (s Subject) ActorID() string { return s.ID }

// InGroup reports whether name is one of s.Groups.
func (s Subject) InGroup(name string) bool {
	for _, g := range s.Groups {
		if g == name {
			return true
		}
	}
	return false
}

// Gate names the kind of gate that decided a check.
type Gate uint8

// The gates, plus the outcomes that are not a gate.
const (
	GateUndefined          Gate = iota // the flag is not defined: false
	GateNone                           // no gate is open: false
	GateActor                          // an actor gate decided
	GateGroup                          // a group gate decided
	GateBoolean                        // the boolean gate is on
	GatePercentageOfActors             // the percentage-of-actors gate decided
	GatePercentageOfTime               // the percentage-of-time gate decided
	GateOverride                       // a test override forced the value
)

var gateNames = [...]string{"undefined", "none", "actor", "group", "boolean", "percentage_of_actors", "percentage_of_time", "override"}

// String returns the gate's name as used in flag files and CLI output.
func (g Gate) String() string {
	if int(g) < len(gateNames) {
		return gateNames[g]
	}
	return fmt.Sprintf("Gate(%d)", g)
}

// compiled is one flag, built for lookup. It is never modified after compile.
type compiled struct {
	name      string
	boolean   bool   // boolean gate on
	boolSet   bool   // boolean gate present (for Explain)
	pctActors uint64 // thousandths of a percent, 0 = none
	pctTime   uint64
	actors    strTable[bool] // zero (short == nil) without actor gates
	groups    []groupGate
	override  bool
	lastGood  bool       // served from a previous file (see Watch)
	timed     *timedFlag // ramps and schedules: the gates in effect (timeline.go)

	// flipper is set for "bucketing: flipper": percentage_of_actors uses
	// Flipper's CRC-32 buckets (see bucketing.go) instead of the SHA-256 score.
	flipper      bool
	nameCRC      uint32 // CRC-32 of the flag name, for flipper bucketing
	flipperLimit uint32 // buckets below it are open
}

// sameGates reports whether two compiled flags decide alike (o may be nil).
func (c *compiled) sameGates(o *compiled) bool {
	if o != nil && (c.timed != nil || o.timed != nil) {
		return sameTimed(c, o)
	}
	if o == nil || c.boolean != o.boolean || c.boolSet != o.boolSet || c.pctActors != o.pctActors || c.flipper != o.flipper ||
		c.pctTime != o.pctTime || c.actors.len() != o.actors.len() || len(c.groups) != len(o.groups) {
		return false
	}
	if !c.actors.equal(&o.actors) {
		return false
	}
	for i := range c.groups {
		if c.groups[i] != o.groups[i] {
			return false
		}
	}
	return true
}

type groupGate struct {
	name string
	on   bool
}

// snapshot is an immutable compiled flag set.
type snapshot struct {
	flags   map[string]*compiled
	table   strTable[*compiled] // flags, for the hot path
	version string
	sum     [32]byte // SHA-256 of the content, Watch compares it
	// byIndex holds the flags by the stable index handles use (Evaluator.Flag);
	// nil where a registered name is not defined.
	byIndex []*compiled
	// problems holds, for each flag with problems in the file, its first
	// problem ("line L, column C: message"); nil when there are none.
	problems map[string]string
}

// Evaluator evaluates flags against the current snapshot. All methods are safe for
// concurrent use; Enabled, EnabledFor and Explain take no lock and allocate nothing.
type Evaluator struct {
	snap atomic.Pointer[snapshot]

	mu        sync.Mutex      // serializes writers: reloads and overrides
	base      *snapshot       // the file's snapshot, without overrides
	overrides map[string]bool // test overrides, applied on top of base
	watch     *watcher        // set by Watch
	observer  Observer        // nil: checks are not observed (set once, at construction)
	index     map[string]int  // stable handle index of each name asked for
	names     []string        // the names by index

	clock TimeSource   // nil: the system clock (set once, at construction)
	timer Timer        // the next change of a ramp or schedule (timeline.go)
	timed []*timedFlag // the base snapshot's timed flags
}

// Load reads, parses, validates and compiles the flag file at path. Any problem,
// in the file or in one flag, is an error (a flagfile.ErrorList with positions).
// Only a regular file is read, and at most flagfile.MaxFileSize bytes of it.
// Of the options, Observe and Clock apply to Load (the others configure watching).
func Load(path string, opts ...LoadOption) (*Evaluator, error) {
	data, err := flagfile.ReadFile(path, 0)
	if err != nil {
		return nil, err
	}
	f, err := flagfile.Parse(path, data, flagfile.ParseOptions{})
	if err != nil {
		return nil, err
	}
	var cfg loadConfig
	for _, o := range opts {
		o.applyLoad(&cfg)
	}
	e := &Evaluator{observer: cfg.observer(), clock: cfg.clock}
	e.install(compile(f, nil, data))
	return e, nil
}

// New returns an Evaluator for an already parsed file. Flags with problems are
// left out (they evaluate false). Of the options, Observe and Clock apply.
func New(f *flagfile.File, opts ...LoadOption) *Evaluator {
	var cfg loadConfig
	for _, o := range opts {
		o.applyLoad(&cfg)
	}
	e := &Evaluator{observer: cfg.observer(), clock: cfg.clock}
	e.install(compile(f, nil, f.Source()))
	return e
}

// FromMap returns an Evaluator whose flags are exactly the boolean gates in m. It is
// meant for application tests.
func FromMap(m map[string]bool) *Evaluator {
	s := &snapshot{flags: make(map[string]*compiled, len(m)), version: "map"}
	for name, on := range m {
		s.flags[name] = &compiled{name: name, boolean: on, boolSet: true}
	}
	s.table = flagTable(s.flags)
	e := &Evaluator{}
	e.install(s)
	return e
}

// Cleanuper is the part of testing.TB that Override needs.
type Cleanuper interface {
	Helper()
	Cleanup(func())
}

// Override forces flag to on for every check (with or without an actor) until the
// test ends: t.Cleanup removes the override. Overrides survive reloads.
func (e *Evaluator) Override(t Cleanuper, flag string, on bool) {
	t.Helper()
	e.mu.Lock()
	prev, had := e.overrides[flag]
	if e.overrides == nil {
		e.overrides = map[string]bool{}
	}
	e.overrides[flag] = on
	e.publishLocked()
	e.mu.Unlock()
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if had {
			e.overrides[flag] = prev
		} else {
			delete(e.overrides, flag)
		}
		e.publishLocked()
	})
}

// install makes s the base snapshot and publishes it.
func (e *Evaluator) install(s *snapshot) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.base = s
	e.armLocked() // ramps and schedules at the clock's time (timeline.go)
	e.publishLocked()
}

// publishLocked publishes base with the overrides applied and the handle index
// filled in. e.mu is held.
func (e *Evaluator) publishLocked() {
	s := e.base
	if len(e.overrides) > 0 || len(e.names) > 0 {
		c := *e.base
		s = &c
	}
	if len(e.overrides) > 0 {
		s.flags = make(map[string]*compiled, len(e.base.flags)+len(e.overrides))
		for name, c := range e.base.flags {
			s.flags[name] = c
		}
		for name, on := range e.overrides {
			s.flags[name] = &compiled{name: name, boolean: on, boolSet: true, override: true}
		}
		s.table = flagTable(s.flags)
	}
	if len(e.names) > 0 {
		s.byIndex = make([]*compiled, len(e.names))
		for i, name := range e.names {
			s.byIndex[i] = s.flags[name]
		}
	}
	e.snap.Store(s)
}

// Version returns the SHA-256 (hex) of the file content the current snapshot was
// compiled from.
func (e *Evaluator) Version() string { return e.snap.Load().version }

// Problem returns the first problem of flag in the file the evaluator serves
// ("line 6, column 14: …", without the file's path), or "" when the flag has
// none or is not in the file. A flag with a problem is served from its last
// good state when it had one (Decision.LastGood), else it is undefined.
func (e *Evaluator) Problem(flag string) string { return e.snap.Load().problems[flag] }

// Len returns the number of defined flags.
func (e *Evaluator) Len() int { return len(e.snap.Load().flags) }

// compile builds a snapshot from f. Flags with problems are taken from prev (their
// last good state) when prev has them, and left out otherwise.
func compile(f *flagfile.File, prev *snapshot, data []byte) *snapshot {
	sum := sha256.Sum256(data)
	s := &snapshot{flags: make(map[string]*compiled, len(f.Flags)), version: hex.EncodeToString(sum[:]), sum: sum}
	for _, fl := range f.Flags {
		if len(fl.Problems) > 0 {
			if s.problems == nil {
				s.problems = map[string]string{}
			}
			p := fl.Problems[0]
			s.problems[fl.Name] = fmt.Sprintf("line %d, column %d: %s", p.Pos.Line, p.Pos.Column, p.Msg)
		}
	}
	for _, fl := range f.Flags {
		if _, bad := s.problems[fl.Name]; bad {
			if prev != nil {
				if old := prev.flags[fl.Name]; old != nil {
					c := *old
					c.lastGood = true
					s.flags[fl.Name] = &c
				}
			}
			continue
		}
		if fl.Timed() {
			s.flags[fl.Name] = compileTimed(fl, time.Time{}) // set to the clock's time by install
			continue
		}
		s.flags[fl.Name] = compileFlag(fl)
	}
	s.table = flagTable(s.flags)
	return s
}

func compileFlag(fl *flagfile.Flag) *compiled {
	c := &compiled{
		name:      fl.Name,
		boolean:   fl.BooleanOn(),
		boolSet:   fl.Boolean != nil,
		pctActors: uint64(fl.PercentageOfActors),
		pctTime:   uint64(fl.PercentageOfTime),
	}
	if fl.Bucketing == flagfile.BucketingFlipper {
		c.flipper = true
		c.nameCRC = crc32.ChecksumIEEE([]byte(fl.Name))
		c.flipperLimit = FlipperLimit(fl.PercentageOfActors)
	}
	if len(fl.Actors) > 0 {
		short := 0
		for _, g := range fl.Actors {
			if len(g.ID) <= maxShortKey {
				short++
			}
		}
		c.actors = newStrTable[bool](short, len(fl.Actors)-short)
		for _, g := range fl.Actors {
			c.actors.set(g.ID, g.Enabled)
		}
	}
	// Disabled groups first: one disabled group is enough to decide, so checking
	// them first lets the enabled ones stop at the first match.
	for _, on := range []bool{false, true} {
		for _, g := range fl.Groups {
			if g.Enabled == on {
				c.groups = append(c.groups, groupGate{g.ID, g.Enabled})
			}
		}
	}
	return c
}

// Enabled reports whether flag is on when checked without an actor: the boolean
// gate, then the percentage-of-time gate. Undefined flags are false.
func (e *Evaluator) Enabled(flag string) bool {
	c, _ := e.snap.Load().table.get(flag)
	if e.observer != nil {
		return e.observe(c, flag, nil)
	}
	if c == nil {
		return false
	}
	on, _, _ := c.decide(nil)
	return on
}

// EnabledFor reports whether flag is on for actor a: actor gate, then group gates
// (any disabled group wins over enabled ones), then the boolean gate, then the
// percentage gates. A nil actor is no actor; an actor with an empty ID skips the
// actor and percentage_of_actors gates but still meets the group gates.
func (e *Evaluator) EnabledFor(flag string, a Actor) bool {
	c, _ := e.snap.Load().table.get(flag)
	if e.observer != nil {
		return e.observe(c, flag, a)
	}
	if c == nil {
		return false
	}
	on, _, _ := c.decide(a)
	return on
}

// observe decides and reports the check to the observer.
func (e *Evaluator) observe(c *compiled, flag string, a Actor) bool {
	ev := Evaluation{Flag: flag, Gate: GateUndefined}
	if a != nil {
		ev.ActorID = a.ActorID()
	}
	if c != nil {
		ev.Enabled, ev.Gate, _ = c.decide(a)
	}
	e.observer.Observe(ev)
	return ev.Enabled
}

// decide is the one implementation of the gate priority. It returns the result,
// the deciding gate and, for actor and group gates, the actor ID or group name.
func (c *compiled) decide(a Actor) (bool, Gate, string) {
	if c.timed != nil {
		c = c.timed.cur.Load() // the gates in effect now (timeline.go)
	}
	if c.override {
		return c.boolean, GateOverride, ""
	}
	var id string
	if a != nil {
		id = a.ActorID()
		if id != "" && c.actors.short != nil {
			if on, ok := c.actors.get(id); ok {
				return on, GateActor, id
			}
		}
		// Group gates apply with or without an ID (FunWithFlags checks them for any
		// term that belongs to a group).
		if len(c.groups) > 0 {
			if g, ok := a.(Grouped); ok {
				for i := range c.groups {
					if g.InGroup(c.groups[i].name) {
						return c.groups[i].on, GateGroup, c.groups[i].name
					}
				}
			}
		}
	}
	if c.boolean {
		return true, GateBoolean, ""
	}
	if c.pctActors != 0 && id != "" {
		if c.flipper {
			return c.flipperOpen(id), GatePercentageOfActors, ""
		}
		return percentOpen(scoreBits(id, c.name), c.pctActors), GatePercentageOfActors, ""
	}
	if c.pctTime != 0 {
		return rand.Uint64N(uint64(flagfile.PercentMax)) < c.pctTime, GatePercentageOfTime, ""
	}
	return false, GateNone, ""
}

// percentOpen reports whether score/65536 <= pct/100000, exactly, in integers.
func percentOpen(score uint16, pct uint64) bool {
	return uint64(score)*uint64(flagfile.PercentMax) <= pct*65536
}

// Score returns the FunWithFlags-compatible score of an actor for a flag: the
// first two bytes of SHA-256(actorID + flag) as a big-endian uint16, over 65536.
// A percentage-of-actors gate of p is open when Score <= p.
func Score(actorID, flag string) float64 { return float64(scoreBits(actorID, flag)) / 65536 }

// scoreBits hashes on the stack: actor ID + flag name up to 64 bytes in the
// inlined fast path, up to 512 bytes in scoreBitsLong; only longer ones allocate.
func scoreBits(actorID, flag string) uint16 {
	n := len(actorID) + len(flag)
	if n > 64 {
		return scoreBitsLong(actorID, flag)
	}
	var buf [64]byte
	copy(buf[:], actorID)
	copy(buf[len(actorID):], flag)
	sum := sha256.Sum256(buf[:n])
	return uint16(sum[0])<<8 | uint16(sum[1])
}

func scoreBitsLong(actorID, flag string) uint16 {
	var sum [32]byte
	if n := len(actorID) + len(flag); n <= 512 {
		var buf [512]byte
		copy(buf[:], actorID)
		copy(buf[len(actorID):], flag)
		sum = sha256.Sum256(buf[:n])
	} else {
		h := sha256.New()
		h.Write([]byte(actorID))
		h.Write([]byte(flag))
		h.Sum(sum[:0])
	}
	return uint16(sum[0])<<8 | uint16(sum[1])
}
