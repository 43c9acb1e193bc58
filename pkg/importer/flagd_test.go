package importer

import (
	"sort"
	"strings"
	"testing"
)

func TestReadFlagd(t *testing.T) {
	res, err := ReadFlagd("flags.json", readTestdata(t, "flagd.json"), "production")
	if err != nil {
		t.Fatal(err)
	}
	want := `  admins_only: {enabled: false}
  checkout_split: {enabled: false, percentage_of_actors: 25%}
  dark_mode_enabled: {enabled: false}
  new_welcome_banner: {enabled: true}
  retired: {enabled: false}
`
	if got := summarize(res.Flags["production"]); got != want {
		t.Errorf("flags:\n%s\nwant:\n%s", got, want)
	}
	var issues []string
	for _, is := range res.Issues {
		issues = append(issues, is.String())
	}
	sort.Strings(issues)
	wantIssues := []string{
		`flags.json:20:20: checkout_split [production]: fractional split imported as percentage_of_actors 25%: flagd buckets with MurmurHash3, so which actors are in changes`,
		`flags.json:26:20: admins_only [production]: targeting {"if":[{"ends_with":[{"var":"email"},"@example.com"]},"on","off"]} not imported: flagctl has no rules; use actor and group gates`,
		`flags.json:29:16: retired [production]: DISABLED: flagd answers the caller's default; imported as off`,
		`flags.json:35:19: header_color [production]: not a boolean flag (variants {"blue":"#0000FF","red":"#FF0000"}): not imported`,
		`flags.json:39:36: $evaluators.emailWithFaas not imported: flagctl has no shared rules`,
		`flags.json:4:27: new_welcome_banner [production]: flagd flag "new-welcome-banner" is imported as "new_welcome_banner" (flag names are lower-case letters, digits and _): change the key in code`,
	}
	if strings.Join(issues, "\n") != strings.Join(wantIssues, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(issues, "\n"), strings.Join(wantIssues, "\n"))
	}
	for _, fl := range res.Flags["production"] {
		if fl.Name == "new_welcome_banner" && (fl.Description != "Welcome banner" || fl.Owner != "team-web") {
			t.Errorf("metadata: %+v", fl)
		}
	}
	_, files := writeResult(t, res, t.TempDir(), Options{})
	if checked, diffs := Verify(res, files, GenerateActors("user:%d", 50)); checked != 2 || len(diffs) > 0 {
		t.Errorf("verify: %d checked, %v", checked, diffs)
	}
}

func TestReadFlagdBadInput(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"no flags", `{"flag": {}}`, `f.json:1:1: "flags" is missing`},
		{"state", `{"flags": {"a": {"state": "ON", "variants": {"on": true}, "defaultVariant": "on"}}}`, `f.json:1:27: flag "a": state must be "ENABLED" or "DISABLED", found "ON"`},
		{"default variant", `{"flags": {"a": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "yes"}}}`, `f.json:1:82: flag "a": defaultVariant "yes" is not one of its variants`},
		{"variants type", `{"flags": {"a": {"state": "ENABLED", "variants": [true]}}}`, `f.json:1:17: flag "a": variants: expected an object, found a JSON array`},
		{"not json", `{"flags": `, `f.json:1:11: not valid JSON`},
	}
	for _, tt := range tests {
		_, err := ReadFlagd("f.json", []byte(tt.data), "p")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.want)
		}
	}
}
