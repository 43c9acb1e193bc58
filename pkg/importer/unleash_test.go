package importer

import (
	"sort"
	"strings"
	"testing"
)

func TestReadUnleash(t *testing.T) {
	res, err := ReadUnleash("export.json", readTestdata(t, "unleash.json"), "")
	if err != nil {
		t.Fatal(err)
	}
	want := `  new_checkout: {enabled: false, actors: {user:42: true, user:7: true}, percentage_of_actors: 50%, created: 2026-10-02}
  kill_switch_payments: {enabled: true}
  beta_users: {enabled: false, actors: {user:1: true, user:2: true}}
  random_banner: {enabled: false, percentage_of_time: 12.5%}
  eu_only: {enabled: false}
  dormant: {enabled: false}
`
	if got := summarize(res.Flags["production"]); got != want {
		t.Errorf("flags:\n%s\nwant:\n%s", got, want)
	}
	fl := res.Flags["production"][0]
	if fl.Description != "New checkout flow" || fl.Owner != "team-payments" || fl.Kind != "release" || res.Flags["production"][1].Kind != "ops" {
		t.Errorf("metadata: %+v", fl)
	}
	var issues []string
	for _, is := range res.Issues {
		issues = append(issues, is.String())
	}
	sort.Strings(issues)
	wantIssues := []string{
		`export.json:11:90: new_checkout [production]: flexibleRollout 50% imported as percentage_of_actors 50%: Unleash buckets with MurmurHash3 (stickiness "default"), so which actors are in changes`,
		`export.json:16:84: eu_only [production]: default strategy with constraints or segments not imported: flagctl has no rules; use actor and group gates`,
		`export.json:22:93: beta_users [production]: variants not imported: flagctl flags are booleans`,
		`export.json:3:14: new_checkout [production]: Unleash feature "new-checkout" is imported as "new_checkout" (flag names are lower-case letters, digits and _): change the name in code`,
	}
	if strings.Join(issues, "\n") != strings.Join(wantIssues, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(issues, "\n"), strings.Join(wantIssues, "\n"))
	}
	_, files := writeResult(t, res, t.TempDir(), Options{})
	checked, diffs := Verify(res, files, GenerateActors("user:%d", 100))
	if checked != 4 || len(diffs) > 0 { // kill_switch, beta_users, random_banner, dormant
		t.Errorf("verify: %d checked, %v", checked, diffs)
	}
	if _, err := ReadUnleash("export.json", readTestdata(t, "unleash.json"), "staging"); err == nil || !strings.Contains(err.Error(), "export.json: no environment staging in the export (it has production)") {
		t.Errorf("--env staging: %v", err)
	}
}

func TestReadUnleashBadInput(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"not an export", `{"flags": {}}`, `u.json:1:1: "features" is missing`},
		{"features type", `{"features": {}}`, `u.json:1:14: features: expected an array`},
		{"rollout", `{"features": [{"name": "a"}], "featureStrategies": [{"name": "flexibleRollout", "featureName": "a", "parameters": {"rollout": "lots"}}], "featureEnvironments": [{"featureName": "a", "environment": "p", "enabled": true}]}`, `u.json:1:127: flexibleRollout: rollout must be a number from 0 to 100`},
		{"no env", `{"features": [{"name": "a"}]}`, `u.json: the export names no environment`},
	}
	for _, tt := range tests {
		_, err := ReadUnleash("u.json", []byte(tt.data), "")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.want)
		}
	}
}

// TestReadUnleashStrategiesPerEnvironment: a feature enabled without
// strategies in one environment is on there, even when it has strategies in
// another environment.
func TestReadUnleashStrategiesPerEnvironment(t *testing.T) {
	data := `{
  "features": [{"name": "search_enabled"}],
  "featureStrategies": [
    {"name": "userWithId", "featureName": "search_enabled", "environment": "staging", "parameters": {"userIds": "user:1"}}
  ],
  "featureEnvironments": [
    {"featureName": "search_enabled", "environment": "staging", "enabled": true},
    {"featureName": "search_enabled", "environment": "production", "enabled": true}
  ]
}`
	res, err := ReadUnleash("u.json", []byte(data), "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ env, want string }{
		{"staging", "  search_enabled: {enabled: false, actors: {user:1: true}}\n"},
		{"production", "  search_enabled: {enabled: true}\n"},
	}
	for _, tt := range tests {
		if got := summarize(res.Flags[tt.env]); got != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.env, got, tt.want)
		}
	}
}

// TestUnleashDisabledStrategies: Unleash sends SDKs only enabled strategies,
// and an enabled feature without strategies is on for everyone; so a feature
// whose strategies are all disabled is on, and one disabled strategy beside an
// enabled one does not count.
func TestUnleashDisabledStrategies(t *testing.T) {
	const export = `{"features": [{"name": "all_disabled"}, {"name": "one_disabled"}, {"name": "off_env"}],
 "featureStrategies": [
  {"name": "flexibleRollout", "featureName": "all_disabled", "environment": "production", "disabled": true, "parameters": {"rollout": "10"}},
  {"name": "default", "featureName": "one_disabled", "environment": "production", "disabled": true},
  {"name": "userWithId", "featureName": "one_disabled", "environment": "production", "parameters": {"userIds": "user:1"}},
  {"name": "default", "featureName": "off_env", "environment": "production", "disabled": true}],
 "featureEnvironments": [
  {"featureName": "all_disabled", "environment": "production", "enabled": true},
  {"featureName": "one_disabled", "environment": "production", "enabled": true},
  {"featureName": "off_env", "environment": "production", "enabled": false}]}`
	res, err := ReadUnleash("export.json", []byte(export), "production")
	if err != nil {
		t.Fatal(err)
	}
	want := `  all_disabled: {enabled: true}
  one_disabled: {enabled: false, actors: {user:1: true}}
  off_env: {enabled: false}
`
	if got := summarize(res.Flags["production"]); got != want {
		t.Errorf("flags:\n%s\nwant:\n%s", got, want)
	}
	for _, name := range []string{"all_disabled", "one_disabled", "off_env"} {
		m := res.Models["production"][name]
		if m == nil {
			t.Fatalf("%s: no model", name)
		}
		on, _ := m.Decide("user:2", nil)
		if want := name == "all_disabled"; on != want {
			t.Errorf("%s: the model says %v for user:2, want %v", name, on, want)
		}
	}
}
