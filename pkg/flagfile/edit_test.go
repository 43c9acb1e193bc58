package flagfile

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr(b bool) *bool { return &b }

func parseFile(t testing.TB, path string) *File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(path, data, ParseOptions{})
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return f
}

// goldenCases: every edit kind, on every layout of testdata/edit.
var goldenCases = []struct {
	name, input string
	edits       []Edit
}{
	{"spec_enable", "spec", []Edit{SetBoolean("new_checkout_enabled", true)}},
	{"spec_actor_add", "spec", []Edit{SetActor("new_checkout_enabled", "user:9", true)}},
	{"spec_actor_flip", "spec", []Edit{SetActor("new_checkout_enabled", "user:7", true)}},
	{"spec_actor_clear", "spec", []Edit{ClearActor("new_checkout_enabled", "user:7")}},
	{"spec_actors_clear_all", "spec", []Edit{ClearActor("new_checkout_enabled", "user:7"), ClearActor("new_checkout_enabled", "user:42")}},
	{"spec_group_add", "spec", []Edit{SetGroup("new_checkout_enabled", "staff", true)}},
	{"spec_group_flip", "spec", []Edit{SetGroup("new_checkout_enabled", "banned", true)}},
	{"spec_group_clear", "spec", []Edit{ClearGroup("new_checkout_enabled", "beta_testers")}},
	{"spec_pct_actors", "spec", []Edit{SetPercentageOfActors("new_checkout_enabled", 50000)}},
	{"spec_pct_time_replaces", "spec", []Edit{SetPercentageOfTime("new_checkout_enabled", 12500)}},
	{"spec_pct_clear", "spec", []Edit{ClearPercentage("new_checkout_enabled")}},
	{"spec_clear_boolean", "spec", []Edit{ClearBoolean("new_checkout_enabled")}},
	{"spec_clear_gates", "spec", []Edit{ClearGates("new_checkout_enabled")}},
	{"spec_meta_set", "spec", []Edit{SetMeta("new_checkout_enabled", MetaDescription, "Checkout: v2 #beta"), SetMeta("new_checkout_enabled", MetaExpires, "2027-02-01")}},
	{"spec_meta_clear", "spec", []Edit{SetMeta("new_checkout_enabled", MetaOwner, ""), SetMeta("new_checkout_enabled", MetaExpires, "")}},
	{"spec_meta_add", "spec", []Edit{SetMeta("dark_mode_enabled", MetaOwner, "team-web")}},
	{"spec_add_flag", "spec", []Edit{AddFlag(&Flag{Name: "search_v2_enabled", Description: "Search v2", Owner: "team-search", Kind: KindRelease, Created: Date{2026, 11, 21}, Boolean: ptr(false)})}},
	{"spec_remove_first", "spec", []Edit{RemoveFlag("dark_mode_enabled")}},
	{"spec_remove_last", "spec", []Edit{RemoveFlag("new_checkout_enabled")}},
	{"spec_remove_all", "spec", []Edit{RemoveFlag("new_checkout_enabled"), RemoveFlag("dark_mode_enabled")}},
	{"spec_set_gates", "spec", []Edit{SetGates("new_checkout_enabled", &Flag{Boolean: ptr(true), Actors: []Gate{{"user:7", false}, {"user:1", true}}})}},
	{"shorthand_stays", "shorthand", []Edit{SetBoolean("dark_mode_enabled", false), SetBoolean("search_v2_enabled", true)}},
	{"shorthand_to_mapping", "shorthand", []Edit{SetActor("dark_mode_enabled", "user:42", false)}},
	{"shorthand_pct", "shorthand", []Edit{SetPercentageOfActors("legacy_export_enabled", 25000)}},
	{"shorthand_clear", "shorthand", []Edit{ClearBoolean("search_v2_enabled")}},
	{"shorthand_remove_commented", "shorthand", []Edit{RemoveFlag("legacy_export_enabled")}},
	{"shorthand_add", "shorthand", []Edit{AddFlag(&Flag{Name: "new_enabled", Boolean: ptr(true), Shorthand: true})}},
	{"indent4_actor_new_key", "indent4", []Edit{SetActor("payments_enabled", "user:1", true)}},
	{"indent4_group_add", "indent4", []Edit{SetGroup("payments_enabled", "staff", true)}},
	{"indent4_actor_quoted_sibling", "indent4", []Edit{SetActor("reports_enabled", "org:globex", true)}},
	{"indent4_add_flag", "indent4", []Edit{AddFlag(&Flag{Name: "z_enabled", Owner: "me", Actors: []Gate{{"user:1", true}}})}},
	{"indent4_remove_first", "indent4", []Edit{RemoveFlag("payments_enabled")}},
	{"crlf_enable", "crlf", []Edit{SetBoolean("crlf_enabled", true)}},
	{"crlf_actor_add", "crlf", []Edit{SetActor("crlf_enabled", "user:2", false), SetGroup("crlf_enabled", "beta", true)}},
	{"crlf_add_flag", "crlf", []Edit{AddFlag(&Flag{Name: "second_enabled", Boolean: ptr(false)})}},
	{"empty_flow_add", "empty_flow", []Edit{AddFlag(&Flag{Name: "first_enabled", Kind: KindOps, Boolean: ptr(false)})}},
	{"flow_actor", "flow", []Edit{SetActor("compact_enabled", "user:2", true)}},
	{"flow_enable", "flow", []Edit{SetBoolean("compact_enabled", true)}},
	{"flow_empty_groups", "flow", []Edit{SetGroup("empty_groups_enabled", "beta", true)}},
	{"flow_empty_flag", "flow", []Edit{SetBoolean("nothing_enabled", true)}},
	{"unicode_actor_flip", "unicode", []Edit{SetActor("cafe_menu_enabled", "usér:1", true)}},
	{"unicode_actor_add", "unicode", []Edit{SetActor("cafe_menu_enabled", "ユーザー:3", true), SetGroup("cafe_menu_enabled", "bêta", true)}},
	{"unicode_meta", "unicode", []Edit{SetMeta("cafe_menu_enabled", MetaDescription, "Menü ☕ v2")}},
	{"multiline_description", "multiline", []Edit{SetMeta("long_enabled", MetaDescription, "Short now")}},
	{"multiline_disable", "multiline", []Edit{SetBoolean("long_enabled", false), SetActor("long_enabled", "user:1", true)}},
	{"multiline_add", "multiline", []Edit{AddFlag(&Flag{Name: "other_enabled", Boolean: ptr(true)})}},
	{"spec_meta_merge_key", "spec", []Edit{SetMeta("new_checkout_enabled", MetaDescription, "<<"), SetMeta("new_checkout_enabled", MetaOwner, "=")}},
	// Block and multi-line quoted scalars whose lines begin with '#' (issue 13).
	{"hash_scalar_replace", "hash_scalar", []Edit{SetMeta("plan_enabled", MetaDescription, "Short"), SetMeta("quoted_enabled", MetaDescription, "Also short")}},
	{"hash_scalar_clear", "hash_scalar", []Edit{SetMeta("plan_enabled", MetaDescription, ""), SetMeta("last_enabled", MetaDescription, "")}},
	{"hash_scalar_remove", "hash_scalar", []Edit{RemoveFlag("plan_enabled"), RemoveFlag("quoted_enabled")}},
	{"hash_scalar_remove_last", "hash_scalar", []Edit{RemoveFlag("last_enabled")}},
	{"hash_scalar_add", "hash_scalar", []Edit{AddFlag(&Flag{Name: "new_enabled", Boolean: ptr(true), Shorthand: true})}},
	// "flags: ~" and "flags: null" mean no flags, and take new ones (issue 13).
	{"flags_tilde_add", "flags_tilde", []Edit{AddFlag(&Flag{Name: "first_enabled", Boolean: ptr(false)})}},
	{"flags_null_add", "flags_null", []Edit{AddFlag(&Flag{Name: "first_enabled", Boolean: ptr(true), Shorthand: true}), AddFlag(&Flag{Name: "second_enabled", Owner: "me"})}},
	{"flow_flags_noop", "flow_flags", []Edit{SetBoolean("a", true)}},
	// A flow-style gate mapping is rewritten alone, in block style (issue 13).
	{"flow_gates_add", "flow_gates", []Edit{SetActor("checkout_enabled", "user:3", true)}},
	{"flow_gates_flip", "flow_gates", []Edit{SetActor("checkout_enabled", "user:2", true)}},
	{"flow_gates_clear", "flow_gates", []Edit{ClearActor("checkout_enabled", "user:1")}},
	{"flow_gates_multiline", "flow_gates", []Edit{SetGroup("multi_enabled", "ops", true)}},
	// Removing a flag keeps the section header above its own comment block.
	{"sections_remove_first", "sections", []Edit{RemoveFlag("payments_enabled")}},
	{"sections_remove_only_in_section", "sections", []Edit{RemoveFlag("search_v2_enabled")}},
	{"sections_remove_last", "sections", []Edit{RemoveFlag("reports_enabled")}},
	// Replacing a gate mapping whole, for any two mappings (issue 13).
	{"disjoint_set_gates", "disjoint", []Edit{SetGates("f_enabled", &Flag{Actors: []Gate{{"user:2", false}}, Groups: []Gate{{"b", true}}})}},
	{"disjoint_set_gates_into_empty", "disjoint", []Edit{SetGates("g_enabled", &Flag{Groups: []Gate{{"b", true}, {"c", false}}})}},
	{"disjoint_set_gates_to_empty", "disjoint", []Edit{SetGates("h_enabled", &Flag{Groups: []Gate{}})}},
	{"disjoint_set_gates_two", "disjoint", []Edit{SetGates("h_enabled", &Flag{Groups: []Gate{{"c", true}, {"d", true}}})}},
}

// checkGolden compares out with testdata/edit/NAME.golden (written with -update).
func checkGolden(t *testing.T, name string, out []byte) {
	t.Helper()
	golden := filepath.Join("testdata", "edit", name+".golden")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", golden, out, want)
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			in := parseFile(t, filepath.Join("testdata", "edit", tc.input+".input.yaml"))
			out, nf, err := in.Apply(ParseOptions{}, tc.edits...)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, out)
			// Idempotent: applying the same edits to the result changes nothing.
			// Adding or removing a flag twice is an error, not a change.
			again, _, err := nf.Apply(ParseOptions{}, tc.edits...)
			switch {
			case errors.Is(err, ErrFlagExists) || errors.Is(err, ErrUnknownFlag):
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(again, out):
				t.Errorf("re-applying the edit changed the output:\n%s", again)
			}
			// Every comment of the input survives unless its entry was removed.
			if !removesEntries(tc.name) {
				for _, c := range comments(in) {
					if !bytes.Contains(out, []byte(c)) {
						t.Errorf("comment %q lost", c)
					}
				}
			}
			// CRLF files stay CRLF.
			if in.crlf && bytes.Count(out, []byte("\n")) != bytes.Count(out, []byte("\r\n")) {
				t.Error("mixed line endings in a CRLF file")
			}
		})
	}
}

func removesEntries(name string) bool {
	for _, w := range []string{"remove", "clear", "set_gates", "replaces"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// comments returns the comment texts of f, "# ..." to the end of the line. A
// '#' inside a quoted scalar or a line of a multi-line scalar is text.
func comments(f *File) []string {
	var out []string
	for i := 0; i < f.numLines(); i++ {
		if f.textLine(i) {
			continue
		}
		l := f.lineText(i)
		if j := commentStart(l); j >= 0 {
			out = append(out, l[j:])
		}
	}
	return out
}

// commentStart returns the index of the '#' that starts a comment on line l
// (preceded by a space or at the start, outside quotes), or -1.
func commentStart(l string) int {
	tokenStart := true
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case tokenStart && (c == '"' || c == '\''):
			for i++; i < len(l); i++ {
				if c == '"' && l[i] == '\\' {
					i++
				} else if l[i] == c {
					if c == '\'' && i+1 < len(l) && l[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
			tokenStart = false
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return i
		case c == ' ' || c == '\t' || c == '{' || c == '[' || c == ',':
			tokenStart = true
		case c == ':' || c == '-' || c == '?':
			tokenStart = i+1 >= len(l) || l[i+1] == ' '
		default:
			tokenStart = false
		}
	}
	return -1
}

func TestCommentStart(t *testing.T) {
	for l, want := range map[string]int{
		`      "user:42": true   # first`:   24,
		`    description: "Checkout #beta"`: -1,
		`    description: "a \" # b" # c`:   28,
		`    owner: 'it''s # x'  # y`:       24,
		`  # whole line`:                    2,
		`    kind: a#b`:                     -1,
	} {
		if got := commentStart(l); got != want {
			t.Errorf("commentStart(%q) = %d, want %d", l, got, want)
		}
	}
}

func TestNoopIsByteIdentical(t *testing.T) {
	for _, name := range []string{"spec", "shorthand", "indent4", "crlf", "flow", "unicode", "multiline", "hash_scalar", "flow_gates"} {
		in := parseFile(t, filepath.Join("testdata", "edit", name+".input.yaml"))
		var edits []Edit
		for _, fl := range in.Flags {
			edits = append(edits, SetGates(fl.Name, fl))
			if fl.Boolean != nil {
				edits = append(edits, SetBoolean(fl.Name, *fl.Boolean))
			}
			for _, g := range fl.Actors {
				edits = append(edits, SetActor(fl.Name, g.ID, g.Enabled))
			}
		}
		out, _, err := in.Apply(ParseOptions{}, edits...)
		if err != nil {
			t.Fatal(name, err)
		}
		if !bytes.Equal(out, in.src) {
			t.Errorf("%s: no-op edits changed the file:\n%s", name, out)
		}
	}
}

// TestLongGateIDs: IDs up to the documented limit (1000 characters, below
// YAML's 1024-character limit on a mapping key) are written and read back.
func TestLongGateIDs(t *testing.T) {
	in := parseFile(t, filepath.Join("testdata", "edit", "spec.input.yaml"))
	for _, id := range []string{strings.Repeat("u", 1000), "user:" + strings.Repeat("é", 995), strings.Repeat("\"", 500)} {
		_, nf, err := in.Apply(ParseOptions{}, SetActor("new_checkout_enabled", id, true), SetGroup("dark_mode_enabled", id, false))
		if err != nil {
			t.Fatalf("%d-character ID: %v", len([]rune(id)), err)
		}
		if on, ok := nf.Flag("new_checkout_enabled").Actor(id); !ok || !on {
			t.Errorf("actor gate not set")
		}
	}
}

func TestEditErrors(t *testing.T) {
	in := parseFile(t, filepath.Join("testdata", "edit", "spec.input.yaml"))
	tests := []struct {
		edit Edit
		want string
	}{
		{SetBoolean("new_chekout_enabled", true), `unknown flag "new_chekout_enabled"; did you mean "new_checkout_enabled"?`},
		{AddFlag(&Flag{Name: "dark_mode_enabled"}), `flag "dark_mode_enabled" already exists`},
		{AddFlag(&Flag{Name: "Bad-Name"}), `bad flag name "Bad-Name"`},
		{SetMeta("dark_mode_enabled", MetaKind, "relase"), `did you mean "release"?`},
		{SetMeta("dark_mode_enabled", MetaExpires, "2027-13-01"), "bad date"},
		{SetMeta("new_checkout_enabled", MetaExpires, "2026-01-01"), "is before created"},
		{SetActor("dark_mode_enabled", " ", true), "empty actor ID"},
		{SetActor("dark_mode_enabled", strings.Repeat("u", 1023), true), "actor ID is 1023 characters long; the limit is 1000"},
		{SetGroup("dark_mode_enabled", strings.Repeat("é", 1001), true), "group name is 1001 characters long; the limit is 1000"},
		{SetGates("dark_mode_enabled", &Flag{Actors: []Gate{{strings.Repeat("x", 5000), true}}}), "actor ID is 5000 characters long"},
		{AddFlag(&Flag{Name: "long_enabled", Groups: []Gate{{strings.Repeat("x", 2000), true}}}), "group name is 2000 characters long"},
		{SetActor("dark_mode_enabled", strings.Repeat("\\", 600), true), "actor ID is 1202 characters long once quoted"},
	}
	for _, tt := range tests {
		_, _, err := in.Apply(ParseOptions{}, tt.edit)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want %q", tt.edit, err, tt.want)
		}
	}
	// A flow-style flags mapping is refused with advice, never an internal error.
	flow := parseFile(t, filepath.Join("testdata", "edit", "flow_flags.input.yaml"))
	for _, tt := range []struct {
		edit Edit
		want string
	}{
		{SetBoolean("a", false), `flow_flags.input.yaml:3:1: flags is written in flow style ({...}); run "flagctl fmt" first`},
		{SetActor("b", "user:1", true), `run "flagctl fmt" first`},
		{RemoveFlag("a"), `run "flagctl fmt" first`},
		{AddFlag(&Flag{Name: "c"}), `run "flagctl fmt" first`},
	} {
		_, _, err := flow.Apply(ParseOptions{}, tt.edit)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v, want %q", tt.edit, err, tt.want)
		}
	}
}
