package goident

import "testing"

func TestBase(t *testing.T) {
	for in, want := range map[string]string{
		"new_checkout_enabled": "NewCheckoutEnabled", "api_v2_enabled": "APIV2Enabled",
		"user_id_enabled": "UserIDEnabled", "a": "A", "x__y": "XY",
	} {
		if got := Base(in); got != want {
			t.Errorf("Base(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAssign(t *testing.T) {
	tests := []struct {
		names []string
		want  map[string]string
	}{
		{[]string{"a_b", "a__b", "ab"}, map[string]string{"a__b": "AB", "a_b": "AB2", "ab": "Ab"}},
		{[]string{"keys", "flags", "new"}, map[string]string{"keys": "KeysFlag", "flags": "FlagsFlag", "new": "NewFlag"}},
		{[]string{"api_enabled", "api__enabled", "api_enabled"}, map[string]string{"api__enabled": "APIEnabled", "api_enabled": "APIEnabled2"}},
	}
	for _, tt := range tests {
		got, _ := Assign(tt.names)
		if len(got) != len(tt.want) {
			t.Errorf("Assign(%v) = %v, want %v", tt.names, got, tt.want)
		}
		for n, id := range tt.want {
			if got[n] != id {
				t.Errorf("Assign(%v)[%q] = %q, want %q", tt.names, n, got[n], id)
			}
		}
	}
}
