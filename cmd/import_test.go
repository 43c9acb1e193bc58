package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

const importProdFile = "version: 1\nenvironment: production\nflags:\n  # keep me\n  search: true  # on for all\n"

func importProject(t *testing.T, extra map[string]string) *project {
	t.Helper()
	files := map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
		"flags/production.yaml": importProdFile,
	}
	for k, v := range extra {
		files[k] = v
	}
	return newProject(t, files)
}

func flipperFixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "pkg", "importer", "testdata", "flipper.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestImportFlipper runs `flagctl import flipper` end to end: dry run, a lossy
// import refused, the same allowed and verified, bad input.
func TestImportFlipper(t *testing.T) {
	tests := []struct {
		name    string
		argv    []string
		code    int
		out     []string // substrings of stdout+stderr
		changed bool     // production.yaml changes
	}{
		{"dry run", []string{"--dry-run"}, 1, []string{
			"checkout_v2 [production]: added (+ boolean off; + actor User;7 on; + percentage_of_actors 12.345%; + bucketing flipper)\n",
			"[production]: 1 existing flag(s) differ from the source and were left alone (--overwrite replaces them): search\n",
			"Not translated exactly (3):\n",
			"export.json:15:31: pro_only [production]: expression gate",
			"dry run: 7 flag(s) from export.json; nothing written\n"}, false},
		{"dry run allowed", []string{"--dry-run", "--allow-lossy", "--verify"}, 0, []string{
			"dry run: 7 flag(s) from export.json; nothing written\n",
			"✓ verified 6 flag(s) against export.json: 1000 generated actors, 3 group(s), same answers\n"}, false},
		{"lossy refused", nil, 1, []string{"export.json: nothing written; fix the source or pass --allow-lossy"}, false},
		{"lossy allowed", []string{"--allow-lossy", "--verify"}, 0, []string{
			"✓ updated flags/production.yaml: 6 flag(s) added, 0 changed\n",
			"✓ verified 6 flag(s) against export.json"}, true},
		{"overwrite", []string{"--allow-lossy", "--overwrite", "--verify", "--verify-actors", "300"}, 0, []string{
			"✓ updated flags/production.yaml: 6 flag(s) added, 1 changed\n",
			"in flags the report names (expected with --allow-lossy):\n  search [production]: (no actor): the source says random, flagctl says off\n", // search lost its percentage_of_time: verify says so
			"  … and 353 more\n",
			"✓ verified 7 flag(s) against export.json: 300 generated actors, 3 group(s), same answers except where reported\n"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := importProject(t, map[string]string{"export.json": flipperFixture(t)})
			argv := append([]string{"import", "flipper", filepath.Join(p.dir, "export.json"), "--env", "production"}, tt.argv...)
			code, stdout, stderr := p.run(argv...)
			all := strings.ReplaceAll(stdout+stderr, filepath.Join(p.dir, "export.json"), "export.json")
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, all)
			}
			for _, want := range tt.out {
				if !strings.Contains(all, want) {
					t.Errorf("output lacks %q:\n%s", want, all)
				}
			}
			got := p.read("flags/production.yaml")
			if (got != importProdFile) != tt.changed {
				t.Errorf("changed = %v, want %v:\n%s", got != importProdFile, tt.changed, got)
			}
			if tt.changed && !strings.HasPrefix(got, "version: 1\nenvironment: production\nflags:\n  # keep me\n") {
				t.Errorf("comments lost:\n%s", got)
			}
		})
	}
}

// TestImportNewEnvFile: an environment without a file gets one, in canonical
// form with a header, when the config does not list environments.
func TestImportNewEnvFile(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml": "dir: flags\n",
		"export.json":   `{"version": 1, "features": {"search": {"boolean": "true"}}}`,
	})
	code, _, stderr := p.run("import", "flipper", filepath.Join(p.dir, "export.json"), "--env", "staging")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "# Feature flags for staging, imported from " + filepath.Join(p.dir, "export.json") + " by flagctl import.\nversion: 1\nenvironment: staging\nflags:\n  search:\n    enabled: true\n    bucketing: flipper\n"
	if got := p.read("flags/staging.yaml"); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Running it again changes nothing.
	code, stdout, _ := p.run("import", "flipper", filepath.Join(p.dir, "export.json"), "--env", "staging")
	if code != 0 || !strings.Contains(stdout, "unchanged") {
		t.Errorf("second run: exit %d\n%s", code, stdout)
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name   string
		export string
		argv   []string
		code   int
		want   string
	}{
		{"bad json", "{\"version\": 1,\n \"features\": {]}", nil, 3, "export.json:2:15: not valid JSON"},
		{"wrong version", `{"version": 2, "features": {}}`, nil, 3, "export.json:1:13: unsupported export version 2"},
		{"unknown env", `{"version": 1, "features": {}}`, []string{"--env", "prod"}, 2, `unknown environment "prod"`},
		{"no source", "", []string{"import"}, 2, "which source?"},
		{"unknown source", "", []string{"import", "launchdarkly"}, 2, `unknown source "launchdarkly"`},
		{"file flag", `{"version": 1, "features": {}}`, []string{"--file", "x.yaml"}, 2, "use --env (and --dir) rather than --file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := importProject(t, map[string]string{"export.json": tt.export})
			argv := append([]string{"import", "flipper", filepath.Join(p.dir, "export.json"), "--env", "production"}, tt.argv...)
			if len(tt.argv) > 0 && tt.argv[0] == "import" {
				argv = tt.argv
			}
			code, stdout, stderr := p.run(argv...)
			all := strings.ReplaceAll(stdout+stderr, filepath.Join(p.dir, "export.json"), "export.json")
			if code != tt.code || !strings.Contains(all, tt.want) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s", code, tt.code, tt.want, all)
			}
			if p.read("flags/production.yaml") != importProdFile {
				t.Error("a failed import changed the file")
			}
		})
	}
}

// TestImportOptions: argv → options, for the shared flags and each source.
func TestImportOptions(t *testing.T) {
	var got any
	capture := func(o any) error { got = o; return nil }
	build := func(f *Factory) *cobra.Command {
		common := &ImportOptions{}
		parent := &cobra.Command{Use: "import"}
		importFlags(parent, common)
		parent.AddCommand(
			NewCmdImportFlipper(f, common, func(o *ImportFlipperOptions) error { return capture(o) }),
			NewCmdImportFunWithFlags(f, common, func(o *ImportFunWithFlagsOptions) error { return capture(o) }),
			NewCmdImportAppYML(f, common, func(o *ImportAppYMLOptions) error { return capture(o) }),
			NewCmdImportFlagd(f, common, func(o *ImportFlagdOptions) error { return capture(o) }),
			NewCmdImportUnleash(f, common, func(o *ImportUnleashOptions) error { return capture(o) }),
		)
		return parent
	}
	tests := []struct {
		argv []string
		want any
		err  string
	}{
		{[]string{"flipper", "x.json", "--dry-run", "--verify"}, &ImportFlipperOptions{ImportOptions: &ImportOptions{DryRun: true, Verify: true, VerifyActors: 1000}, File: "x.json"}, ""},
		{[]string{"flipper", "x.json", "--overwrite", "--allow-lossy", "--verify-actors", "50"}, &ImportFlipperOptions{ImportOptions: &ImportOptions{Overwrite: true, AllowLossy: true, VerifyActors: 50}, File: "x.json"}, ""},
		{[]string{"flipper"}, nil, "expected the EXPORT.json file, got 0 arguments"},
		{[]string{"funwithflags", "--redis", "redis://h:1/2"}, &ImportFunWithFlagsOptions{ImportOptions: &ImportOptions{VerifyActors: 1000}, Redis: "redis://h:1/2"}, ""},
		{[]string{"funwithflags", "--postgres", "postgres://h/db", "--table", "s.t", "--dry-run"}, &ImportFunWithFlagsOptions{ImportOptions: &ImportOptions{DryRun: true, VerifyActors: 1000}, Postgres: "postgres://h/db", Table: "s.t"}, ""},
		{[]string{"funwithflags", "--rows", "t.csv"}, &ImportFunWithFlagsOptions{ImportOptions: &ImportOptions{VerifyActors: 1000}, Rows: "t.csv"}, ""},
		{[]string{"funwithflags"}, nil, "name the store: one of --redis URL, --postgres URL or --rows FILE.csv"},
		{[]string{"funwithflags", "--redis", "r", "--rows", "x"}, nil, "name the store: one of --redis URL, --postgres URL or --rows FILE.csv"},
		{[]string{"funwithflags", "--rows", "x", "--table", "t"}, nil, "--table goes with --postgres"},
		{[]string{"application-yml", "a.yml"}, &ImportAppYMLOptions{ImportOptions: &ImportOptions{VerifyActors: 1000}, File: "a.yml", Keys: "_enabled$"}, ""},
		{[]string{"application-yml", "a.yml", "--keys", "^feature_"}, &ImportAppYMLOptions{ImportOptions: &ImportOptions{VerifyActors: 1000}, File: "a.yml", Keys: "^feature_"}, ""},
		{[]string{"application-yml", "a.yml", "--keys", "(("}, nil, "--keys: error parsing regexp: missing closing ): `((`"},
		{[]string{"flagd", "flags.json", "--allow-lossy"}, &ImportFlagdOptions{ImportOptions: &ImportOptions{AllowLossy: true, VerifyActors: 1000}, File: "flags.json"}, ""},
		{[]string{"unleash", "export.json"}, &ImportUnleashOptions{ImportOptions: &ImportOptions{VerifyActors: 1000}, File: "export.json"}, ""},
		{[]string{"unleash"}, nil, "expected the export.json file, got 0 arguments"},
	}
	for _, tt := range tests {
		got = nil
		err := runOpts(t, build, tt.argv...)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%v: err = %v, want %q", tt.argv, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %+v (err %v), want %+v", tt.argv, got, err, tt.want)
		}
	}
}

// TestImportReportsSizes: an empty source says so; many left-alone flags are
// named up to maxListed and counted beyond.
func TestImportReportsSizes(t *testing.T) {
	var features, flags []string
	for i := 0; i < maxListed+5; i++ {
		features = append(features, fmt.Sprintf(`"f%02d": {"boolean": "true"}`, i))
		flags = append(flags, fmt.Sprintf("  f%02d: false\n", i))
	}
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [production]\n",
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n" + strings.Join(flags, ""),
		"empty.json":            `{"version": 1, "features": {}}`,
		"many.json":             `{"version": 1, "features": {` + strings.Join(features, ", ") + `}}`,
	})
	code, stdout, _ := p.run("import", "flipper", filepath.Join(p.dir, "empty.json"))
	if code != 0 || !strings.Contains(stdout, "empty.json: no flags to import\n") {
		t.Errorf("empty: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = p.run("import", "flipper", filepath.Join(p.dir, "many.json"))
	if code != 0 || !strings.Contains(stdout, "[production]: 25 existing flag(s) differ from the source and were left alone (--overwrite replaces them): f00, f01, ") ||
		!strings.Contains(stdout, ", f19 and 5 more\n") {
		t.Errorf("many: exit %d\n%s", code, stdout)
	}
}
