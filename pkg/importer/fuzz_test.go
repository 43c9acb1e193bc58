package importer

import (
	"regexp"
	"testing"
)

// FuzzReaders: no reader panics on any input, and whatever a reader accepts
// plans into a valid flag file (or is refused with an error).
func FuzzReaders(f *testing.F) {
	for _, name := range []string{"flipper.json", "flagd.json", "unleash.json", "application.yml"} {
		data, err := readFixture(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("id,flag_name,gate_type,target,enabled\n1,a,boolean,_fwf_none,t\n2,a,percentage,actors/0.5,t\n"))
	f.Add([]byte("a: &a\n  <<: *a\nproduction:\n  <<: *a\n"))
	keys := regexp.MustCompile(DefaultAppYMLKeys)
	f.Fuzz(func(t *testing.T, data []byte) {
		var results []*Result
		add := func(r *Result, err error) {
			if err == nil {
				results = append(results, r)
			}
		}
		add(ReadFlipper("f.json", data, "production"))
		add(ReadFlagd("f.json", data, "production"))
		add(ReadUnleash("f.json", data, "production"))
		add(ReadAppYML("f.yml", data, keys, nil, []string{"production"}))
		add(ReadFunWithFlagsCSV("f.csv", data, "production"))
		for _, r := range results {
			dir := t.TempDir()
			if _, err := Plan(r, func(env string) string { return dir + "/" + env + ".yaml" }, Options{}); err != nil {
				t.Fatalf("%s: accepted input does not plan: %v\n%q", r.Source, err, data)
			}
		}
	})
}
