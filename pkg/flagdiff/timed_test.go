package flagdiff

import (
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

func parse(t *testing.T, flags string) *flagfile.File {
	t.Helper()
	f, err := flagfile.Parse("f.yaml", []byte("version: 1\nflags:\n"+flags), flagfile.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestTimedChanges checks that ramp and schedule changes are described in words.
func TestTimedChanges(t *testing.T) {
	ramp := "  a_enabled:\n    percentage_of_actors:\n      ramp:\n        from: 1%\n        to: 100%\n        start: 2026-12-07T09:00:00Z\n        end: 2026-12-14T09:00:00Z\n"
	sched := func(entries string) string { return "  a_enabled:\n    schedule:\n" + entries }
	on := "      - at: 2026-12-24T18:00:00+01:00\n        enabled: true\n"
	off := "      - at: 2026-12-31T23:59:00+01:00\n        enabled: false\n"
	tests := []struct {
		name, old, new, want string
	}{
		{"plain to ramp", "  a_enabled:\n    percentage_of_actors: 25%\n", ramp,
			"a_enabled [prod]: percentage_of_actors 25% → ramp from 1% on 2026-12-07 09:00 UTC to 100% on 2026-12-14 09:00 UTC"},
		{"ramp ends later", ramp, strings.Replace(ramp, "2026-12-14T09", "2026-12-21T09", 1),
			"a_enabled [prod]: percentage_of_actors ramp from 1% on 2026-12-07 09:00 UTC to 100% on 2026-12-14 09:00 UTC → ramp from 1% on 2026-12-07 09:00 UTC to 100% on 2026-12-21 09:00 UTC"},
		{"ramp to steps", ramp, "  a_enabled:\n    percentage_of_actors:\n      steps:\n        - at: 2026-12-07T09:00:00Z\n          value: 5%\n",
			"a_enabled [prod]: percentage_of_actors ramp from 1% on 2026-12-07 09:00 UTC to 100% on 2026-12-14 09:00 UTC → steps 5% on 2026-12-07 09:00 UTC"},
		{"entry added", sched(on), sched(on + off), "a_enabled [prod]: scheduled off at 2026-12-31 23:59 +01:00"},
		{"entry removed", sched(on + off), sched(off), "a_enabled [prod]: unscheduled on at 2026-12-24 18:00 +01:00"},
		{"entry changed", sched(on), sched(strings.Replace(on, "true", "false", 1)), "a_enabled [prod]: schedule at 2026-12-24 18:00 +01:00: on → off"},
		{"schedule added to a flag", "  a_enabled: true\n", "  a_enabled:\n    enabled: true\n    schedule:\n" + off, "a_enabled [prod]: scheduled off at 2026-12-31 23:59 +01:00"},
	}
	for _, tt := range tests {
		ch := Files("prod", parse(t, tt.old), parse(t, tt.new))
		if len(ch) != 1 || ch[0].String() != tt.want || !ch[0].GateChanged() {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, ch, tt.want)
		}
	}
}
