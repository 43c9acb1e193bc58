package eval

import (
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// FuzzEval: random files and actors never panic, and EnabledFor agrees with
// Explain for every flag that is not decided by a random draw.
func FuzzEval(f *testing.F) {
	f.Add([]byte(rulesFile), "user:1", "beta,staff")
	f.Add([]byte("version: 1\nflags:\n  a:\n    percentage_of_actors: 0.5\n"), "org:acme", "")
	f.Add([]byte(timedFile), "user:blocked", "beta_testers")
	f.Fuzz(func(t *testing.T, data []byte, id, groups string) {
		file, _ := flagfile.Parse("fuzz.yaml", data, flagfile.ParseOptions{})
		if file == nil {
			return
		}
		ev := New(file)
		a := Subject{ID: id, Groups: strings.Split(groups, ",")}
		for _, name := range append(file.Names(), "undefined_flag") {
			got := ev.EnabledFor(name, a)
			d := ev.Explain(name, a)
			if d.Gate == GatePercentageOfTime {
				continue
			}
			if d.Enabled != got {
				t.Fatalf("%s: EnabledFor = %v, Explain = %v (%v)", name, got, d.Enabled, d)
			}
			if d.Gate != GatePercentageOfTime && ev.Enabled(name) != ev.Explain(name, nil).Enabled {
				t.Fatalf("%s: Enabled disagrees with Explain(nil)", name)
			}
		}
	})
}
