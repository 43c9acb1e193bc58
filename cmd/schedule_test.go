package cmd

import (
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestScheduleArgv checks how argv fills the options of schedule and of enable's
// ramp flags, and the usage errors they report.
func TestScheduleArgv(t *testing.T) {
	tests := []struct {
		name    string
		build   func(*Factory, *any) *cobra.Command
		argv    []string
		want    any
		wantErr string
	}{
		{"schedule enable", with(NewCmdSchedule), []string{"x", "--at", "2026-12-24T18:00:00+01:00", "--enable"}, &ScheduleOptions{Name: "x", At: "2026-12-24T18:00:00+01:00", Enable: true}, ""},
		{"schedule actors off", with(NewCmdSchedule), []string{"x", "--at", "2026-12-24T18:00:00Z", "--disable", "--actor", "u:1,u:2"}, &ScheduleOptions{Name: "x", At: "2026-12-24T18:00:00Z", Disable: true, Actors: []string{"u:1,u:2"}}, ""},
		{"schedule percentage", with(NewCmdSchedule), []string{"x", "--at", "2026-12-24T18:00:00Z", "--percentage-of-actors", "0%"}, &ScheduleOptions{Name: "x", At: "2026-12-24T18:00:00Z", PercentageOfActors: "0%"}, ""},
		{"schedule clear", with(NewCmdSchedule), []string{"x", "--clear"}, &ScheduleOptions{Name: "x", Clear: true}, ""},
		{"schedule no at", with(NewCmdSchedule), []string{"x", "--enable"}, nil, "--at is required: when the change takes effect, e.g. --at 2026-12-24T18:00:00+01:00"},
		{"schedule no change", with(NewCmdSchedule), []string{"x", "--at", "2026-12-24T18:00:00Z"}, nil, "say what changes: --enable, --disable, --percentage-of-actors or --percentage-of-time"},
		{"schedule both", with(NewCmdSchedule), []string{"x", "--at", "2026-12-24T18:00:00Z", "--enable", "--disable"}, nil, "--enable and --disable are mutually exclusive"},
		{"schedule actor without value", with(NewCmdSchedule), []string{"x", "--at", "2026-12-24T18:00:00Z", "--actor", "u:1"}, nil, "--actor and --group need --enable or --disable: the value their gates take"},
		{"schedule clear and more", with(NewCmdSchedule), []string{"x", "--clear", "--enable"}, nil, "--clear removes the whole schedule; give it alone"},
		{"enable ramp", with(NewCmdEnable), []string{"x", "--percentage-of-actors", "100%", "--ramp-from", "1%", "--over", "7d"}, &EnableOptions{Name: "x", PercentageOfActors: "100%", RampFrom: "1%", Over: "7d"}, ""},
		{"enable ramp without target", with(NewCmdEnable), []string{"x", "--ramp-from", "1%", "--over", "7d"}, nil, "--ramp-from needs the target: --percentage-of-actors P or --percentage-of-time P"},
		{"enable ramp without over", with(NewCmdEnable), []string{"x", "--percentage-of-actors", "5%", "--ramp-from", "1%"}, nil, "--ramp-from needs --over, the ramp's length (e.g. 7d)"},
		{"enable over without ramp", with(NewCmdEnable), []string{"x", "--percentage-of-actors", "5%", "--over", "7d"}, nil, "--over and --start describe a ramp: add --ramp-from P"},
		{"eval at", with(NewCmdEval), []string{"x", "--at", "2026-12-24T18:00:00+01:00"}, &EvalOptions{Name: "x", At: "2026-12-24T18:00:00+01:00", Output: "text"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			err := runOpts(t, func(f *Factory) *cobra.Command { return tt.build(f, &got) }, tt.argv...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				if exitCode(err) != 2 {
					t.Errorf("exit %d, want 2", exitCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("options %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestRampAndScheduleVerbs writes a ramp and schedule entries with the CLI, then
// reads them back with eval --at, show and test, on a real project.
func TestRampAndScheduleVerbs(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
		"flags/staging.yaml":    stagingFile,
		"flags/production.yaml": productionFile,
		"flags/tests/ramp.yaml": `version: 1
tests:
  - {name: not yet, env: staging, flag: new_checkout_enabled, actor: "user:1", at: 2026-12-07T09:00:00Z, want: false}
  - {name: ramped, env: staging, flag: new_checkout_enabled, actor: "user:1", at: 2026-12-14T09:00:00Z, want: true}
  - {name: campaign, env: staging, flag: dark_mode_enabled, at: 2026-12-24T17:00:00Z, want: false}
  - {name: wrong on purpose, env: staging, flag: dark_mode_enabled, at: "2026-12-24T16:59:59.999999999Z", want: false}
`,
	})
	steps := [][]string{
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", "100%", "--ramp-from", "1%", "--over", "7d", "--start", "2026-12-07T09:00:00Z"},
		{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00+01:00", "--disable"},
		{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-31T23:59:00+01:00", "--enable"},
		{"schedule", "new_checkout_enabled", "-e", "staging", "--at", "2026-12-20T00:00:00Z", "--disable", "--group", "beta_testers"},
		{"eval", "new_checkout_enabled", "-e", "staging", "--actor", "user:1", "--at", "2026-12-10T21:00:00Z", "--explain"},
		{"eval", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00+01:00", "-o", "json"},
		{"show", "new_checkout_enabled"},
		{"list", "-e", "staging"},
		{"test"},
	}
	var got strings.Builder
	for _, argv := range steps {
		code, stdout, stderr := p.run(argv...)
		got.WriteString("$ flagctl " + strings.Join(argv, " ") + "\n" + stdout + stderr)
		if want := map[bool]int{true: 1, false: 0}[argv[0] == "test"]; code != want {
			t.Errorf("%v: exit %d, want %d; stderr: %s", argv, code, want, stderr)
		}
	}
	got.WriteString("--- flags/staging.yaml\n" + p.read("flags/staging.yaml"))
	golden(t, "timed_verbs.golden", got.String())
	if p.read("flags/production.yaml") != productionFile {
		t.Error("production.yaml changed")
	}
}

// TestScheduleErrors checks that bad times are usage errors naming the fix, and
// leave the file untouched.
func TestScheduleErrors(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00", "--enable"}, `--at: time "2026-12-24T18:00:00" has no zone; add Z for UTC (2026-12-24T18:00:00Z) or an offset such as 2026-12-24T18:00:00+01:00`},
		{[]string{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24", "--enable"}, "has no time of day and no zone"},
		{[]string{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00Z", "--percentage-of-time", "150%"}, `--percentage-of-time: percentage "150%" out of range`},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-actors", "50%", "--ramp-from", "1%", "--over", "soon"}, `--over: bad length "soon"; write 7d, 2w, 36h or 90m`},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-actors", "50%", "--ramp-from", "50%", "--over", "7d"}, "--ramp-from 50% is the target itself"},
		{[]string{"eval", "dark_mode_enabled", "-e", "staging", "--at", "tomorrow"}, `--at: bad time "tomorrow"`},
		{[]string{"schedule", "dark_mod_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00Z", "--enable"}, `did you mean "dark_mode_enabled"?`},
		// Only a number equal to zero removes the gate; a typo is not 0%.
		{[]string{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00Z", "--percentage-of-actors", "."}, `--percentage-of-actors: bad percentage "."`},
		{[]string{"schedule", "dark_mode_enabled", "-e", "staging", "--at", "2026-12-24T18:00:00Z", "--percentage-of-time", "0.0.0%"}, `--percentage-of-time: bad percentage "0.0.0%"`},
	}
	for _, tt := range tests {
		p := stdProject(t)
		code, _, stderr := p.run(tt.argv...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.argv, code, stderr, tt.want)
		}
		if p.read("flags/staging.yaml") != stagingFile {
			t.Errorf("%v changed the file", tt.argv)
		}
	}
}

const timedStaging = `version: 1
environment: staging
flags:
  # launched; the ramp is done
  new_checkout_enabled:
    description: New checkout
    owner: team-payments
    percentage_of_actors:
      ramp:
        from: 1%
        to: 100%
        start: 2026-11-01T09:00:00Z
        end: 2026-11-08T09:00:00Z
  campaign_enabled:
    description: Campaign
    owner: team-growth
    schedule:
      - at: 2026-11-20T18:00:00+01:00
        enabled: true
      # off after the weekend
      - at: 2026-11-23T00:00:00+01:00
        enabled: false
  rollback_enabled:
    description: Rollback
    owner: team-ops
    actors:
      "user:7": false
    percentage_of_time:
      ramp:
        from: 50%
        to: 0%
        start: 2026-11-21T00:00:00Z
        end: 2026-11-28T00:00:00Z
`

// TestLintAndApplySchedule: lint warns about passed entries, finished and down
// ramps; fmt --apply-schedule folds what passed, keeping comments, and lint no
// longer warns about it.
func TestLintAndApplySchedule(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "dir: flags\nenvironments: [staging]\n",
		"flags/staging.yaml": timedStaging,
	})
	var got strings.Builder
	for _, step := range []struct {
		argv []string
		code int
	}{
		{[]string{"lint"}, 0},
		{[]string{"lint", "--strict"}, 1},
		{[]string{"fmt", "--apply-schedule", "--check"}, 1},
		{[]string{"fmt", "--apply-schedule"}, 0},
		{[]string{"fmt", "--apply-schedule", "--check"}, 0},
		{[]string{"lint"}, 0},
	} {
		code, stdout, stderr := p.run(step.argv...)
		got.WriteString("$ flagctl " + strings.Join(step.argv, " ") + "\n" + strings.ReplaceAll(stdout+stderr, p.dir+"/", ""))
		if code != step.code {
			t.Errorf("%v: exit %d, want %d; stderr: %s", step.argv, code, step.code, stderr)
		}
	}
	got.WriteString("--- flags/staging.yaml\n" + p.read("flags/staging.yaml"))
	golden(t, "timed_lint.golden", got.String())
}

// TestLintTimedErrors: lint reports invalid ramps and schedules as errors with
// their positions.
func TestLintTimedErrors(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml": "dir: flags\nenvironments: [staging]\n",
		"flags/staging.yaml": `version: 1
environment: staging
flags:
  a_enabled:
    percentage_of_actors:
      ramp: {from: 1%, to: 100%, start: 2026-12-14T09:00:00Z, end: 2026-12-07T09:00:00Z}
    percentage_of_time: 5%
    schedule:
      - at: 2026-12-24T18:00:00
        enabled: true
      - at: 2026-12-31T18:00:00Z
        enabled: false
      - at: 2026-12-30T18:00:00Z
        enabled: true
`,
	})
	code, stdout, _ := p.run("lint")
	out := strings.ReplaceAll(stdout, p.dir+"/", "")
	for _, want := range []string{
		"flags/staging.yaml:6:68: error: percentage_of_actors.ramp ends (2026-12-07T09:00:00Z) before it starts (2026-12-14T09:00:00Z)",
		"flags/staging.yaml:7:5: error: flag \"a_enabled\" sets both percentage_of_actors and percentage_of_time; keep one",
		"flags/staging.yaml:9:13: error: schedule[0].at: time \"2026-12-24T18:00:00\" has no zone",
		"flags/staging.yaml:13:9: error: schedule[2] at 2026-12-30T18:00:00Z is before the entry above it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lint output lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}

// TestStaleTimed: a ramp finished at 100% and a schedule whose last step passed
// count toward fully-rolled-out and dead from the time they took effect; a
// schedule with a step to come does not count.
func TestStaleTimed(t *testing.T) {
	flag := func(name, body string) string {
		return "  " + name + ":\n    kind: release\n    owner: a\n    created: 2026-01-01\n" + body
	}
	ramp := "    percentage_of_actors:\n      ramp:\n        from: 1%\n        to: 100%\n        start: 2026-10-01T00:00:00Z\n        end: 2026-10-08T00:00:00Z\n"
	offAt := func(at string) string {
		return "    enabled: true\n    schedule:\n      - at: " + at + "\n        enabled: false\n"
	}
	file := func(env string) string {
		return "version: 1\nenvironment: " + env + "\nflags:\n" +
			flag("ramped_enabled", ramp) + flag("campaign_enabled", offAt("2026-11-15T00:00:00+01:00")) +
			flag("pending_enabled", offAt("2027-01-15T00:00:00Z")) + flag("recent_enabled", offAt("2026-12-20T00:00:00Z"))
	}
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "environments: [staging, production]\nstale:\n  max_age: 30d\n",
		"flags/staging.yaml":    file("staging"),
		"flags/production.yaml": file("production"),
		"main.go":               `Enabled("ramped_enabled"); Enabled("campaign_enabled"); Enabled("pending_enabled"); Enabled("recent_enabled")` + "\n",
	})
	_, stdout, stderr := p.run("stale", "--today", "2026-12-31")
	for _, want := range []string{
		"ramped_enabled: on for everyone in every environment since 2026-10-08 (84 days, over 30)",
		"campaign_enabled: enables nobody in any environment since 2026-11-14 (47 days, over 30)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("missing %q in:\n%s%s", want, stdout, stderr)
		}
	}
	for _, not := range []string{"pending_enabled: on for everyone", "pending_enabled: enables nobody", "recent_enabled: enables nobody"} {
		if strings.Contains(stdout, not) {
			t.Errorf("unexpected %q in:\n%s", not, stdout)
		}
	}
}

// TestStaleTimedGit: in a repository, a finished ramp counts from the later of the
// commit that holds it and the ramp's end.
func TestStaleTimedGit(t *testing.T) {
	g := &gitProject{project: newProject(t, nil)}
	g.git(nil, "init", "-q", "-b", "main")
	ramp := func(end string) map[string]string {
		out := map[string]string{".flagctl.yaml": "environments: [staging]\nstale:\n  max_age: 30d\n", "main.go": `Enabled("ramped_enabled")` + "\n"}
		out["flags/staging.yaml"] = "version: 1\nenvironment: staging\nflags:\n  ramped_enabled:\n    kind: release\n    owner: a\n    percentage_of_actors:\n      ramp:\n        from: 1%\n        to: 100%\n        start: 2026-09-01T00:00:00Z\n        end: " + end + "\n"
		return out
	}
	g.commit("Alice", "2026-09-01", "ramp", ramp("2026-10-08T00:00:00Z"))
	_, stdout, _ := g.run("stale", "--today", "2026-12-31")
	if !strings.Contains(stdout, "ramped_enabled: on for everyone in every environment since 2026-10-08 (84 days, over 30)") {
		t.Errorf("ramp end:\n%s", stdout)
	}
	g.commit("Bob", "2026-11-20", "unrelated", map[string]string{"README": "x\n"})
	_, stdout, _ = g.run("stale", "--today", "2026-12-31")
	if !strings.Contains(stdout, "ramped_enabled: on for everyone in every environment since 2026-10-08") {
		t.Errorf("an unrelated commit moved the date:\n%s", stdout)
	}
	// A ramp committed after its end counts from the commit.
	late := ramp("2026-10-08T00:00:00Z")
	late["flags/staging.yaml"] = strings.Replace(late["flags/staging.yaml"], "ramped_enabled", "late_enabled", 1)
	late["main.go"] = `Enabled("ramped_enabled"); Enabled("late_enabled")` + "\n"
	g.commit("Carol", "2026-11-25", "late ramp", late)
	_, stdout, _ = g.run("stale", "--today", "2026-12-31")
	if !strings.Contains(stdout, "late_enabled: on for everyone in every environment since 2026-11-25 (36 days, over 30)") {
		t.Errorf("late_enabled must count from its commit:\n%s", stdout)
	}
}

// TestDiffLogTimed: diff and log describe ramp and schedule changes in words.
func TestDiffLogTimed(t *testing.T) {
	g := &gitProject{project: newProject(t, nil)}
	g.git(nil, "init", "-q", "-b", "main")
	v := func(body string) map[string]string {
		return map[string]string{".flagctl.yaml": "environments: [staging]\n", "flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  new_checkout_enabled:\n" + body}
	}
	g.commit("Alice", "2026-11-01", "start", v("    percentage_of_actors: 5%\n"))
	ramp := "    percentage_of_actors:\n      ramp:\n        from: 5%\n        to: 100%\n        start: 2026-12-07T09:00:00Z\n        end: 2026-12-14T09:00:00Z\n"
	g.commit("Bob", "2026-11-02", "ramp", v(ramp))
	g.commit("Carol", "2026-11-03", "campaign", v(ramp+"    schedule:\n      - at: 2026-12-24T18:00:00+01:00\n        enabled: true\n"))
	_, stdout, stderr := g.run("diff", "HEAD~2")
	for _, want := range []string{
		"new_checkout_enabled [staging]: percentage_of_actors 5% → ramp from 5% on 2026-12-07 09:00 UTC to 100% on 2026-12-14 09:00 UTC; scheduled on at 2026-12-24 18:00 +01:00",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("diff lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
	_, stdout, stderr = g.run("log", "new_checkout_enabled")
	for _, want := range []string{
		"percentage_of_actors 5% → ramp from 5% on 2026-12-07 09:00 UTC to 100% on 2026-12-14 09:00 UTC",
		"scheduled on at 2026-12-24 18:00 +01:00",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("log lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
}

// TestEnableRampDefaults: without --start the ramp starts now (to the minute);
// --ramp-from 0% starts closed; --percentage-of-time ramps that gate.
func TestEnableRampDefaults(t *testing.T) {
	p := stdProject(t)
	code, _, stderr := p.run("enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-time", "50%", "--ramp-from", "0%", "--over", "36h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "  dark_mode_enabled:\n    enabled: true\n    percentage_of_time:\n      ramp:\n        from: 0%\n        to: 50%\n        start: 2026-11-21T12:00:00Z\n        end: 2026-11-23T00:00:00Z\n"
	if got := p.read("flags/staging.yaml"); !strings.Contains(got, want) {
		t.Errorf("got:\n%s\nwant it to contain:\n%s", got, want)
	}
	// A plain percentage replaces the ramp.
	p.run("enable", "dark_mode_enabled", "-e", "staging", "--percentage-of-actors", "10%")
	if got := p.read("flags/staging.yaml"); strings.Contains(got, "ramp:") || !strings.Contains(got, "    percentage_of_actors: 10%\n") {
		t.Errorf("the ramp was not replaced:\n%s", got)
	}
}

// TestSchedulePastWarns: an entry dated before now takes effect at once (a
// mistyped year flips the flag): schedule writes it and warns.
func TestSchedulePastWarns(t *testing.T) {
	tests := []struct {
		at   string
		warn bool
	}{
		{"2025-11-21T12:00:00Z", true},
		{"2026-11-21T11:59:59Z", true},
		{"2026-11-21T12:00:00Z", false},
		{"2026-12-24T18:00:00+01:00", false},
		{"now", false},
	}
	for _, tt := range tests {
		p := stdProject(t)
		code, _, stderr := p.run("schedule", "dark_mode_enabled", "-e", "staging", "--at", tt.at, "--disable")
		if code != 0 {
			t.Fatalf("--at %s: exit %d: %s", tt.at, code, stderr)
		}
		if got := strings.Contains(stderr, "warning: --at "+tt.at+" is in the past"); got != tt.warn {
			t.Errorf("--at %s: warned %v, want %v; stderr %q", tt.at, got, tt.warn, stderr)
		}
	}
}
