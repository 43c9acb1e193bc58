package flagfile

import (
	"errors"
	"strings"
	"testing"
)

func TestRenameFlag(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
		edits                    []Edit
	}{
		{
			name:  "block flag keeps position and comments",
			src:   "version: 1\nflags:\n  # first\n  a_enabled: true # on\n\n  # the old one\n  old_enabled:\n    owner: me # who\n    enabled: false\n  z_enabled: false\n",
			want:  "version: 1\nflags:\n  # first\n  a_enabled: true # on\n\n  # the old one\n  new_enabled:\n    owner: me # who\n    enabled: false\n  z_enabled: false\n",
			edits: []Edit{RenameFlag("old_enabled", "new_enabled")},
		},
		{
			name:  "quoted shorthand key",
			src:   "version: 1\nflags:\n  \"old_enabled\": true   # c\n",
			want:  "version: 1\nflags:\n  new_enabled: true   # c\n",
			edits: []Edit{RenameFlag("old_enabled", "new_enabled")},
		},
		{
			// YAML 1.1 reads a plain yes/on/no/off/y/n/true/false/null key as a
			// boolean or null: quoted as create writes it, so fmt --check passes.
			name:  "new name YAML 1.1 reads as a boolean",
			src:   "version: 1\nflags:\n  old_enabled: true   # c\n  b_enabled:\n    enabled: false\n",
			want:  "version: 1\nflags:\n  \"yes\": true   # c\n  \"off\":\n    enabled: false\n",
			edits: []Edit{RenameFlag("old_enabled", "yes"), RenameFlag("b_enabled", "off")},
		},
		{
			name:  "flow mapping",
			src:   "version: 1\nflags: {old_enabled: true, b_enabled: false}\n",
			want:  "version: 1\nflags: {new_enabled: true, b_enabled: false}\n",
			edits: []Edit{RenameFlag("old_enabled", "new_enabled")},
		},
		{
			name:  "rename then edit the new name",
			src:   "version: 1\nflags:\n  old_enabled: true\n",
			want:  "version: 1\nflags:\n  new_enabled: false\n",
			edits: []Edit{RenameFlag("old_enabled", "new_enabled"), SetBoolean("new_enabled", false)},
		},
		{
			name: "target exists", src: "version: 1\nflags:\n  a_enabled: true\n  b_enabled: true\n",
			edits: []Edit{RenameFlag("a_enabled", "b_enabled")}, wantErr: `flag "b_enabled" already exists`,
		},
		{
			name: "unknown", src: "version: 1\nflags:\n  a_enabled: true\n",
			edits: []Edit{RenameFlag("x_enabled", "b_enabled")}, wantErr: `unknown flag "x_enabled"`,
		},
		{
			name: "bad name", src: "version: 1\nflags:\n  a_enabled: true\n",
			edits: []Edit{RenameFlag("a_enabled", "B-x")}, wantErr: `bad flag name "B-x"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(tt.src), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out, _, err := f.Apply(ParseOptions{}, tt.edits...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if tt.name == "target exists" && !errors.Is(err, ErrFlagExists) {
					t.Errorf("err %v is not ErrFlagExists", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

// TestRenameBesideInvalidFlag: a rename names its flags (old and new), so a
// problem in another flag does not block it and stays byte for byte; renaming
// the broken flag, or any rename with Strict, is refused.
func TestRenameBesideInvalidFlag(t *testing.T) {
	const src = "version: 1\nflags:\n  a_enabled: true # on\n  b_enabled:\n    descripton: typo\n"
	tests := []struct {
		name    string
		edit    Edit
		strict  bool
		want    string
		wantErr bool
	}{
		{"other flag", RenameFlag("a_enabled", "c_enabled"), false, "version: 1\nflags:\n  c_enabled: true # on\n  b_enabled:\n    descripton: typo\n", false},
		{"broken flag", RenameFlag("b_enabled", "c_enabled"), false, "", true},
		{"strict", RenameFlag("a_enabled", "c_enabled"), true, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(src), ParseOptions{})
			if f == nil || err == nil {
				t.Fatalf("want a file with problems, got %v, %v", f, err)
			}
			out, nf, err := f.Apply(ParseOptions{Strict: tt.strict}, tt.edit)
			if tt.wantErr {
				if !errors.Is(err, ErrNotEditable) {
					t.Fatalf("err = %v, want ErrNotEditable", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want || len(nf.Problems()) != 1 {
				t.Errorf("got\n%s(problems %v)\nwant\n%s", out, nf.Problems(), tt.want)
			}
		})
	}
}
