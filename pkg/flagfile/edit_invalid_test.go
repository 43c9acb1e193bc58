package flagfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditBesideInvalidFlags: problems in other flags do not block an edit of a
// valid flag (a kill switch must work while someone's typo waits for review);
// edits of a flag with problems, and every edit with Strict, are refused.
func TestEditBesideInvalidFlags(t *testing.T) {
	path := filepath.Join("testdata", "edit", "broken_sibling.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Parse(path, data, ParseOptions{})
	if in == nil || err == nil {
		t.Fatalf("want a file with problems, got %v, %v", in, err)
	}
	tests := []struct {
		name    string
		opts    ParseOptions
		edits   []Edit
		golden  string // "" when the edit is refused
		wantErr string
	}{
		{"disable", ParseOptions{}, []Edit{SetBoolean("payments_enabled", false)}, "broken_sibling_disable.golden", ""},
		{"actor", ParseOptions{}, []Edit{SetActor("payments_enabled", "user:1", true)}, "broken_sibling_actor.golden", ""},
		{"add", ParseOptions{}, []Edit{AddFlag(&Flag{Name: "new_enabled", Boolean: ptr(false)})}, "broken_sibling_add.golden", ""},
		{"remove valid", ParseOptions{}, []Edit{RemoveFlag("payments_enabled")}, "broken_sibling_remove.golden", ""},
		{"edit invalid", ParseOptions{}, []Edit{SetBoolean("reports_enabled", false)}, "", `reports_enabled`},
		{"edit duplicate", ParseOptions{}, []Edit{SetBoolean("search_v2_enabled", true)}, "", `duplicate flag "search_v2_enabled"`},
		{"add over invalid", ParseOptions{}, []Edit{AddFlag(&Flag{Name: "reports_enabled"})}, "", `reports_enabled`},
		{"strict", ParseOptions{Strict: true}, []Edit{SetBoolean("payments_enabled", false)}, "", `unknown key "descripton"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, nf, err := in.Apply(tt.opts, tt.edits...)
			if tt.golden == "" {
				if err == nil || !errors.Is(err, ErrNotEditable) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrNotEditable mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "edit", tt.golden)
			if *update {
				os.WriteFile(golden, out, 0o644)
			}
			want, _ := os.ReadFile(golden)
			if !bytes.Equal(out, want) {
				t.Errorf("got:\n%s\nwant:\n%s", out, want)
			}
			// The other flags' problems are still there, for the caller to print.
			if got, want := len(nf.Problems()), len(in.Problems()); got != want {
				t.Errorf("%d problems after the edit, want %d: %v", got, want, nf.Problems())
			}
		})
	}
}

// TestRemoveBrokenFlag: a flag with problems can be removed (the natural fix
// for a dead experiment mangled by hand), with the same extent as a valid
// flag's removal: its key line, its body and the comment block directly
// above it. Every other byte stays, and the result has exactly the problems
// of the other flags, at their new lines. Any other edit of a broken flag is
// still refused; with Strict, only problems outside the removed flags refuse.
func TestRemoveBrokenFlag(t *testing.T) {
	tests := []struct {
		name  string
		input string // testdata/edit/INPUT.yaml (not .input.yaml: those are valid)
		opts  ParseOptions
		edits []Edit
		// golden is testdata/edit/GOLDEN.golden; "" when the edit is refused
		// with an error mentioning wantErr.
		golden, wantErr string
		// problems are the result's problems, "line:col: message" prefixes.
		problems []string
	}{
		{name: "first, comment block above", input: "broken", edits: []Edit{RemoveFlag("checkout_v1_enabled")},
			golden: "broken_remove_first", problems: []string{"9:27: percentage_of_actors", "22:14: expires"}},
		{name: "middle, nested mappings, line and trailing comments", input: "broken", edits: []Edit{RemoveFlag("search_v2_enabled")},
			golden: "broken_remove_middle", problems: []string{`7:5: unknown key "descripton"`, "19:14: expires"}},
		{name: "last, no comment above, line comment", input: "broken", edits: []Edit{RemoveFlag("reports_enabled")},
			golden: "broken_remove_last", problems: []string{`7:5: unknown key "descripton"`, "15:27: percentage_of_actors"}},
		{name: "two broken at once", input: "broken", edits: []Edit{RemoveFlag("checkout_v1_enabled"), RemoveFlag("reports_enabled")},
			golden: "broken_remove_two", problems: []string{"9:27: percentage_of_actors"}},
		{name: "beside an edit of a valid flag", input: "broken", edits: []Edit{RemoveFlag("search_v2_enabled"), SetBoolean("payments_enabled", false)},
			golden: "broken_remove_and_disable", problems: []string{`7:5: unknown key "descripton"`, "19:14: expires"}},
		{name: "the only broken flag", input: "broken_one", edits: []Edit{RemoveFlag("old_banner_enabled")},
			golden: "broken_one_remove"},
		{name: "the only broken flag, strict", input: "broken_one", opts: ParseOptions{Strict: true}, edits: []Edit{RemoveFlag("old_banner_enabled")},
			golden: "broken_one_remove"},
		// A list written at the key's indentation ("key:\n- item") is part of
		// the entry, for a flag's value as for a schedule.
		{name: "a list at the key's indentation", input: "broken_list", edits: []Edit{RemoveFlag("rollout_enabled")},
			golden: "broken_list_remove"},
		{name: "a list at the key's indentation, and a schedule", input: "broken_list", edits: []Edit{RemoveFlag("rollout_enabled"), ClearSchedule("dark_mode_enabled")},
			golden: "broken_list_remove_unschedule"},
		{name: "a duplicated flag: every entry", input: "broken_sibling", edits: []Edit{RemoveFlag("search_v2_enabled")},
			golden: "broken_sibling_remove_duplicate", problems: []string{`8:14: enabled`}},

		{name: "strict, another flag broken", input: "broken", opts: ParseOptions{Strict: true}, edits: []Edit{RemoveFlag("checkout_v1_enabled")},
			wantErr: "(--strict):\ntestdata/edit/broken.yaml:15:27: percentage_of_actors"},
		{name: "strict, a valid flag", input: "broken_one", opts: ParseOptions{Strict: true}, edits: []Edit{RemoveFlag("payments_enabled")},
			wantErr: "(--strict)"},
		{name: "set a gate", input: "broken", edits: []Edit{SetBoolean("checkout_v1_enabled", true)}, wantErr: "flag checkout_v1_enabled;"},
		{name: "remove then add back", input: "broken", edits: []Edit{RemoveFlag("reports_enabled"), AddFlag(&Flag{Name: "reports_enabled", Boolean: ptr(true)})},
			wantErr: "flag reports_enabled;"},
		{name: "edit then remove", input: "broken", edits: []Edit{SetMeta("reports_enabled", MetaExpires, "2027-01-01"), RemoveFlag("reports_enabled")},
			wantErr: "flag reports_enabled;"},
		{name: "rename", input: "broken", edits: []Edit{RenameFlag("reports_enabled", "reports_v2_enabled")}, wantErr: "flag reports_enabled;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join("testdata", "edit", tt.input+".yaml")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			in, err := Parse(path, data, ParseOptions{})
			if in == nil || err == nil {
				t.Fatalf("want a file with problems, got %v, %v", in, err)
			}
			out, nf, err := in.Apply(tt.opts, tt.edits...)
			if tt.golden == "" {
				if !errors.Is(err, ErrNotEditable) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrNotEditable mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, out)
			// The result, parsed afresh, has exactly the other flags' problems.
			again, err := Parse(path, out, ParseOptions{})
			if again == nil {
				t.Fatalf("result does not parse: %v", err)
			}
			for _, f := range []*File{nf, again} {
				var got []string
				for _, p := range f.Problems() {
					got = append(got, strings.TrimPrefix(p.Error(), path+":"))
				}
				ok := len(got) == len(tt.problems)
				for i := 0; ok && i < len(got); i++ {
					ok = strings.HasPrefix(got[i], tt.problems[i])
				}
				if !ok {
					t.Errorf("problems after the removal:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.problems, "\n"))
				}
			}
			// Removing again is an unknown flag, not a change.
			if _, _, err := nf.Apply(tt.opts, tt.edits...); !errors.Is(err, ErrUnknownFlag) && !errors.Is(err, ErrNotEditable) {
				t.Errorf("removing again: err = %v, want ErrUnknownFlag", err)
			}
		})
	}
}

// TestRemoveFromBrokenYAML: a YAML syntax error is not a flag problem: the
// file cannot be read, so removing even the flag holding the error is refused
// and the file is left as it was.
func TestRemoveFromBrokenYAML(t *testing.T) {
	const src = "version: 1\nenvironment: production\nflags:\n  a_enabled: true\n  b_enabled:\n    enabled: [true\n  c_enabled: false\n"
	path := filepath.Join(t.TempDir(), "production.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, err := Parse(path, []byte(src), ParseOptions{}); f != nil || err == nil {
		t.Fatalf("Parse = %v, %v; want no file and an error", f, err)
	}
	for _, name := range []string{"b_enabled", "a_enabled"} {
		_, changed, err := Update(path, ParseOptions{}, RemoveFlag(name))
		var fe *FileError
		if err == nil || changed || !errors.As(err, &fe) || !strings.Contains(err.Error(), path+":6:") {
			t.Errorf("remove %s: changed %v, err %v; want a *FileError at line 6", name, changed, err)
		}
		if got, _ := os.ReadFile(path); string(got) != src {
			t.Errorf("remove %s changed the file:\n%s", name, got)
		}
	}
}
