package eval

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

const timedFile = `version: 1
environment: production
flags:
  ramp_enabled:
    percentage_of_actors:
      ramp:
        from: 1%
        to: 100%
        start: 2026-12-07T09:00:00Z
        end: 2026-12-14T09:00:00Z
  campaign_enabled:
    enabled: false
    schedule:
      - at: 2026-12-24T18:00:00+01:00
        enabled: true
      - at: 2026-12-31T23:59:00+01:00
        enabled: false
  over_ramp_enabled:
    percentage_of_actors:
      ramp:
        from: 0%
        to: 50%
        start: 2026-12-07T00:00:00Z
        end: 2026-12-08T00:00:00Z
    schedule:
      - at: 2026-12-07T12:00:00Z
        percentage_of_actors: 100%
        actors:
          "user:blocked": false
  down_enabled:
    percentage_of_actors:
      steps:
        - at: 2026-03-29T01:59:59+01:00
          value: 100%
        - at: 2026-03-29T03:00:00+02:00
          value: 10%
  plain_enabled: true
`

func parseTimed(t testing.TB, src string) *flagfile.File {
	t.Helper()
	f, err := flagfile.Parse("timed.yaml", []byte(src), flagfile.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func at(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := flagfile.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// actorWithScore finds an actor whose score for flag is just above p (a
// fraction): in once the gate reaches p plus a little.
func actorWithScore(flag string, lo, hi float64) Subject {
	for i := 0; ; i++ {
		id := fmt.Sprintf("user:%d", i)
		if s := Score(id, flag); s > lo && s <= hi {
			return Subject{ID: id}
		}
	}
}

// TestTimedBoundaries checks the effective state one nanosecond before, at and
// after every boundary, on an Evaluator built at that time and on one whose fake
// clock was advanced there (the timer must have applied the change).
func TestTimedBoundaries(t *testing.T) {
	f := parseTimed(t, timedFile)
	mid := actorWithScore("ramp_enabled", 0.49, 0.495)       // in once the ramp passes ~49.5%
	late := actorWithScore("down_enabled", 0.5, 0.9)         // out when the step falls to 10%
	blocked := Subject{ID: "user:blocked"}                   // an actor gate from the schedule
	early := actorWithScore("over_ramp_enabled", 0.0, 0.001) // in as soon as the ramp opens
	ns := time.Nanosecond
	// 49.5% of a 1%→100% ramp over 7 days is reached 3.5 days minus about 5 minutes in.
	rampMid := at(t, "2026-12-07T09:00:00Z").Add(time.Duration(float64(7*24*time.Hour) * (mid.score("ramp_enabled") - 0.01) / 0.99))
	tests := []struct {
		name  string
		flag  string
		actor Actor
		at    time.Time
		want  bool
	}{
		{"ramp before start", "ramp_enabled", mid, at(t, "2026-12-07T09:00:00Z").Add(-ns), false},
		{"ramp at start", "ramp_enabled", mid, at(t, "2026-12-07T09:00:00Z"), false},
		{"ramp just below the actor", "ramp_enabled", mid, rampMid.Add(-time.Minute), false},
		{"ramp past the actor", "ramp_enabled", mid, rampMid.Add(time.Minute), true},
		{"ramp 1ns before end", "ramp_enabled", mid, at(t, "2026-12-14T09:00:00Z").Add(-ns), true},
		{"ramp at end", "ramp_enabled", mid, at(t, "2026-12-14T09:00:00Z"), true},
		{"ramp after end", "ramp_enabled", mid, at(t, "2027-03-01T00:00:00Z"), true},
		{"no actor: ramp is ignored", "ramp_enabled", nil, at(t, "2027-03-01T00:00:00Z"), false},

		{"campaign 1ns before", "campaign_enabled", nil, at(t, "2026-12-24T17:00:00Z").Add(-ns), false},
		{"campaign at", "campaign_enabled", nil, at(t, "2026-12-24T18:00:00+01:00"), true},
		{"campaign after", "campaign_enabled", nil, at(t, "2026-12-24T17:00:00Z").Add(ns), true},
		{"campaign 1ns before off", "campaign_enabled", nil, at(t, "2026-12-31T22:59:00Z").Add(-ns), true},
		{"campaign off", "campaign_enabled", nil, at(t, "2026-12-31T22:59:00Z"), false},
		{"campaign off after", "campaign_enabled", nil, at(t, "2026-12-31T22:59:00Z").Add(ns), false},

		{"over ramp closed at start", "over_ramp_enabled", early, at(t, "2026-12-07T00:00:00Z"), false},
		{"over ramp opens", "over_ramp_enabled", early, at(t, "2026-12-07T00:01:00Z"), true},
		{"blocked before the entry", "over_ramp_enabled", blocked, at(t, "2026-12-07T12:00:00Z").Add(-ns), Score("user:blocked", "over_ramp_enabled") <= 0.25},
		{"blocked at the entry", "over_ramp_enabled", blocked, at(t, "2026-12-07T12:00:00Z"), false},
		{"entry replaces the ramp: everyone else in", "over_ramp_enabled", mid, at(t, "2026-12-07T12:00:00Z"), true},

		// down steps across the spring-forward change (one second apart in UTC)
		{"down before first step", "down_enabled", late, at(t, "2026-03-29T00:59:59Z").Add(-ns), false},
		{"down first step", "down_enabled", late, at(t, "2026-03-29T00:59:59Z"), true},
		{"down 1ns before second", "down_enabled", late, at(t, "2026-03-29T01:00:00Z").Add(-ns), true},
		{"down second step drops the actor", "down_enabled", late, at(t, "2026-03-29T03:00:00+02:00"), false},

		{"plain flag", "plain_enabled", nil, at(t, "2026-12-24T17:00:00Z"), true},
	}
	moving := NewFakeClock(at(t, "2026-01-01T00:00:00Z"))
	ev := New(f, Clock(moving))
	for _, tt := range tests {
		fixed := New(f, Clock(NewFakeClock(tt.at)))
		if got := fixed.EnabledFor(tt.flag, tt.actor); got != tt.want {
			t.Errorf("%s: built at %v: %v, want %v (%s)", tt.name, tt.at, got, tt.want, fixed.Explain(tt.flag, tt.actor))
		}
		// A clock that only moves forward: reset the evaluator when going back.
		if tt.at.Before(moving.Now()) {
			moving = NewFakeClock(at(t, "2026-01-01T00:00:00Z"))
			ev = New(f, Clock(moving))
		}
		moving.Set(tt.at)
		if got := ev.EnabledFor(tt.flag, tt.actor); got != tt.want {
			t.Errorf("%s: clock advanced to %v: %v, want %v (%s)", tt.name, tt.at, got, tt.want, ev.Explain(tt.flag, tt.actor))
		}
	}
}

func (s Subject) score(flag string) float64 { return Score(s.ID, flag) }

// TestRampKeepsActorsIn sweeps a rising ramp: an actor once in is never out again.
func TestRampKeepsActorsIn(t *testing.T) {
	f := parseTimed(t, "version: 1\nflags:\n  ramp_enabled:\n    percentage_of_actors:\n      ramp: {from: 1%, to: 100%, start: 2026-12-07T09:00:00Z, end: 2026-12-07T10:00:00Z}\n")
	clock := NewFakeClock(at(t, "2026-12-07T08:59:00Z"))
	ev := New(f, Clock(clock))
	in := make([]bool, 1000)
	count := 0
	for clock.Now().Before(at(t, "2026-12-07T10:01:00Z")) {
		clock.Advance(47 * time.Second)
		n := 0
		for i := range in {
			on := ev.EnabledFor("ramp_enabled", Subject{ID: fmt.Sprintf("user:%d", i)})
			if in[i] && !on {
				t.Fatalf("user:%d dropped out at %v", i, clock.Now())
			}
			in[i] = on
			if on {
				n++
			}
		}
		if n < count {
			t.Fatalf("fewer actors in at %v", clock.Now())
		}
		count = n
	}
	if count != len(in) {
		t.Errorf("%d of %d actors in after the ramp ended", count, len(in))
	}
}

// TestTimedTimerFollowsRamp checks that the timer refreshes a linear ramp: after
// advancing, the value in effect is within rampRefresh of the exact one.
func TestTimedTimerFollowsRamp(t *testing.T) {
	f := parseTimed(t, timedFile)
	clock := NewFakeClock(at(t, "2026-12-07T09:00:00Z"))
	ev := New(f, Clock(clock))
	for _, d := range []time.Duration{time.Second, 90 * time.Second, 3 * time.Hour, 84 * time.Hour} {
		clock.Advance(d)
		got := ev.Explain("ramp_enabled", Subject{ID: "x"}).Percentage
		exact := f.Flag("ramp_enabled").At(clock.Now()).PercentageOfActors.Float()
		lag := f.Flag("ramp_enabled").At(clock.Now().Add(-rampRefresh)).PercentageOfActors.Float()
		if got > exact || got < lag {
			t.Errorf("at %v: %v in effect, exact %v", clock.Now(), got, exact)
		}
	}
	if clock.Pending() != 1 {
		t.Errorf("%d timers pending, want 1", clock.Pending())
	}
	clock.Set(at(t, "2027-06-01T00:00:00Z"))
	if clock.Pending() != 0 {
		t.Errorf("%d timers pending after every change passed, want 0", clock.Pending())
	}
}

func TestTimedExplain(t *testing.T) {
	f := parseTimed(t, timedFile)
	tests := []struct {
		flag, at string
		actor    Actor
		want     string
	}{
		{"ramp_enabled", "2026-12-10T09:00:00Z", Subject{ID: "user:1"}, "ramp at 43.428%, 100% on 2026-12-14 09:00 UTC"},
		{"campaign_enabled", "2026-12-20T00:00:00Z", nil, "no gate open → off (scheduled: on at 2026-12-24 18:00 +01:00)"},
		{"campaign_enabled", "2026-12-25T00:00:00Z", nil, "boolean → on (scheduled: off at 2026-12-31 23:59 +01:00)"},
		{"plain_enabled", "2026-12-25T00:00:00Z", nil, "boolean → on"},
	}
	for _, tt := range tests {
		ev := New(f, Clock(NewFakeClock(at(t, tt.at))))
		if got := ev.Explain(tt.flag, tt.actor).String(); !strings.Contains(got, tt.want) {
			t.Errorf("%s at %s: %q, want it to contain %q", tt.flag, tt.at, got, tt.want)
		}
	}
}

// TestTimedNoAllocs checks that checks of timed flags allocate nothing.
func TestTimedNoAllocs(t *testing.T) {
	f := parseTimed(t, timedFile)
	ev := New(f, Clock(NewFakeClock(at(t, "2026-12-10T00:00:00Z"))))
	var a Actor = Subject{ID: "user:42"}
	h := ev.Flag("campaign_enabled")
	for _, name := range []string{"ramp_enabled", "campaign_enabled", "over_ramp_enabled"} {
		if n := testing.AllocsPerRun(100, func() { sinkBool = ev.EnabledFor(name, a) || ev.Enabled(name) || h.EnabledFor(a) }); n != 0 {
			t.Errorf("%s: %v allocations per check", name, n)
		}
	}
}

// TestWatchScheduleWithoutFileEvent: with a fake clock, a scheduled change becomes
// visible at its time, and a reload keeps following the clock.
func TestWatchScheduleWithoutFileEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flags.yaml")
	writeFile(t, path, timedFile)
	clock := NewFakeClock(at(t, "2026-12-24T16:59:59Z"))
	rec := &recorder{}
	ev := startWatch(t, path, append(rec.opts(), Clock(clock), PollInterval(0), watchFunc(func(c *watchConfig) { c.noEvents = true }))...)
	if ev.Enabled("campaign_enabled") {
		t.Fatal("on before its time")
	}
	clock.Advance(time.Second - time.Nanosecond)
	if ev.Enabled("campaign_enabled") {
		t.Fatal("on 1ns before its time")
	}
	clock.Advance(time.Nanosecond)
	if !ev.Enabled("campaign_enabled") {
		t.Fatal("off at its time")
	}
	if rec.count() != 1 {
		t.Errorf("%d reloads, want only the first load", rec.count())
	}
	// A reload adds a later entry; the clock reaches it.
	writeFile(t, path, strings.Replace(timedFile, "  plain_enabled: true\n", "  plain_enabled:\n    enabled: true\n    schedule:\n      - at: 2026-12-25T00:00:00Z\n        enabled: false\n", 1))
	ev.watch.check(false)
	if !ev.Enabled("plain_enabled") {
		t.Fatal("plain_enabled off before its entry")
	}
	clock.Set(at(t, "2026-12-25T00:00:00Z"))
	if ev.Enabled("plain_enabled") {
		t.Error("the reloaded schedule was not applied at its time")
	}
	if !ev.Enabled("campaign_enabled") {
		t.Error("campaign_enabled lost its state on reload")
	}
}

// TestTimedExtremeTimes: ramps over centuries and times at the ends of the range
// neither panic nor spin the timer.
func TestTimedExtremeTimes(t *testing.T) {
	f := parseTimed(t, `version: 1
flags:
  long_enabled:
    percentage_of_actors:
      ramp:
        from: 0%
        to: 100%
        start: 0001-01-01T00:00:00Z
        end: 9999-12-31T23:59:59.999999999+14:00
    schedule:
      - at: 0001-01-01T00:00:00-12:00
        enabled: true
      - at: 9999-12-31T23:59:59Z
        enabled: false
`)
	for _, now := range []string{"0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-12-10T00:00:00Z", "2400-01-01T00:00:00Z", "9999-12-31T23:59:59Z"} {
		clock := NewFakeClock(at(t, now))
		ev := New(f, Clock(clock))
		sinkBool = ev.EnabledFor("long_enabled", Subject{ID: "user:1"})
		clock.Advance(3 * time.Second)
		clock.Advance(400 * 24 * time.Hour)
		if clock.Pending() > 1 {
			t.Errorf("at %s: %d timers pending", now, clock.Pending())
		}
	}
}

// TestTimedClockGoesBack: a clock set back (NTP, a test) brings the gates back
// at the next timer, which fires within maxTimerWait.
func TestTimedClockGoesBack(t *testing.T) {
	f := parseTimed(t, timedFile)
	clock := NewFakeClock(at(t, "2026-12-24T17:00:00Z"))
	ev := New(f, Clock(clock))
	if !ev.Enabled("campaign_enabled") {
		t.Fatal("off at its time")
	}
	clock.Set(at(t, "2026-12-20T00:00:00Z"))
	clock.Advance(maxTimerWait)
	if ev.Enabled("campaign_enabled") {
		t.Error("still on after the clock went back before the entry")
	}
}
