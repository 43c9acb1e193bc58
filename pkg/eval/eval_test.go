package eval

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

const rulesFile = `version: 1
environment: test
flags:
  bool_on: true
  bool_off: false
  empty: {}
  actor_beats_group:
    actors:
      "user:1": true
      "user:2": false
    groups:
      staff: false
      beta: true
  disabled_group_wins:
    groups:
      beta: true
      banned: false
  group_beats_boolean:
    enabled: true
    groups:
      banned: false
  actor_beats_boolean:
    enabled: true
    actors:
      "user:1": false
  off_boolean_keeps_pct:
    enabled: false
    percentage_of_actors: 100%
  pct_actors_half:
    percentage_of_actors: 50%
  pct_time_full:
    percentage_of_time: 100%
  pct_time_full_off_bool:
    enabled: false
    percentage_of_time: 100%
  actor_gate_off_beats_pct:
    actors:
      "user:1": false
    percentage_of_actors: 100%
`

func mustEval(t testing.TB, src string) *Evaluator {
	t.Helper()
	f, err := flagfile.Parse("test.yaml", []byte(src), flagfile.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return New(f)
}

func TestRules(t *testing.T) {
	ev := mustEval(t, rulesFile)
	// pct_actors_half: user:a scores below 50%, user:c above (checked below).
	low, high := "", ""
	for i := 0; low == "" || high == ""; i++ {
		id := fmt.Sprintf("user:%d", i)
		if Score(id, "pct_actors_half") <= 0.5 {
			low = id
		} else {
			high = id
		}
	}
	tests := []struct {
		flag   string
		actor  Actor // nil: no actor
		want   bool
		gate   Gate
		reason string
	}{
		{"undefined_flag", nil, false, GateUndefined, "undefined flags are false"},
		{"undefined_flag", Subject{ID: "user:1"}, false, GateUndefined, "undefined flags are false with an actor"},
		{"bool_on", nil, true, GateBoolean, "boolean true"},
		{"bool_on", Subject{ID: "user:1"}, true, GateBoolean, "boolean true with an actor"},
		{"bool_off", nil, false, GateNone, "boolean false"},
		{"empty", Subject{ID: "user:1", Groups: []string{"beta"}}, false, GateNone, "no gates"},
		{"actor_beats_group", Subject{ID: "user:1", Groups: []string{"staff"}}, true, GateActor, "enabled actor beats disabled group"},
		{"actor_beats_group", Subject{ID: "user:2", Groups: []string{"beta"}}, false, GateActor, "disabled actor beats enabled group"},
		{"actor_beats_group", Subject{ID: "user:3", Groups: []string{"beta"}}, true, GateGroup, "enabled group"},
		{"actor_beats_group", Subject{ID: "user:3", Groups: []string{"staff", "beta"}}, false, GateGroup, "disabled group beats enabled one"},
		{"actor_beats_group", nil, false, GateNone, "without an actor, actor and group gates are ignored"},
		{"disabled_group_wins", Subject{ID: "user:3", Groups: []string{"beta", "banned"}}, false, GateGroup, "disabled group listed second still wins"},
		{"disabled_group_wins", Subject{ID: "user:3", Groups: []string{"other"}}, false, GateNone, "actor in no gated group"},
		{"group_beats_boolean", Subject{ID: "user:3", Groups: []string{"banned"}}, false, GateGroup, "disabled group beats boolean true"},
		{"group_beats_boolean", Subject{ID: "user:3"}, true, GateBoolean, "boolean when no group matches"},
		{"group_beats_boolean", actorOnly("user:3"), true, GateBoolean, "actor without groups (not Grouped)"},
		{"actor_beats_boolean", Subject{ID: "user:1"}, false, GateActor, "disabled actor beats boolean true"},
		{"actor_beats_boolean", nil, true, GateBoolean, "without actor the boolean decides"},
		{"off_boolean_keeps_pct", Subject{ID: "user:1"}, true, GatePercentageOfActors, "a false boolean does not stop percentages"},
		{"off_boolean_keeps_pct", nil, false, GateNone, "without actor percentage_of_actors is ignored"},
		{"off_boolean_keeps_pct", Subject{}, false, GateNone, "empty actor ID is no actor"},
		{"off_boolean_keeps_pct", Subject{Groups: []string{"beta"}}, false, GateNone, "groups without an ID: percentage_of_actors still needs an ID"},
		{"actor_beats_group", Subject{Groups: []string{"beta"}}, true, GateGroup, "groups without an ID: group gates apply"},
		{"actor_beats_group", Subject{Groups: []string{"staff", "beta"}}, false, GateGroup, "groups without an ID: a disabled group wins"},
		{"group_beats_boolean", Subject{Groups: []string{"banned"}}, false, GateGroup, "groups without an ID: a disabled group beats boolean true"},
		{"group_beats_boolean", Subject{Groups: []string{"other"}}, true, GateBoolean, "groups without an ID: no group matches, boolean decides"},
		{"actor_beats_boolean", Subject{Groups: []string{"x"}}, true, GateBoolean, "groups without an ID: actor gates need an ID"},
		{"pct_time_full", Subject{Groups: []string{"beta"}}, true, GatePercentageOfTime, "groups without an ID: percentage_of_time applies"},
		{"pct_actors_half", Subject{ID: low}, true, GatePercentageOfActors, "score below p"},
		{"pct_actors_half", Subject{ID: high}, false, GatePercentageOfActors, "score above p"},
		{"pct_time_full", nil, true, GatePercentageOfTime, "100% of time without actor"},
		{"pct_time_full", Subject{ID: "user:1"}, true, GatePercentageOfTime, "100% of time with actor"},
		{"pct_time_full_off_bool", nil, true, GatePercentageOfTime, "a false boolean does not stop percentage_of_time"},
		{"actor_gate_off_beats_pct", Subject{ID: "user:1"}, false, GateActor, "disabled actor beats 100%"},
		{"actor_gate_off_beats_pct", Subject{ID: "user:2"}, true, GatePercentageOfActors, "others get the percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			var got bool
			if tt.actor == nil {
				got = ev.Enabled(tt.flag)
				if ev.EnabledFor(tt.flag, nil) != got {
					t.Errorf("EnabledFor(nil) disagrees with Enabled")
				}
			} else {
				got = ev.EnabledFor(tt.flag, tt.actor)
			}
			if got != tt.want {
				t.Errorf("%s for %v = %v, want %v", tt.flag, tt.actor, got, tt.want)
			}
			d := ev.Explain(tt.flag, tt.actor)
			if d.Enabled != tt.want || d.Gate != tt.gate {
				t.Errorf("Explain = %v (gate %v), want %v by %v", d.Enabled, d.Gate, tt.want, tt.gate)
			}
		})
	}
}

type actorOnly string

func (a actorOnly) ActorID() string { return string(a) }

func TestScoreKnownAnswers(t *testing.T) {
	// Computed independently: printf %s "$actor$flag" | sha256sum, first 4 hex digits.
	tests := []struct {
		actor, flag string
		bits        uint16
	}{
		{"user:9", "flag_enabled", 0xa4b4},
		{"user:42", "new_checkout_enabled", 0x584a},
		{"org:acme", "dark_mode_enabled", 0xcce1},
		{"country:GB", "beta_enabled", 0x5637},
		{"x", "a", 0x8f26},
		{"user:1000000", "search_v2_enabled", 0x9505},
	}
	for _, tt := range tests {
		want := float64(tt.bits) / 65536
		if got := Score(tt.actor, tt.flag); got != want {
			t.Errorf("Score(%q, %q) = %v, want %v", tt.actor, tt.flag, got, want)
		}
	}
	// Every buffer path (<=64, <=512, longer) hashes the same bytes.
	for _, n := range []int{10, 63, 64, 65, 300, 511, 512, 513, 2000} {
		long := strings.Repeat("a", n)
		want := sha256.Sum256([]byte(long + "f"))
		if got := Score(long, "f"); got != float64(uint16(want[0])<<8|uint16(want[1]))/65536 {
			t.Errorf("score of a %d-byte ID = %v", n, got)
		}
	}
	long, flag := "user:"+strings.Repeat("9", 150), strings.Repeat("f", 100)
	if n := testing.AllocsPerRun(50, func() { Score(long, flag) }); n != 0 {
		t.Errorf("a 255-byte actor ID + flag name allocates %v times", n)
	}
}

func TestPercentBoundary(t *testing.T) {
	// score <= p, in exact integer arithmetic: 0x8000/65536 = 50% exactly.
	if !percentOpen(0x8000, 50000) {
		t.Error("score equal to p must open the gate")
	}
	if percentOpen(0x8001, 50000) {
		t.Error("score above p must not open the gate")
	}
	if !percentOpen(0xffff, 100000) || !percentOpen(0, 1) {
		t.Error("100% must open for every score and any p for score 0")
	}
}

func TestPercentageStatistics(t *testing.T) {
	for _, pct := range []string{"10%", "30%", "68.5%"} {
		src := fmt.Sprintf("version: 1\nflags:\n  a:\n    percentage_of_actors: %s\n  t:\n    percentage_of_time: %s\n", pct, pct)
		ev := mustEval(t, src)
		p, _ := flagfile.ParsePercent(pct)
		const n = 100000
		actors, times := 0, 0
		for i := 0; i < n; i++ {
			if ev.EnabledFor("a", Subject{ID: fmt.Sprintf("user:%d", i)}) {
				actors++
			}
			if ev.Enabled("t") {
				times++
			}
		}
		for name, got := range map[string]int{"percentage_of_actors": actors, "percentage_of_time": times} {
			frac := float64(got) / n
			if d := frac - p.Float(); d > 0.01 || d < -0.01 {
				t.Errorf("%s %s: %.4f of checks on, want within 1 point", name, pct, frac)
			}
		}
	}
}

func TestOverride(t *testing.T) {
	ev := mustEval(t, rulesFile)
	t.Run("forced", func(t *testing.T) {
		ev.Override(t, "bool_on", false)
		ev.Override(t, "brand_new", true)
		if ev.Enabled("bool_on") || ev.EnabledFor("bool_on", Subject{ID: "user:1"}) {
			t.Error("override false did not win")
		}
		if !ev.EnabledFor("brand_new", Subject{ID: "user:1"}) {
			t.Error("override true of an undefined flag did not win")
		}
		if d := ev.Explain("bool_on", nil); d.Gate != GateOverride {
			t.Errorf("Explain gate = %v, want override", d.Gate)
		}
	})
	if !ev.Enabled("bool_on") || ev.Enabled("brand_new") {
		t.Error("t.Cleanup did not undo the overrides")
	}
	m := FromMap(map[string]bool{"a": true, "b": false})
	if !m.Enabled("a") || m.Enabled("b") || m.EnabledFor("c", Subject{ID: "x"}) {
		t.Error("FromMap")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte(rulesFile), 0o644)
	ev, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Enabled("bool_on") || len(ev.Version()) != 64 {
		t.Errorf("Load: bool_on=%v version=%q", ev.Enabled("bool_on"), ev.Version())
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nflags:\n  a: yes\n"), 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml:3:6") {
		t.Errorf("Load(bad) = %v, want a positioned error", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !os.IsNotExist(err) {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestZeroAllocs(t *testing.T) {
	ev := mustEval(t, rulesFile)
	var a Actor = Subject{ID: "user:3", Groups: []string{"beta"}}
	for _, flag := range []string{"bool_on", "actor_beats_group", "pct_actors_half", "pct_time_full", "undefined"} {
		if n := testing.AllocsPerRun(100, func() { ev.EnabledFor(flag, a); ev.Enabled(flag) }); n != 0 {
			t.Errorf("%s: %v allocs per check", flag, n)
		}
	}
}

// TestNoAllocations: checks allocate nothing, by name and by handle, with an
// actor, with groups and no ID, and without an actor.
func TestNoAllocations(t *testing.T) {
	ev := mustEval(t, rulesFile)
	h := ev.Flag("actor_beats_group")
	var withID, groupsOnly Actor = Subject{ID: "user:3", Groups: []string{"beta"}}, Subject{Groups: []string{"staff", "beta"}}
	checks := map[string]func(){
		"EnabledFor actor":     func() { sinkBool = ev.EnabledFor("actor_beats_group", withID) },
		"EnabledFor groups":    func() { sinkBool = ev.EnabledFor("actor_beats_group", groupsOnly) },
		"Enabled":              func() { sinkBool = ev.Enabled("bool_on") },
		"Flag.EnabledFor":      func() { sinkBool = h.EnabledFor(groupsOnly) },
		"Explain groups":       func() { sinkBool = ev.Explain("actor_beats_group", groupsOnly).Enabled },
		"EnabledFor undefined": func() { sinkBool = ev.EnabledFor("nope", groupsOnly) },
	}
	for name, check := range checks {
		if n := testing.AllocsPerRun(100, check); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}
