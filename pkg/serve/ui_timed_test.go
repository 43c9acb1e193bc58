package serve

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
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

// TestUIFlagPageShowsGatesInEffect: the flag page's gate rows are the gates in
// effect at the server's time, like its state badge and like eval: a schedule
// entry that has come due turned the boolean gate on and an actor off, so the
// page must not show the file's base gates ("Boolean off", "Turn on for
// everyone") for a flag that is on.
func TestUIFlagPageShowsGatesInEffect(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 24, 20, 0, 0, 0, time.UTC)}
	f := newFixture(t, map[string]string{"staging": `version: 1
environment: staging
flags:
  campaign_enabled:
    enabled: false
    actors:
      "user:1": true
    schedule:
      - at: 2026-12-24T18:00:00+01:00
        enabled: true
        actors:
          "user:1": false
`})
	cfg := UIConfig{}
	s, ts := start(t, Config{Environments: []Environment{f.env("staging")}, UI: &cfg, Now: clock.now})
	u := startUIWith(t, f, s, ts)
	page := string(u.get("/ui/flags/campaign_enabled").body)
	for _, tc := range []struct {
		text string
		want bool
	}{
		{`state-badge partly`, true},
		{`<th scope="row">Boolean</th><td>on</td>`, true},
		{`value="false" class="off">Turn off</button>`, true},
		{`Turn on for everyone`, false},
		{"Actor <code>user:1</code></th><td>off</td>", true},
		{"Actor <code>user:1</code></th><td>on</td>", false},
	} {
		if got := strings.Contains(page, tc.text); got != tc.want {
			t.Errorf("flag page contains %q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestUIEditScheduledAtServerTime: with the server's clock past a schedule
// entry, turning the flag off (or clearing its boolean gate) takes effect now,
// whatever the base gate said, and edits that matter only later (an actor
// before its entry, a ramp still at 0%) are written too.
func TestUIEditScheduledAtServerTime(t *testing.T) {
	const file = `version: 1
environment: staging
flags:
  campaign_enabled:
    enabled: %s
    schedule:
      - at: 2026-12-24T18:00:00+01:00
        enabled: true
      - at: 2027-01-02T00:00:00Z
        actors:
          "user:1": true
  ramp_later:
    percentage_of_actors:
      ramp:
        from: 0%%
        to: 50%%
        start: 2027-01-01T00:00:00Z
        end: 2027-01-02T00:00:00Z
`
	now := time.Date(2026, 12, 24, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name, base, path string
		form             url.Values
		offNow           bool // campaign_enabled's boolean gate in effect now is off
	}{
		{"turn off, base already off", "false", "/flags/campaign_enabled/boolean", url.Values{"on": {"false"}}, true},
		{"turn off, base on", "true", "/flags/campaign_enabled/boolean", url.Values{"on": {"false"}}, true},
		{"clear the boolean gate", "true", "/flags/campaign_enabled/gates/remove", url.Values{"gate": {"boolean"}}, true},
		{"an actor before its entry", "false", "/flags/campaign_enabled/actors", url.Values{"actors": {"user:1"}, "on": {"true"}}, false},
		{"a ramp still at 0%", "false", "/flags/ramp_later/gates/remove", url.Values{"gate": {"percentage"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: now}
			f := newFixture(t, map[string]string{"staging": fmt.Sprintf(file, tt.base)})
			cfg := UIConfig{}
			s, ts := start(t, Config{Environments: []Environment{f.env("staging")}, UI: &cfg, Now: clock.now})
			u := startUIWith(t, f, s, ts)
			before := u.file("staging")
			tt.form.Set("hash", u.hash("staging"))
			if res := u.post("/ui/env/staging"+tt.path, tt.form); res.status != http.StatusSeeOther || u.file("staging") == before {
				t.Fatalf("not written: %d %s", res.status, res.body)
			}
			if !tt.offNow {
				return
			}
			file, err := flagfile.Parse("staging.yaml", []byte(u.file("staging")), flagfile.ParseOptions{Env: "staging"})
			if err != nil {
				t.Fatal(err)
			}
			if fl := file.Flag("campaign_enabled").At(now); fl.BooleanOn() {
				t.Errorf("still on now:\n%s", u.file("staging"))
			}
		})
	}
}

// TestUIShowsEffectiveState: the dashboard describes ramps and schedules by the
// gates in effect at the server's time — the list and flag pages change state
// when a scheduled change comes due, without any file change — and the flag page
// says what the timeline does now and next.
func TestUIShowsEffectiveState(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 12, 24, 16, 0, 0, 0, time.UTC)}
	f := newFixture(t, map[string]string{"staging": `version: 1
environment: staging
flags:
  campaign_enabled:
    schedule:
      - at: 2026-12-24T18:00:00+01:00
        enabled: true
  ramp_enabled:
    percentage_of_actors:
      ramp:
        from: 10%
        to: 50%
        start: 2026-12-24T00:00:00Z
        end: 2026-12-26T00:00:00Z
`})
	cfg := UIConfig{}
	s, ts := start(t, Config{Environments: []Environment{f.env("staging")}, UI: &cfg, Now: clock.now})
	u := startUIWith(t, f, s, ts)
	state := func(flag string) string {
		t.Helper()
		res := u.get("/ui/")
		if res.status != http.StatusOK {
			t.Fatalf("%d %s", res.status, res.body)
		}
		body := string(res.body)
		i := strings.Index(body, ">"+flag+"<")
		if i < 0 {
			t.Fatalf("list lacks %s", flag)
		}
		m := regexp.MustCompile(`class="state (\w+)" data-env="staging"`).FindStringSubmatch(body[i:])
		if m == nil {
			t.Fatalf("no state for %s", flag)
		}
		return m[1]
	}
	if got := state("campaign_enabled"); got != "off" {
		t.Errorf("before its entry: campaign_enabled %s, want off", got)
	}
	page := string(u.get("/ui/flags/ramp_enabled").body)
	for _, want := range []string{"Ramp and schedule", "Percentage of actors</th><td>23.333%"} {
		if !strings.Contains(page, want) {
			t.Errorf("flag page lacks %q", want)
		}
	}
	clock.add(time.Hour) // 17:00 UTC = 18:00 +01:00: the entry is due
	if got := state("campaign_enabled"); got != "on" {
		t.Errorf("at its entry: campaign_enabled %s, want on", got)
	}
}
