package flagfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalid parses every testdata/invalid/NAME.yaml and compares the errors with
// NAME.err. Files are parsed as the "production" environment.
func TestInvalid(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*.yaml"))
	if len(files) < 20 {
		t.Fatalf("only %d invalid fixtures", len(files))
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(path)
			opts := ParseOptions{}
			if name == "env_mismatch" {
				opts.Env = "production"
			}
			_, err := Parse(name+".yaml", data, opts)
			if err == nil {
				t.Fatal("no error")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want ErrorList", err)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(path, ".yaml") + ".err"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, _ := os.ReadFile(golden)
			if got != string(want) {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	src := "version: 1\nenvironment: staging\nflags:\n  a: true\n  b:\n    description: x\n    owner: o\n    kind: ops\n    created: 2026-10-02\n    expires: \"2027-01-15\"\n    enabled: false\n    actors: {\"user:1\": true}\n    groups:\n      beta: false\n    percentage_of_actors: 0.255\n  c:\n    percentage_of_time: 68.5%\n  d: {}\n"
	f, err := Parse("x.yaml", []byte(src), ParseOptions{Env: "staging"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.Flag("b")
	if f.Version != 1 || f.Environment != "staging" || len(f.Flags) != 4 || !f.Flag("a").Shorthand || !f.Flag("a").BooleanOn() {
		t.Fatalf("top level: %+v", f)
	}
	if b.Description != "x" || b.Owner != "o" || b.Kind != KindOps || b.Created != (Date{2026, 10, 2}) || b.Expires != (Date{2027, 1, 15}) ||
		b.Boolean == nil || *b.Boolean || len(b.Actors) != 1 || !b.Actors[0].Enabled || len(b.Groups) != 1 || b.Groups[0].Enabled ||
		b.PercentageOfActors != 25500 {
		t.Errorf("flag b: %+v", b)
	}
	if f.Flag("c").PercentageOfTime != 68500 || f.Flag("d").HasGates() {
		t.Error("flags c, d")
	}
	if b.Pos.Line != 5 || b.Pos.Column != 3 {
		t.Errorf("pos = %v", b.Pos)
	}
}

func TestParsePercent(t *testing.T) {
	tests := []struct {
		in   string
		want Percent
		err  bool
	}{
		{"25%", 25000, false}, {"68.5%", 68500, false}, {"0.001%", 1, false}, {"100%", 100000, false},
		{"0.25", 25000, false}, {"1", 100000, false}, {"1.0", 100000, false}, {"0.00001", 1, false}, {"0.685", 68500, false},
		{"0%", 0, true}, {"0", 0, true}, {"100.001%", 0, true}, {"1.5", 0, true}, {"25", 0, true}, {"-5%", 0, true},
		{"12.3456%", 0, true}, {"0.123456", 0, true}, {"abc", 0, true}, {"", 0, true}, {"%", 0, true}, {".5", 50000, false}, {"5.%", 0, true},
	}
	for _, tt := range tests {
		got, err := ParsePercent(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	for _, p := range []Percent{1, 25000, 68500, 12345, 100000} {
		back, err := ParsePercent(p.String())
		if err != nil || back != p {
			t.Errorf("%v does not round-trip: %v %v", p, back, err)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"new_checkout_enabled", "dark_mode_enabled", "search_v2_enabled"}
	for in, want := range map[string]string{"new_chekout_enabled": "new_checkout_enabled", "dark_mode": "dark_mode_enabled", "zzz": "", "descriptoin": ""} {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTooLarge(t *testing.T) {
	data := make([]byte, MaxFileSize+1)
	_, err := Parse("big.yaml", data, ParseOptions{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	_, err = Parse("v.yaml", []byte("version: 9\nflags: {}\n"), ParseOptions{})
	if !errors.Is(err, ErrNewerVersion) {
		t.Errorf("err = %v, want ErrNewerVersion", err)
	}
}

// TestQuotedPercentageHint: a percentage written in quotes ("25%") is refused,
// and the error says how to fix it: the same value without quotes.
func TestQuotedPercentageHint(t *testing.T) {
	tests := []struct{ value, want string }{
		{`"25%"`, `found the string "25%"; write it without quotes: 25%`},
		{`'0.5'`, `found the string "0.5"; write it without quotes: 0.5`},
		{`"lots"`, `found the string "lots"`},
	}
	for _, tt := range tests {
		src := "version: 1\nflags:\n  a_enabled:\n    percentage_of_actors: " + tt.value + "\n"
		_, err := Parse("f.yaml", []byte(src), ParseOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.value, err, tt.want)
		}
		if tt.value == `"lots"` && err != nil && strings.Contains(err.Error(), "without quotes") {
			t.Errorf("%s: suggests removing quotes from a value that is no percentage: %v", tt.value, err)
		}
	}
}
