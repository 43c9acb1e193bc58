// Package bench compares flagctl with other Go flag SDKs on the same scenarios:
// `make bench-peers`. It is a separate module so that the main module never
// depends on the peers.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gb "github.com/growthbook/growthbook-golang"
	"github.com/launchdarkly/go-sdk-common/v3/ldcontext"
	"github.com/launchdarkly/go-sdk-common/v3/ldlog"
	"github.com/launchdarkly/go-sdk-common/v3/ldvalue"
	ld "github.com/launchdarkly/go-server-sdk/v7"
	"github.com/launchdarkly/go-server-sdk/v7/ldcomponents"
	"github.com/launchdarkly/go-server-sdk/v7/ldfiledata"

	"github.com/flagctl/flagctl/pkg/eval"
)

// The scenarios, on a set of 1,000 flags.
const (
	nFlags      = 1000
	boolFlag    = "global_on_enabled"
	actorsFlag  = "listed_actors_enabled"
	groupFlag   = "beta_group_enabled"
	percentFlag = "thirty_percent_enabled"
	nActors     = 1024 // rotating actors for the percentage scenario
)

func actorID(i int) string { return fmt.Sprintf("user:%d", i) }

// fixtures writes the same flags for each library.
func fixtures(tb testing.TB) (flagctlPath, ldPath, gbJSON string) {
	dir := tb.TempDir()
	var fc strings.Builder
	fc.WriteString("version: 1\nenvironment: production\nflags:\n")
	ldFlags := map[string]any{}
	gbFeatures := map[string]any{}
	listed := make([]string, 1000)
	for i := range listed {
		listed[i] = actorID(i)
	}
	for i := 0; i < nFlags-4; i++ {
		name := fmt.Sprintf("filler_%03d_enabled", i)
		fmt.Fprintf(&fc, "  %s: false\n", name)
		ldFlags[name] = ldFlag(name, map[string]any{"fallthrough": map[string]any{"variation": 1}})
		gbFeatures[name] = map[string]any{"defaultValue": false}
	}
	fmt.Fprintf(&fc, "  %s: true\n", boolFlag)
	ldFlags[boolFlag] = ldFlag(boolFlag, map[string]any{"fallthrough": map[string]any{"variation": 0}})
	gbFeatures[boolFlag] = map[string]any{"defaultValue": true}

	fmt.Fprintf(&fc, "  %s:\n    actors:\n", actorsFlag)
	for _, id := range listed {
		fmt.Fprintf(&fc, "      %q: true\n", id)
	}
	ldFlags[actorsFlag] = ldFlag(actorsFlag, map[string]any{"fallthrough": map[string]any{"variation": 1},
		"targets": []any{map[string]any{"values": listed, "variation": 0}}})
	gbFeatures[actorsFlag] = map[string]any{"defaultValue": false, "rules": []any{map[string]any{"condition": map[string]any{"id": map[string]any{"$in": listed}}, "force": true}}}

	fmt.Fprintf(&fc, "  %s:\n    groups:\n      beta: true\n", groupFlag)
	ldFlags[groupFlag] = ldFlag(groupFlag, map[string]any{"fallthrough": map[string]any{"variation": 1},
		"rules": []any{map[string]any{"id": "beta", "variation": 0, "clauses": []any{map[string]any{"attribute": "groups", "op": "in", "values": []any{"beta"}}}}}})
	gbFeatures[groupFlag] = map[string]any{"defaultValue": false, "rules": []any{map[string]any{"condition": map[string]any{"groups": map[string]any{"$elemMatch": map[string]any{"$eq": "beta"}}}, "force": true}}}

	fmt.Fprintf(&fc, "  %s:\n    percentage_of_actors: 30%%\n", percentFlag)
	ldFlags[percentFlag] = ldFlag(percentFlag, map[string]any{"fallthrough": map[string]any{"rollout": map[string]any{"variations": []any{
		map[string]any{"variation": 0, "weight": 30000}, map[string]any{"variation": 1, "weight": 70000}}}}})
	gbFeatures[percentFlag] = map[string]any{"defaultValue": false, "rules": []any{map[string]any{"force": true, "coverage": 0.3, "hashAttribute": "id"}}}

	flagctlPath = filepath.Join(dir, "production.yaml")
	ldPath = filepath.Join(dir, "launchdarkly.json")
	os.WriteFile(flagctlPath, []byte(fc.String()), 0o644)
	data, _ := json.Marshal(map[string]any{"flags": ldFlags})
	os.WriteFile(ldPath, data, 0o644)
	gbData, _ := json.Marshal(gbFeatures)
	return flagctlPath, ldPath, string(gbData)
}

func ldFlag(key string, extra map[string]any) map[string]any {
	f := map[string]any{"key": key, "on": true, "variations": []any{true, false}, "offVariation": 1, "version": 1, "salt": key}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// lib is one library under test. check answers for verification; loop runs the
// timed loop of one scenario with direct calls, so that no harness indirection
// is measured.
type lib struct {
	name  string
	check func(flag string, actor int) bool
	loop  func(b *testing.B, flag string, actor func(i int) int) bool
}

// noActor marks a check without an actor.
const noActor = -1

func libraries(tb testing.TB) []lib {
	fcPath, ldPath, gbJSON := fixtures(tb)

	// flagctl, through typed handles (eval.Flag, what `flagctl generate go` writes).
	ev, err := eval.Load(fcPath)
	if err != nil {
		tb.Fatal(err)
	}
	fcActors := make([]eval.Actor, nActors+1)
	for i := 0; i < nActors; i++ {
		fcActors[i] = eval.Subject{ID: actorID(i), Groups: []string{"staff", "beta"}}
	}
	fcActors[nActors] = eval.Subject{ID: "user:outsider", Groups: []string{"staff"}}

	// LaunchDarkly, offline from its file data source, events off.
	client, err := ld.MakeCustomClient("sdk-key-offline", ld.Config{
		DataSource:       ldfiledata.DataSource().FilePaths(ldPath),
		Events:           ldcomponents.NoEvents(),
		DiagnosticOptOut: true,
		Logging:          ldcomponents.Logging().Loggers(ldlog.NewDisabledLoggers()),
	}, 5*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { client.Close() })
	ldActors := make([]ldcontext.Context, nActors+1)
	for i := 0; i <= nActors; i++ {
		id, groups := actorID(i), []string{"staff", "beta"}
		if i == nActors {
			id, groups = "user:outsider", []string{"staff"}
		}
		ldActors[i] = ldcontext.NewBuilder(id).SetValue("groups", ldvalue.CopyArbitraryValue(groups)).Build()
	}

	// GrowthBook, from a features JSON, one child client per actor.
	base, err := gb.NewClient(context.Background(), gb.WithJsonFeatures(gbJSON))
	if err != nil {
		tb.Fatal(err)
	}
	gbActors := make([]*gb.Client, nActors+1)
	for i := 0; i <= nActors; i++ {
		id, groups := actorID(i), []any{"staff", "beta"}
		if i == nActors {
			id, groups = "user:outsider", []any{"staff"}
		}
		if gbActors[i], err = base.WithAttributes(gb.Attributes{"id": id, "groups": groups}); err != nil {
			tb.Fatal(err)
		}
	}
	ctx := context.Background()
	outsider := func(a int) int {
		if a < 0 {
			return nActors
		}
		return a
	}
	return []lib{
		{"flagctl",
			func(flag string, a int) bool {
				if a < 0 {
					return ev.Flag(flag).Enabled()
				}
				return ev.Flag(flag).EnabledFor(fcActors[a])
			},
			func(b *testing.B, flag string, actor func(int) int) bool {
				h := ev.Flag(flag)
				var r bool
				if actor(0) == noActor {
					for b.Loop() {
						r = h.Enabled()
					}
					return r
				}
				i := 0
				for b.Loop() {
					r = h.EnabledFor(fcActors[actor(i)])
					i++
				}
				return r
			}},
		// flagctl through the string API (ev.EnabledFor("name", actor)), what most
		// call sites write.
		{"flagctl_name",
			func(flag string, a int) bool {
				if a < 0 {
					return ev.Enabled(flag)
				}
				return ev.EnabledFor(flag, fcActors[a])
			},
			func(b *testing.B, flag string, actor func(int) int) bool {
				var r bool
				if actor(0) == noActor {
					for b.Loop() {
						r = ev.Enabled(flag)
					}
					return r
				}
				i := 0
				for b.Loop() {
					r = ev.EnabledFor(flag, fcActors[actor(i)])
					i++
				}
				return r
			}},
		{"launchdarkly",
			func(flag string, a int) bool {
				v, _ := client.BoolVariation(flag, ldActors[outsider(a)], false)
				return v
			},
			func(b *testing.B, flag string, actor func(int) int) bool {
				var r bool
				i := 0
				for b.Loop() {
					r, _ = client.BoolVariation(flag, ldActors[outsider(actor(i))], false)
					i++
				}
				return r
			}},
		{"growthbook",
			func(flag string, a int) bool { return gbActors[outsider(a)].EvalFeature(ctx, flag).On },
			func(b *testing.B, flag string, actor func(int) int) bool {
				var r bool
				i := 0
				for b.Loop() {
					r = gbActors[outsider(actor(i))].EvalFeature(ctx, flag).On
					i++
				}
				return r
			}},
	}
}

// verify checks every library's answers before anything is timed.
func verify(tb testing.TB, l lib) {
	tb.Helper()
	if !l.check(boolFlag, -1) {
		tb.Fatalf("%s: %s must be on", l.name, boolFlag)
	}
	if !l.check(actorsFlag, 500) || l.check(actorsFlag, nActors) {
		tb.Fatalf("%s: %s must be on for listed actors only", l.name, actorsFlag)
	}
	if !l.check(groupFlag, 7) || l.check(groupFlag, nActors) {
		tb.Fatalf("%s: %s must be on for the beta group only", l.name, groupFlag)
	}
	on := 0
	for i := 0; i < nActors; i++ {
		if l.check(percentFlag, i) {
			on++
		}
	}
	if share := float64(on) / nActors; share < 0.25 || share > 0.35 {
		tb.Fatalf("%s: %s is on for %.1f%% of actors, want about 30%%", l.name, percentFlag, share*100)
	}
}

func TestPeersAgree(t *testing.T) {
	for _, l := range libraries(t) {
		verify(t, l)
	}
}

// BenchmarkPeers: sub-benchmarks scenario=…/lib=…; `benchstat -col /lib` prints
// the libraries side by side. Every library's answers are verified first.
func BenchmarkPeers(b *testing.B) {
	libs := libraries(b)
	for _, l := range libs {
		verify(b, l)
	}
	scenarios := []struct {
		name, flag string
		actor      func(i int) int
		want       bool
	}{
		{"boolean", boolFlag, func(int) int { return noActor }, true},
		{"actors", actorsFlag, func(int) int { return 777 }, true},
		{"group", groupFlag, func(int) int { return 7 }, true},
		{"percentage", percentFlag, func(i int) int { return i & (nActors - 1) }, false},
	}
	for _, sc := range scenarios {
		for _, l := range libs {
			b.Run("scenario="+sc.name+"/lib="+l.name, func(b *testing.B) {
				b.ReportAllocs()
				if r := l.loop(b, sc.flag, sc.actor); sc.name != "percentage" && r != sc.want {
					b.Fatalf("%s answered %v", l.name, r)
				}
			})
		}
	}
}
