package flagfile

import (
	"errors"
	"strings"
	"testing"
)

// TestAddFlags: several flags in one edit land at the end in order, keep the
// file's blank-line rhythm, and a name clash adds nothing.
func TestAddFlags(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty flow", "version: 1\nflags: {}  # none yet\n",
			"version: 1\nflags:  # none yet\n  a_enabled: true\n  b_enabled:\n    owner: me\n    actors:\n      User;1: true\n"},
		{"blank lines between flags", "version: 1\nflags:\n  x_enabled: true\n\n  # y\n  y_enabled: false\n",
			"version: 1\nflags:\n  x_enabled: true\n\n  # y\n  y_enabled: false\n\n  a_enabled: true\n\n  b_enabled:\n    owner: me\n    actors:\n      User;1: true\n"},
		{"dense", "version: 1\nflags:\n  x_enabled: true\n",
			"version: 1\nflags:\n  x_enabled: true\n  a_enabled: true\n  b_enabled:\n    owner: me\n    actors:\n      User;1: true\n"},
	}
	add := AddFlags(&Flag{Name: "a_enabled", Boolean: ptr(true), Shorthand: true}, &Flag{Name: "b_enabled", Owner: "me", Actors: []Gate{{"User;1", true}}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(tt.src), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out, _, err := f.Apply(ParseOptions{}, add)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", out, tt.want)
			}
		})
	}
	f, _ := Parse("f.yaml", []byte("version: 1\nflags:\n  b_enabled: true\n"), ParseOptions{})
	if _, _, err := f.Apply(ParseOptions{}, add); !errors.Is(err, ErrFlagExists) {
		t.Errorf("clash: err = %v, want ErrFlagExists", err)
	}
	if _, _, err := f.Apply(ParseOptions{}, AddFlags(&Flag{Name: "Bad"})); err == nil || !strings.Contains(err.Error(), "bad flag name") {
		t.Errorf("bad name: err = %v", err)
	}
}
