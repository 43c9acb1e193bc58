package eval

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestObserve(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, rulesFile)
	var mu sync.Mutex
	var got []Evaluation
	rec := ObserverFunc(func(ev Evaluation) { mu.Lock(); got = append(got, ev); mu.Unlock() })
	ev, err := Load(path, Observe(rec))
	if err != nil {
		t.Fatal(err)
	}
	ev.Enabled("bool_on")
	ev.EnabledFor("actor_beats_group", Subject{ID: "user:2"})
	ev.EnabledFor("nope", Subject{ID: "user:2"})
	ev.Flag("disabled_group_wins").EnabledFor(Subject{ID: "user:3", Groups: []string{"beta"}})
	want := []Evaluation{
		{Flag: "bool_on", Enabled: true, Gate: GateBoolean},
		{Flag: "actor_beats_group", ActorID: "user:2", Enabled: false, Gate: GateActor},
		{Flag: "nope", ActorID: "user:2", Gate: GateUndefined},
		{Flag: "disabled_group_wins", ActorID: "user:3", Enabled: true, Gate: GateGroup},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("observed %v\nwant %v", got, want)
	}
	// Watch takes observers too, and several are called in order.
	var order []int
	w := startWatch(t, path, Observe(ObserverFunc(func(Evaluation) { order = append(order, 1) })), Observe(ObserverFunc(func(Evaluation) { order = append(order, 2) })))
	w.Enabled("bool_on")
	if fmt.Sprint(order) != "[1 2]" {
		t.Errorf("observer order %v", order)
	}
}

func TestFirstSeen(t *testing.T) {
	type event struct{ flag, actor string }
	var mu sync.Mutex
	var events []event
	fs := NewFirstSeen(32, func(flag, actor string, at time.Time) {
		mu.Lock()
		events = append(events, event{flag, actor})
		mu.Unlock()
	})
	ev := mustEval(t, rulesFile)
	ev.observer = fs
	for i := 0; i < 3; i++ {
		ev.EnabledFor("actor_beats_group", Subject{ID: "user:1"})                           // actor gate: reported once
		ev.EnabledFor("actor_beats_group", Subject{ID: "user:3", Groups: []string{"beta"}}) // group gate
		ev.EnabledFor("bool_on", Subject{ID: "user:1"})                                     // boolean gate: never
		ev.EnabledFor("actor_beats_group", Subject{ID: "user:2"})                           // off: never
		ev.Enabled("pct_time_full")                                                         // no actor: never
	}
	want := []event{{"actor_beats_group", "user:1"}, {"actor_beats_group", "user:3"}}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Errorf("events %v, want %v", events, want)
	}
	// Bounded: 1,000 actors through a 32-pair memory keep at most 32 pairs.
	events = nil
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 250; i++ {
				ev.EnabledFor("off_boolean_keeps_pct", Subject{ID: fmt.Sprintf("u%d-%d", g, i)})
			}
		}()
	}
	wg.Wait()
	if len(events) != 1000 {
		t.Errorf("%d first sightings for 1,000 actors", len(events))
	}
	n := 0
	for i := range fs.shards {
		n += len(fs.shards[i].seen)
	}
	if n > 32 {
		t.Errorf("remembers %d pairs, capacity 32", n)
	}
}

func TestNoObserverNoAllocs(t *testing.T) {
	ev := mustEval(t, rulesFile)
	var a Actor = Subject{ID: "user:3", Groups: []string{"beta"}}
	if n := testing.AllocsPerRun(100, func() { ev.EnabledFor("actor_beats_group", a) }); n != 0 {
		t.Errorf("%v allocs", n)
	}
	ev.observer = NewFirstSeen(64, func(string, string, time.Time) {})
	ev.EnabledFor("actor_beats_group", a)
	if n := testing.AllocsPerRun(100, func() { ev.EnabledFor("actor_beats_group", a) }); n != 0 {
		t.Errorf("FirstSeen on an already seen pair: %v allocs", n)
	}
}

// TestObserveEveryPathOnce: every way of checking a flag notifies the observers
// exactly once — Explain included (the OpenFeature provider evaluates with it).
func TestObserveEveryPathOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "production.yaml")
	writeFile(t, path, rulesFile)
	var n int
	ev, err := Load(path, Observe(ObserverFunc(func(Evaluation) { n++ })))
	if err != nil {
		t.Fatal(err)
	}
	h := ev.Flag("actor_beats_group")
	a := Subject{ID: "user:1"}
	paths := []struct {
		name  string
		check func()
	}{
		{"Enabled", func() { ev.Enabled("bool_on") }},
		{"EnabledFor", func() { ev.EnabledFor("actor_beats_group", a) }},
		{"Explain", func() { ev.Explain("actor_beats_group", a) }},
		{"Explain undefined", func() { ev.Explain("nope", nil) }},
		{"Flag.Enabled", func() { h.Enabled() }},
		{"Flag.EnabledFor", func() { h.EnabledFor(a) }},
		{"Flag.Explain", func() { h.Explain(a) }},
	}
	for _, p := range paths {
		n = 0
		p.check()
		if n != 1 {
			t.Errorf("%s notified the observer %d times, want 1", p.name, n)
		}
	}
}

// TestOptionTypes: Load accepts only the options that apply to it (Observe); the
// others are WatchOptions only, so passing them to Load does not compile.
func TestOptionTypes(t *testing.T) {
	watchOnly := map[string]WatchOption{
		"OnReload": OnReload(func(ReloadInfo) {}), "OnError": OnError(func(error) {}),
		"Debounce": Debounce(0), "PollInterval": PollInterval(0), "Strict": Strict(),
	}
	for name, o := range watchOnly {
		if _, ok := o.(LoadOption); ok {
			t.Errorf("%s is accepted by Load, which ignores it", name)
		}
	}
	var o WatchOption = Observe(ObserverFunc(func(Evaluation) {}))
	if _, ok := o.(LoadOption); !ok {
		t.Error("Observe must be a LoadOption")
	}
}
