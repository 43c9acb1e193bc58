package serve

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// TestUIEditOverPassedSchedule: a dashboard edit of a flag whose schedule has
// an entry already in effect changes the gates in effect now; before, the
// passed entry still applied over the edit, so "off" left the flag on.
func TestUIEditOverPassedSchedule(t *testing.T) {
	const staging = `version: 1
environment: staging
flags:
  sale_enabled:
    enabled: false
    schedule:
      - at: 2020-01-01T00:00:00Z
        enabled: true
      - at: 2020-01-01T00:00:00Z
        actors:
          "user:1": true
      - at: 2020-01-01T00:00:00Z
        groups:
          beta: true
      - at: 2020-01-01T00:00:00Z
        percentage_of_actors: 100%
`
	tests := []struct {
		name, path string
		form       url.Values
		// want checks the flag's gates in effect now, after the edit.
		want func(fl *flagfile.Flag) bool
	}{
		{"boolean off", "/boolean", url.Values{"on": {"false"}}, func(fl *flagfile.Flag) bool { return !fl.BooleanOn() }},
		{"actor off", "/actors", url.Values{"actors": {"user:1"}, "on": {"false"}}, func(fl *flagfile.Flag) bool {
			return len(fl.Actors) == 1 && !fl.Actors[0].Enabled
		}},
		{"group off", "/groups", url.Values{"groups": {"beta"}, "on": {"false"}}, func(fl *flagfile.Flag) bool {
			return len(fl.Groups) == 1 && !fl.Groups[0].Enabled
		}},
		{"remove the percentage gate", "/gates/remove", url.Values{"gate": {"percentage"}}, func(fl *flagfile.Flag) bool {
			return fl.PercentageOfActors == 0
		}},
		{"remove the actor gate", "/gates/remove", url.Values{"gate": {"actor"}, "id": {"user:1"}}, func(fl *flagfile.Flag) bool {
			return len(fl.Actors) == 0
		}},
		{"percentage", "/percentage", url.Values{"gate": {"actors"}, "value": {"25"}}, func(fl *flagfile.Flag) bool {
			return fl.PercentageOfActors == 25000
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, map[string]string{"staging": staging})
			s, ts := start(t, Config{Environments: []Environment{f.env("staging")}, UI: &UIConfig{}})
			u := startUIWith(t, f, s, ts)
			tt.form.Set("hash", u.hash("staging"))
			if res := u.post("/ui/env/staging/flags/sale_enabled"+tt.path, tt.form); res.status != http.StatusSeeOther {
				t.Fatalf("%d %s", res.status, res.body)
			}
			file, err := flagfile.Parse("staging.yaml", []byte(u.file("staging")), flagfile.ParseOptions{Env: "staging"})
			if err != nil {
				t.Fatal(err)
			}
			if fl := file.Flag("sale_enabled").At(time.Now()); !tt.want(fl) {
				t.Errorf("gates in effect now: %+v\nfile:\n%s", fl, u.file("staging"))
			}
		})
	}
}
