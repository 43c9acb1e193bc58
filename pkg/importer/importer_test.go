package importer

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeResult plans and writes res into dir/ENV.yaml and returns the parsed files.
func writeResult(t *testing.T, res *Result, dir string, opts Options) ([]*FilePlan, map[string]*flagfile.File) {
	t.Helper()
	plans, err := Plan(res, func(env string) string { return filepath.Join(dir, env+".yaml") }, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(plans); err != nil {
		t.Fatal(err)
	}
	files := map[string]*flagfile.File{}
	for _, env := range res.Envs {
		path := filepath.Join(dir, env+".yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := flagfile.Parse(path, data, flagfile.ParseOptions{Env: env})
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, data)
		}
		files[env] = f
	}
	return plans, files
}

func TestFlagName(t *testing.T) {
	tests := []struct {
		in, want string
		same     bool
	}{
		{"search", "search", true},
		{"Dark-Mode", "dark_mode", false},
		{"new:checkout v2", "new_checkout_v2", false},
		{"2fa", "f_2fa", false},
		{"__x__", "x", false},
		{"", "f_", false},
	}
	for _, tt := range tests {
		got, same := FlagName(tt.in)
		if got != tt.want || same != tt.same {
			t.Errorf("FlagName(%q) = %q, %v; want %q, %v", tt.in, got, same, tt.want, tt.same)
		}
	}
}

// TestPlanKeepsExistingFile: flags are appended to an existing file keeping its
// comments; an existing flag is left alone (and listed) unless Overwrite.
func TestPlanKeepsExistingFile(t *testing.T) {
	existing := "# Production flags. Reviewed in PRs.\nversion: 1\nenvironment: production\nflags:\n  # owned by search\n  search: false  # off for now\n\n  other_enabled: true\n"
	res := NewResult("test")
	res.Add("production", &flagfile.Flag{Name: "search", Boolean: ptr(true), Description: "from source"}, nil)
	res.Add("production", &flagfile.Flag{Name: "new_one", Actors: []flagfile.Gate{{ID: "user:1", Enabled: true}}}, nil)
	for _, overwrite := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "production.yaml")
		os.WriteFile(path, []byte(existing), 0o644)
		plans, files := writeResult(t, res, dir, Options{Overwrite: overwrite})
		got := string(files["production"].Source())
		for _, keep := range []string{"# Production flags. Reviewed in PRs.\n", "  # owned by search\n", "\n  other_enabled: true\n\n  new_one:\n    actors:\n      \"user:1\": true\n"} {
			if !strings.Contains(got, keep) {
				t.Errorf("overwrite=%v: %q lost:\n%s", overwrite, keep, got)
			}
		}
		search := files["production"].Flag("search")
		if overwrite {
			if !search.BooleanOn() || search.Description != "from source" || len(plans[0].Kept) != 0 {
				t.Errorf("overwrite: search = %+v, kept %v", search, plans[0].Kept)
			}
		} else {
			if search.BooleanOn() || search.Description != "" || strings.Join(plans[0].Kept, ",") != "search" {
				t.Errorf("no overwrite: search = %+v, kept %v", search, plans[0].Kept)
			}
			if !strings.Contains(got, "  search: false  # off for now\n") {
				t.Errorf("existing flag touched:\n%s", got)
			}
		}
		var changes []string
		for _, c := range plans[0].Changes {
			changes = append(changes, c.String())
		}
		want := "new_one [production]: added (+ actor user:1 on)"
		if overwrite {
			want = "search [production]: + description from source; boolean off → on\n" + want
		}
		if strings.Join(changes, "\n") != want {
			t.Errorf("overwrite=%v: changes:\n%s\nwant:\n%s", overwrite, strings.Join(changes, "\n"), want)
		}
	}
}

// TestPlanNewFileIsCanonical: a new file is in canonical form (flagfile.Format
// leaves it unchanged) and starts with the header.
func TestPlanNewFileIsCanonical(t *testing.T) {
	res, err := ReadFlipper("flipper.json", readTestdata(t, "flipper.json"), "production")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, files := writeResult(t, res, filepath.Join(dir, "flags"), Options{Header: func(string) string { return "# Imported from Flipper.\n" }})
	f := files["production"]
	formatted, err := f.Format()
	if err != nil {
		t.Fatal(err)
	}
	if string(formatted) != string(f.Source()) {
		t.Errorf("not canonical:\n%s\nformatted:\n%s", f.Source(), formatted)
	}
	if !strings.HasPrefix(string(f.Source()), "# Imported from Flipper.\nversion: 1\nenvironment: production\nflags:\n") {
		t.Errorf("head:\n%s", f.Source())
	}
}

// TestWriteRefusesAConcurrentChange: the file changed between Plan and Write.
func TestWriteRefusesAConcurrentChange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "production.yaml")
	os.WriteFile(path, []byte("version: 1\nenvironment: production\nflags: {}\n"), 0o644)
	res := NewResult("test")
	res.Add("production", &flagfile.Flag{Name: "a", Boolean: ptr(true)}, nil)
	plans, err := Plan(res, func(string) string { return path }, Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("version: 1\nenvironment: production\nflags: {b: true}\n"), 0o644)
	if err := Write(plans); !errors.Is(err, flagfile.ErrConflict) {
		t.Errorf("err = %v, want ErrConflict", err)
	}
	// A new file that appeared meanwhile is not replaced either.
	newPath := filepath.Join(dir, "staging.yaml")
	res2 := NewResult("test")
	res2.Add("staging", &flagfile.Flag{Name: "a", Boolean: ptr(true)}, nil)
	plans, err = Plan(res2, func(string) string { return newPath }, Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(newPath, []byte("mine"), 0o644)
	if err := Write(plans); !errors.Is(err, flagfile.ErrConflict) {
		t.Errorf("new file: err = %v, want ErrConflict", err)
	}
}

func readFixture(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }

// TestRenamedNameNeverReplacesValidName: when a renamed source name ("A",
// "Dark-Mode") becomes the name of another source flag that is valid as it is
// ("a"), the valid one is imported under its own name and the renamed one is
// the one reported and left out, whatever the source order.
func TestRenamedNameNeverReplacesValidName(t *testing.T) {
	tests := []struct {
		name, want string
		read       func() (*Result, error)
	}{
		{"flagd", "  a: {enabled: true}\n", func() (*Result, error) {
			return ReadFlagd("f.json", []byte(`{"flags": {
  "A": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
  "a": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}}}`), "p")
		}},
		{"flipper", "  a: {enabled: true, bucketing: flipper}\n", func() (*Result, error) {
			return ReadFlipper("f.json", []byte(`{"version": 1, "features": {
  "A": {"boolean": null, "actors": [], "groups": [], "percentage_of_actors": null, "percentage_of_time": null},
  "a": {"boolean": "true", "actors": [], "groups": [], "percentage_of_actors": null, "percentage_of_time": null}}}`), "p")
		}},
		{"unleash", "  a: {enabled: true}\n", func() (*Result, error) {
			return ReadUnleash("u.json", []byte(`{"features": [{"name": "A"}, {"name": "a"}],
  "featureStrategies": [{"name": "default", "featureName": "a", "parameters": {}}],
  "featureEnvironments": [{"featureName": "A", "environment": "p", "enabled": false}, {"featureName": "a", "environment": "p", "enabled": true}]}`), "")
		}},
		{"application.yml", "  a_enabled: {enabled: true}\n", func() (*Result, error) {
			return ReadAppYML("application.yml", []byte("A_enabled: false\na_enabled: true\nproduction:\n  x: 1\n"), regexp.MustCompile(DefaultAppYMLKeys), nil, nil)
		}},
		{"funwithflags", "  a: {enabled: true}\n", func() (*Result, error) {
			return ReadFunWithFlagsCSV("t.csv", []byte("id,flag_name,gate_type,target,enabled\n1,A,boolean,_fwf_none,f\n2,a,boolean,_fwf_none,t\n"), "p")
		}},
	}
	for _, tt := range tests {
		res, err := tt.read()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		env := "p"
		if tt.name == "application.yml" {
			env = "production"
		}
		if got := summarize(res.Flags[env]); got != tt.want {
			t.Errorf("%s: imported\n%s\nwant\n%s", tt.name, got, tt.want)
		}
		var issues []string
		for _, is := range res.Issues {
			issues = append(issues, is.String())
		}
		if all := strings.Join(issues, "\n"); !strings.Contains(all, `"A`) || !strings.Contains(all, "not imported") {
			t.Errorf("%s: issues do not name \"A\" as not imported:\n%s", tt.name, all)
		}
	}
}
