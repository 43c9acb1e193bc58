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
