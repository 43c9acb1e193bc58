package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

func TestReadFlipper(t *testing.T) {
	res, err := ReadFlipper("flipper.json", readTestdata(t, "flipper.json"), "production")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, files := writeResult(t, res, dir, Options{})
	want := `version: 1
environment: production
flags:
  dark_mode:
    enabled: true
    bucketing: flipper
  checkout_v2:
    enabled: false
    actors:
      User;7: true
    percentage_of_actors: 12.345%
    bucketing: flipper
  edge:
    enabled: false
    percentage_of_actors: 2.007%
    bucketing: flipper
  plausible:
    enabled: true
    bucketing: flipper
  pro_only:
    enabled: false
    actors:
      Org;9: true
    bucketing: flipper
  sampled:
    enabled: false
    groups:
      staff: true
    percentage_of_time: 0.5%
    bucketing: flipper
  search:
    enabled: false
    actors:
      User;1: true
      User;100: true
    groups:
      admins: true
      employees: true
    percentage_of_actors: 10%
    bucketing: flipper
`
	if got := string(files["production"].Source()); got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	var issues []string
	for _, i := range res.Issues {
		issues = append(issues, i.String())
	}
	wantIssues := []string{
		`flipper.json:18:17: dark_mode [production]: Flipper feature "Dark-Mode" is imported as "dark_mode" (flag names are lower-case letters, digits and _): change the name in code`,
		`flipper.json:15:31: pro_only [production]: expression gate {"Equal":[{"Property":["plan"]},"pro"]} not imported: flagctl has no expressions; use actor or group gates`,
		`flipper.json:5:67: search [production]: percentage_of_time 15% not imported: a flagctl flag has one percentage gate and percentage_of_actors 10% is kept`,
	}
	if strings.Join(issues, "\n") != strings.Join(wantIssues, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(issues, "\n"), strings.Join(wantIssues, "\n"))
	}
	if strings.Join(res.Groups, ",") != "admins,employees,staff" {
		t.Errorf("groups = %v", res.Groups)
	}
	// The source's semantics hold for every flag translated exactly; the three
	// reported ones differ, and Verify says so.
	_, diffs := Verify(res, files, GenerateActors("User;%d", 2000))
	differ := map[string]bool{}
	for _, d := range diffs {
		differ[d.Flag] = true
	}
	for _, name := range []string{"checkout_v2", "edge", "plausible", "sampled"} {
		if differ[name] {
			t.Errorf("%s differs from Flipper: %v", name, diffs)
		}
	}
	for _, name := range []string{"search"} {
		if !differ[name] {
			t.Errorf("%s: the lossy translation was not caught by Verify", name)
		}
	}
}

// TestVerifyCatchesLostBucketing: the same flags without "bucketing: flipper"
// put other actors in the cohort, and Verify reports it.
func TestVerifyCatchesLostBucketing(t *testing.T) {
	res, err := ReadFlipper("flipper.json", readTestdata(t, "flipper.json"), "production")
	if err != nil {
		t.Fatal(err)
	}
	_, files := writeResult(t, res, t.TempDir(), Options{})
	src := strings.ReplaceAll(string(files["production"].Source()), "    bucketing: flipper\n", "")
	f, err := flagfile.Parse("p.yaml", []byte(src), flagfile.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range res.Flags["production"] {
		fl.Bucketing = flagfile.BucketingDefault // as if the translation had dropped it
	}
	_, diffs := Verify(res, map[string]*flagfile.File{"production": f}, GenerateActors("User;%d", 500))
	found := false
	for _, d := range diffs {
		found = found || d.Flag == "checkout_v2"
	}
	if !found {
		t.Errorf("no difference for checkout_v2 without flipper bucketing: %v", diffs)
	}
}

func TestReadFlipperBadInput(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"not json", "{\"version\": 1,\n \"features\": {", "x.json:2:15: not valid JSON: the document is empty or cut short"},
		{"syntax", "{\"version\": 1,\n \"features\": {]}", "x.json:2:15: not valid JSON: invalid character ']' looking for beginning of object key string"},
		{"array", "[1]", "x.json:1:1: the document: expected an object, found a JSON array"},
		{"version 2", "{\"version\": 2, \"features\": {}}", "x.json:1:13: unsupported export version 2; flagctl reads Flipper's version 1 exports"},
		{"no version", "{\"features\": {}}", "x.json:1:1: \"version\" is missing"},
		{"features list", "{\"version\": 1, \"features\": []}", "x.json:1:28: \"features\" must be an object"},
		{"boolean", "{\"version\": 1, \"features\": {\"a\": {\"boolean\": \"yes\"}}}", "x.json:1:46: boolean must be \"true\", \"false\" or null, found \"yes\""},
		{"boolean type", "{\"version\": 1, \"features\": {\"a\": {\"boolean\": true}}}", "x.json:1:46: boolean must be a string or null, found true"},
		{"percentage", "{\"version\": 1, \"features\": {\"a\": {\"percentage_of_actors\": \"ten\"}}}", "x.json:1:59: percentage_of_actors \"ten\": not a number"},
		{"actors", "{\"version\": 1, \"features\": {\"a\": {\"actors\": \"User;1\"}}}", "x.json:1:45: actors must be a list of strings"},
		{"empty actor", "{\"version\": 1, \"features\": {\"a\": {\"actors\": [\"User;1\", \" \"]}}}", "x.json:1:56: actors: empty entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFlipper("x.json", []byte(tt.data), "production")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
		})
	}
}

func TestFlipperPercentages(t *testing.T) {
	tests := []struct {
		in    string
		want  flagfile.Percent
		lossy bool
	}{
		{"10", 10000, false}, {"12.345", 12345, false}, {"2.007", 2007, false}, {"0.001", 1, false},
		{"100", 100000, false}, {"150", 100000, false}, {"0", 0, false}, {"-5", 0, false},
		// 12.3456 * 1000 = 12345.6: buckets below 12346 open, as with 12.346%.
		{"12.3456", 12346, false},
		{"0.0001", 1, false}, // opens bucket 0 only; flagctl's smallest, 0.001%, opens bucket 0 too
		// 2.0065 * 1000 = 2006.5 opens buckets up to 2006; 2.006% opens up to
		// 2005 and 2.007% up to 2007 (see eval.FlipperLimit): no exact match.
		{"2.0065", 2007, true},
	}
	for _, tt := range tests {
		data := `{"version": 1, "features": {"a": {"percentage_of_actors": "` + tt.in + `"}}}`
		res, err := ReadFlipper("x.json", []byte(data), "p")
		if err != nil {
			t.Fatal(err)
		}
		got := res.Flags["p"][0].PercentageOfActors
		if got != tt.want || res.Lossy() != tt.lossy {
			t.Errorf("%s: %s lossy %v (%v), want %s lossy %v", tt.in, got, res.Lossy(), res.Issues, tt.want, tt.lossy)
		}
	}
}

// TestFlipperExportFromDisk checks the example README uses.
func TestFlipperExportFromDisk(t *testing.T) {
	if _, err := os.Stat(filepath.Join("testdata", "flipper.json")); err != nil {
		t.Fatal(err)
	}
}

// TestFlipperFastPathAgrees: the one-pass decoder and the gate-by-gate one
// read a well-formed export alike; an unknown gate takes the slow path, which
// reports it.
func TestFlipperFastPathAgrees(t *testing.T) {
	data := readTestdata(t, "flipper.json")
	fast, ok := decodeFlipperFast(data)
	if !ok {
		t.Fatal("the fixture did not take the fast path")
	}
	slow, err := decodeFlipper("flipper.json", &jsonDoc{data: data})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, slow) {
		for k := range fast {
			if !reflect.DeepEqual(fast[k], slow[k]) {
				t.Errorf("%s: fast %+v, slow %+v", k, fast[k], slow[k])
			}
		}
	}
	withUnknown := []byte(`{"version": 1, "features": {"a": {"boolean": "true", "deny_actors": ["User;1"]}}}`)
	if _, ok := decodeFlipperFast(withUnknown); ok {
		t.Error("an unknown gate took the fast path")
	}
	res, err := ReadFlipper("x.json", withUnknown, "p")
	if err != nil || len(res.Issues) != 1 || res.Issues[0].String() != `x.json:1:69: a [p]: unknown Flipper gate "deny_actors" not imported` {
		t.Errorf("unknown gate: %v %v", err, res.Issues)
	}
}

// TestFlipperRenameNote: a renamed feature's report says its cohorts change
// only when it has a percentage of actors (the bucketing hashes the name).
func TestFlipperRenameNote(t *testing.T) {
	tests := []struct {
		pct      string
		wantNote bool
	}{
		{"null", false},
		{`"0"`, false},
		{`"10"`, true},
	}
	for _, tt := range tests {
		src := `{"version": 1, "features": {"Search-V2": {"boolean": null, "actors": [], "groups": [], "percentage_of_actors": ` + tt.pct + `, "percentage_of_time": null}}}`
		res, err := ReadFlipper("f.json", []byte(src), "production")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Issues) != 1 {
			t.Fatalf("percentage %s: issues %v, want the rename", tt.pct, res.Issues)
		}
		if got := strings.Contains(res.Issues[0].Msg, "cohorts change"); got != tt.wantNote {
			t.Errorf("percentage %s: %q: cohort note %v, want %v", tt.pct, res.Issues[0].Msg, got, tt.wantNote)
		}
	}
}
