package flagfile

import (
	"strings"
	"testing"
	"time"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

const timedSrc = `version: 1
environment: production
flags:
  # ramp up over a week, then a campaign switch
  up_enabled:
    percentage_of_actors:
      ramp:
        from: 1%
        to: 100%
        start: 2026-12-07T09:00:00Z
        end: 2026-12-14T09:00:00Z
    schedule:
      - at: 2026-12-24T18:00:00+01:00
        enabled: true
      - at: 2026-12-31T23:59:00+01:00
        enabled: false
        percentage_of_actors: 0%
  down_enabled:
    percentage_of_time:
      ramp:
        from: 50%
        to: 0%
        start: 2026-12-07T00:00:00-05:00
        end: 2026-12-08T00:00:00-05:00
  steps_enabled:
    percentage_of_actors:
      steps:
        - at: 2026-03-29T01:59:59+01:00
          value: 5%
        - at: 2026-03-29T03:00:00+02:00
          value: 25%
    schedule:
      - at: 2026-10-25T02:30:00+02:00
        actors:
          "user:42": true
        percentage_of_time: 10%
      - at: 2026-10-25T02:15:00+01:00
        groups:
          staff: true
`

// TestEffectiveAt checks the gates in effect one nanosecond before, at and after
// every boundary: ramp starts and ends, steps written across a DST change, and
// schedule entries over ramps.
func TestEffectiveAt(t *testing.T) {
	f, err := Parse("timed.yaml", []byte(timedSrc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		boolean   string // "", "on", "off"
		pctActors Percent
		pctTime   Percent
		actors    int
		groups    int
	}
	ns := time.Nanosecond
	tests := []struct {
		flag string
		at   string
		off  time.Duration
		want want
	}{
		// linear up ramp: from before start, to after end, monotone in between
		{"up_enabled", "2026-12-07T09:00:00Z", -ns, want{pctActors: 1000}},
		{"up_enabled", "2026-12-07T09:00:00Z", 0, want{pctActors: 1000}},
		{"up_enabled", "2026-12-07T09:00:00Z", 6109 * time.Millisecond, want{pctActors: 1000}},
		{"up_enabled", "2026-12-07T09:00:00Z", 6110 * time.Millisecond, want{pctActors: 1001}},
		{"up_enabled", "2026-12-10T21:00:00Z", 0, want{pctActors: 50500}},
		{"up_enabled", "2026-12-14T09:00:00Z", -ns, want{pctActors: 99999}},
		{"up_enabled", "2026-12-14T09:00:00Z", 0, want{pctActors: 100000}},
		{"up_enabled", "2026-12-14T09:00:00Z", ns, want{pctActors: 100000}},
		// the schedule over the finished ramp; +01:00 is 17:00 UTC
		{"up_enabled", "2026-12-24T17:00:00Z", -ns, want{pctActors: 100000}},
		{"up_enabled", "2026-12-24T17:00:00Z", 0, want{boolean: "on", pctActors: 100000}},
		{"up_enabled", "2026-12-24T18:00:00+01:00", ns, want{boolean: "on", pctActors: 100000}},
		{"up_enabled", "2026-12-31T22:59:00Z", -ns, want{boolean: "on", pctActors: 100000}},
		{"up_enabled", "2026-12-31T22:59:00Z", 0, want{boolean: "off"}},
		{"up_enabled", "2027-06-01T00:00:00Z", 0, want{boolean: "off"}},
		// down ramp written in -05:00
		{"down_enabled", "2026-12-07T05:00:00Z", -ns, want{pctTime: 50000}},
		{"down_enabled", "2026-12-07T05:00:00Z", 0, want{pctTime: 50000}},
		{"down_enabled", "2026-12-07T17:00:00Z", 0, want{pctTime: 25000}},
		{"down_enabled", "2026-12-08T05:00:00Z", -ns, want{pctTime: 1}},
		{"down_enabled", "2026-12-08T05:00:00Z", 0, want{}},
		// steps across the spring-forward change: 01:59:59+01:00 and 03:00:00+02:00
		// are one second apart
		{"steps_enabled", "2026-03-29T00:59:59Z", -ns, want{}},
		{"steps_enabled", "2026-03-29T00:59:59Z", 0, want{pctActors: 5000}},
		{"steps_enabled", "2026-03-29T01:00:00Z", -ns, want{pctActors: 5000}},
		{"steps_enabled", "2026-03-29T01:00:00Z", 0, want{pctActors: 25000}},
		// the fall-back change: 02:30+02:00 (00:30Z) comes before 02:15+01:00 (01:15Z)
		{"steps_enabled", "2026-10-25T00:30:00Z", -ns, want{pctActors: 25000}},
		{"steps_enabled", "2026-10-25T00:30:00Z", 0, want{pctTime: 10000, actors: 1}},
		{"steps_enabled", "2026-10-25T01:15:00Z", -ns, want{pctTime: 10000, actors: 1}},
		{"steps_enabled", "2026-10-25T01:15:00Z", 0, want{pctTime: 10000, actors: 1, groups: 1}},
		{"steps_enabled", "2026-10-25T01:15:00Z", ns, want{pctTime: 10000, actors: 1, groups: 1}},
	}
	for _, tt := range tests {
		at := mustTime(t, tt.at).Add(tt.off)
		fl := f.Flag(tt.flag).At(at)
		got := want{pctActors: fl.PercentageOfActors, pctTime: fl.PercentageOfTime, actors: len(fl.Actors), groups: len(fl.Groups)}
		if fl.Boolean != nil {
			got.boolean = onOff(*fl.Boolean)
		}
		if got != tt.want || fl.Timed() {
			t.Errorf("%s at %s%+v: got %+v, want %+v (timed %v)", tt.flag, tt.at, tt.off, got, tt.want, fl.Timed())
		}
	}
}

// TestRampMonotone checks that an up ramp never lowers the value, so actors once in
// stay in.
func TestRampMonotone(t *testing.T) {
	r := &Ramp{From: 1000, To: 100000, Start: mustTime(t, "2026-12-07T09:00:00Z"), End: mustTime(t, "2026-12-07T09:01:00Z")}
	prev := Percent(0)
	for at := r.Start.Add(-time.Second); at.Before(r.End.Add(time.Second)); at = at.Add(7 * time.Millisecond) {
		v := r.At(at)
		if v < prev {
			t.Fatalf("value fell from %v to %v at %v", prev, v, at)
		}
		prev = v
	}
	if prev != 100000 {
		t.Errorf("ended at %v", prev)
	}
}

// TestNextChange checks the next change of a ramp (by 0.001%) and of a schedule.
func TestNextChange(t *testing.T) {
	f, err := Parse("timed.yaml", []byte(timedSrc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up := f.Flag("up_enabled")
	tests := []struct {
		at, want string
	}{
		{"2026-12-01T00:00:00Z", "2026-12-07T09:00:06.10909091Z"},
		{"2026-12-07T09:00:00Z", "2026-12-07T09:00:06.10909091Z"},
		{"2026-12-14T09:00:00Z", "2026-12-24T18:00:00+01:00"},
		{"2026-12-31T22:59:00Z", ""},
	}
	for _, tt := range tests {
		n, ok := up.NextChange(mustTime(t, tt.at))
		if tt.want == "" {
			if ok {
				t.Errorf("after %s: next change %v, want none", tt.at, n)
			}
			continue
		}
		if !ok || !n.Equal(mustTime(t, tt.want)) {
			t.Errorf("after %s: next change %v, want %s", tt.at, n, tt.want)
			continue
		}
		if before, after := up.At(n.Add(-time.Nanosecond)), up.At(n); before.Equal(after) {
			t.Errorf("nothing changes at %v", n)
		}
	}
}

func TestStatus(t *testing.T) {
	f, err := Parse("timed.yaml", []byte(timedSrc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ flag, at, want string }{
		{"up_enabled", "2026-12-09T09:00:00Z", "ramp at 29.285%, 100% on 2026-12-14 09:00 UTC; scheduled: on at 2026-12-24 18:00 +01:00"},
		{"up_enabled", "2026-12-25T00:00:00Z", "ramp done at 100% since 2026-12-14 09:00 UTC; scheduled: off, percentage_of_actors removed at 2026-12-31 23:59 +01:00"},
		{"up_enabled", "2027-01-01T00:00:00Z", "schedule done (last change 2026-12-31 23:59 +01:00)"},
		{"down_enabled", "2026-12-01T00:00:00Z", "ramp at 50%, starts 2026-12-07 00:00 -05:00, 0% on 2026-12-08 00:00 -05:00"},
		{"steps_enabled", "2026-01-01T00:00:00Z", "ramp not started, 5% on 2026-03-29 01:59:59 +01:00; scheduled: actor user:42 on, percentage_of_time 10% at 2026-10-25 02:30 +02:00"},
	}
	for _, tt := range tests {
		if got := f.Flag(tt.flag).Status(mustTime(t, tt.at)); got != tt.want {
			t.Errorf("%s at %s:\n got %s\nwant %s", tt.flag, tt.at, got, tt.want)
		}
	}
}

// TestFoldSchedule checks that folding what has passed keeps the gates at every
// later time, and changes nothing when nothing has passed.
func TestFoldSchedule(t *testing.T) {
	f, err := Parse("timed.yaml", []byte(timedSrc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []string{"2026-01-01T00:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-12-10T00:00:00Z", "2026-12-24T17:00:00Z", "2027-01-01T00:00:00Z"} {
		n := mustTime(t, now)
		out, g, err := f.Apply(ParseOptions{}, f.ApplySchedule(n)...)
		if err != nil {
			t.Fatalf("fold at %s: %v", now, err)
		}
		for _, fl := range f.Flags {
			for _, d := range []time.Duration{0, time.Nanosecond, time.Hour, 24 * time.Hour, 200 * 24 * time.Hour} {
				at := n.Add(d)
				if a, b := fl.At(at), g.Flag(fl.Name).At(at); !a.SameGates(b) {
					t.Errorf("fold at %s changed %s at %v: %+v vs %+v\n%s", now, fl.Name, at, a, b, out)
				}
			}
		}
		if !strings.Contains(string(out), "# ramp up over a week") {
			t.Errorf("fold lost a comment:\n%s", out)
		}
	}
	out, _, _ := f.Apply(ParseOptions{}, f.ApplySchedule(mustTime(t, "2027-01-01T00:00:00Z"))...)
	if strings.Contains(string(out), "schedule:") || strings.Contains(string(out), "ramp:") || strings.Contains(string(out), "steps:") {
		t.Errorf("everything passed, yet timed gates remain:\n%s", out)
	}
	if edits := f.ApplySchedule(mustTime(t, "2025-01-01T00:00:00Z")); len(edits) != 0 {
		t.Errorf("nothing passed, yet %d edits", len(edits))
	}
}

// TestTimedEdits checks that ramp and schedule edits splice lines, keeping the
// comments and layout of the rest, and read back as the edited model.
func TestTimedEdits(t *testing.T) {
	src := "version: 1\nflags:\n  a_enabled: true  # keep\n  b_enabled:\n    schedule:\n      # first\n      - at: 2026-12-24T18:00:00+01:00\n        enabled: true\n      # last\n      - at: 2026-12-31T18:00:00+01:00\n        enabled: false\n"
	f, err := Parse("e.yaml", []byte(src), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	on := true
	r := &Ramp{From: 1000, To: PercentMax, Start: mustTime(t, "2026-12-07T09:00:00Z"), End: mustTime(t, "2026-12-14T09:00:00Z")}
	tests := []struct {
		name  string
		edits []Edit
		want  string
	}{
		{"ramp on a shorthand flag", []Edit{SetRamp("a_enabled", "percentage_of_actors", r)},
			"  a_enabled:  # keep\n    enabled: true\n    percentage_of_actors:\n      ramp:\n        from: 1%\n        to: 100%\n        start: 2026-12-07T09:00:00Z\n        end: 2026-12-14T09:00:00Z\n  b_enabled:\n"},
		{"entry in the middle", []Edit{AddScheduleEntry("b_enabled", ScheduleEntry{At: mustTime(t, "2026-12-25T00:00:00Z"), Groups: []Gate{{"staff", false}}})},
			"        enabled: true\n      - at: 2026-12-25T00:00:00Z\n        groups:\n          staff: false\n      # last\n"},
		{"entry at the end", []Edit{AddScheduleEntry("b_enabled", ScheduleEntry{At: mustTime(t, "2027-01-01T00:00:00Z"), Boolean: &on})},
			"        enabled: false\n      - at: 2027-01-01T00:00:00Z\n        enabled: true\n"},
		{"entry at the start", []Edit{AddScheduleEntry("b_enabled", ScheduleEntry{At: mustTime(t, "2026-12-01T00:00:00Z"), Boolean: &on})},
			"    schedule:\n      - at: 2026-12-01T00:00:00Z\n        enabled: true\n      # first\n"},
		{"schedule cleared", []Edit{ClearSchedule("b_enabled")}, "  b_enabled: {}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, g, err := f.Apply(ParseOptions{}, tt.edits...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("got:\n%s\nwant it to contain:\n%s", out, tt.want)
			}
			again, _, err := g.Apply(ParseOptions{}, tt.edits...)
			if err != nil || string(again) != string(out) {
				t.Errorf("re-applying changed the file (%v):\n%s", err, again)
			}
		})
	}
	// Changing a written ramp replaces its values in place, keeping comments.
	g, err := Parse("r.yaml", []byte("version: 1\nflags:\n  a_enabled:\n    percentage_of_actors:\n      ramp:\n        from: 1%   # cautious\n        to: 50%\n        # a Monday\n        start: 2026-12-07T09:00:00Z\n        end: 2026-12-14T09:00:00Z  # a week\n"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	longer := &Ramp{From: 1000, To: PercentMax, Start: r.Start, End: mustTime(t, "2026-12-21T09:00:00+01:00")}
	out, _, err := g.Apply(ParseOptions{}, SetRamp("a_enabled", "percentage_of_actors", longer))
	if want := "        from: 1%   # cautious\n        to: 100%\n        # a Monday\n        start: 2026-12-07T09:00:00Z\n        end: 2026-12-21T09:00:00+01:00 # a week\n"; err != nil || !strings.HasSuffix(string(out), want) {
		t.Errorf("ramp change (%v):\n%s\nwant it to end with:\n%s", err, out, want)
	}
	if _, _, err := f.Apply(ParseOptions{}, SetRamp("a_enabled", "percentage_of_actors", &Ramp{From: 1000, To: 5000, Start: r.End, End: r.Start})); err == nil {
		t.Error("a ramp that ends before it starts was written")
	}
	for _, tt := range []struct {
		end  time.Time
		want string
	}{
		{r.Start, "the ramp ends at the time it starts (2026-12-07T09:00:00Z); use a later end"},
		{mustTime(t, "2026-12-07T10:00:00+01:00"), "the ramp ends (2026-12-07T10:00:00+01:00) at the time it starts (2026-12-07T09:00:00Z); use a later end"},
	} {
		_, _, err := f.Apply(ParseOptions{}, SetRamp("a_enabled", "percentage_of_actors", &Ramp{From: 1000, To: 5000, Start: r.Start, End: tt.end}))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("a ramp that ends when it starts: %v, want %q", err, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"2026-12-07T09:00:00Z", "2026-12-07T09:00:00Z", ""},
		{"2026-12-24T18:00:00+01:00", "2026-12-24T18:00:00+01:00", ""},
		{"2026-12-24T18:00:00.250-05:00", "2026-12-24T18:00:00.25-05:00", ""},
		{"2026-12-24T18:00:00", "", "has no zone; add Z for UTC (2026-12-24T18:00:00Z)"},
		{"2026-12-24", "", "has no time of day and no zone"},
		{"2026-12-24 18:00", "", "has no zone"},
		{"tomorrow", "", "bad time"},
		{"2026-02-30T00:00:00Z", "", "bad time"},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseTime(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || FormatTime(got) != tt.want):
			t.Errorf("ParseTime(%q) = %s, %v; want %s", tt.in, FormatTime(got), err, tt.want)
		}
	}
}

// TestFastParseSequences: the fast path takes the block sequences of schedules
// and steps, building yaml.v3's tree (checkFast compares them), and hands
// anything else to yaml.v3.
func TestFastParseSequences(t *testing.T) {
	tests := []struct {
		src  string
		fast bool
	}{
		{timedSrc, true},
		{"version: 1\nflags:\n  a:\n    schedule:  # c\n      - at: 2026-12-24T18:00:00Z  # d\n        enabled: true\n      # e\n      - at: 2026-12-25T18:00:00Z\n        actors:\n          \"u:1\": true\n    percentage_of_actors: 5%\n  b: true\n", true},
		{"version: 1\nflags:\n  a:\n    schedule:\n    - at: 2026-12-24T18:00:00Z\n      enabled: true\n    - at: 2026-12-25T18:00:00Z\n    percentage_of_actors: 5%\n", true},
		{"version: 1\nflags:\n  a:\n    schedule:\n      -   at: 2026-12-24T18:00:00Z\n          enabled: true\n", true},
		{"a:\n- b: 1\n- c: 2\nd: 3\n", true},
		{"a: # x\n  - b: 1 # y\n  # z\n  - c: '2' # w\n", true},
		{"a:\n  - b: 1\n  -c: 2\n", false},
		{"a:\n  - b: 1\n   - c: 2\n", false},
		{"a:\n  - b: 1\n  c: 2\n", false},
		{"a:\n  - b: 1\n    - c\n", false},
		{"a:\n  - - b\n", false},
		{"a:\n  -\n    b: 1\n", false},
		{"a:\n  - {b: 1}\n", false},
		{"a:\n  - x\n", false},
	}
	for _, tt := range tests {
		if got := checkFast(t, []byte(tt.src)); got != tt.fast {
			t.Errorf("fast path took it: %v, want %v\n%s", got, tt.fast, tt.src)
		}
	}
}
