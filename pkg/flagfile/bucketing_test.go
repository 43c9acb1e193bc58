package flagfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBucketingParse: the key is read, and only "flipper" is accepted.
func TestBucketingParse(t *testing.T) {
	tests := []struct {
		name, body string
		want       Bucketing
		err        string
	}{
		{"flipper", "percentage_of_actors: 5%\n    bucketing: flipper", BucketingFlipper, ""},
		{"absent", "percentage_of_actors: 5%", BucketingDefault, ""},
		{"without percentage", "enabled: true\n    bucketing: flipper", BucketingFlipper, ""},
		{"unknown", "bucketing: flipr", "", `4:16: unknown bucketing "flipr"; the only one is flipper (remove the key for flagctl's own)`},
		{"not a string", "bucketing: 3", "", "4:16: bucketing must be a string, found the number 3"},
		{"duplicate", "bucketing: flipper\n    bucketing: flipper", "", `5:5: duplicate key "bucketing"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nflags:\n  a_enabled:\n    " + tt.body + "\n"
			f, err := Parse("f.yaml", []byte(src), ParseOptions{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Flag("a_enabled").Bucketing; got != tt.want {
				t.Errorf("Bucketing = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestBucketingEdits: edits keep the key (and its comment), change it, remove it,
// add it, and Format keeps it.
func TestBucketingEdits(t *testing.T) {
	in := parseFile(t, filepath.Join("testdata", "edit", "bucketing.input.yaml"))
	tests := []struct {
		name  string
		edits []Edit
		want  string // the flag's lines after the edit
	}{
		{"percentage keeps bucketing", []Edit{SetPercentageOfActors("search_enabled", 50000)},
			"    percentage_of_actors: 50%      # about one in eight\n    bucketing: flipper  # CRC-32, as Flipper did\n"},
		{"clear gates keeps bucketing", []Edit{ClearGates("search_enabled")},
			"    description: Search v2\n    bucketing: flipper  # CRC-32, as Flipper did\n"},
		{"remove", []Edit{SetBucketing("search_enabled", BucketingDefault)},
			"    percentage_of_actors: 12.345%  # about one in eight\n\n  plain_enabled"},
		{"add to shorthand", []Edit{SetPercentageOfActors("plain_enabled", 1000), SetBucketing("plain_enabled", BucketingFlipper)},
			"  plain_enabled:\n    enabled: false\n    percentage_of_actors: 1%\n    bucketing: flipper\n"},
		{"set gates copies it", []Edit{SetGates("plain_enabled", &Flag{PercentageOfActors: 2000, Bucketing: BucketingFlipper})},
			"  plain_enabled:\n    percentage_of_actors: 2%\n    bucketing: flipper\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, nf, err := in.Apply(ParseOptions{}, tt.edits...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
			if !strings.Contains(string(out), "# Imported from Flipper: keep Flipper's cohorts.") {
				t.Errorf("head comment lost:\n%s", out)
			}
			again, _, err := nf.Apply(ParseOptions{}, tt.edits...)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("re-applying changed the file (err %v):\n%s", err, again)
			}
		})
	}
	if _, _, err := in.Apply(ParseOptions{}, SetBucketing("search_enabled", "murmur")); err == nil || !strings.Contains(err.Error(), `unknown bucketing "murmur"`) {
		t.Errorf("SetBucketing(murmur): err = %v", err)
	}
	formatted, err := in.Format()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(formatted, []byte("    bucketing: flipper  # CRC-32, as Flipper did\n")) {
		t.Errorf("Format lost the key:\n%s", formatted)
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "edit", "bucketing.input.yaml"))
	if !bytes.Equal(formatted, data) {
		t.Errorf("the canonical input changed under Format:\n%s", formatted)
	}
}
