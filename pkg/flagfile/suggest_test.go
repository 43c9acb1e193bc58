package flagfile

import "testing"

// TestSuggestOnlyCloseNames: a suggestion is a plausible typo — an edit
// distance small relative to the name's length (a transposition counts as one
// edit) or a forgotten suffix — else nothing.
func TestSuggestOnlyCloseNames(t *testing.T) {
	flags := []string{"search_v2_enabled", "checkout_v2_enabled", "dark_mode_enabled", "new_checkout_enabled"}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"chekout_v3_enabled", []string{"search_v2_enabled", "dark_mode_enabled"}, ""},
		{"chekout_v3_enabled", flags, "checkout_v2_enabled"},
		{"new_chekout_enabled", flags, "new_checkout_enabled"},
		{"dark_mode", flags, "dark_mode_enabled"},
		{"drak_mode_enabled", flags, "dark_mode_enabled"},
		{"foo_enabled", []string{"bar_enabled"}, ""},
		{"producton", []string{"development", "staging", "production"}, "production"},
		{"stagin", []string{"development", "staging", "production"}, "staging"},
		{"stagign", []string{"development", "staging", "production"}, "staging"},
		{"prod", []string{"development", "staging", "production"}, "production"},
		{"qa", []string{"development", "staging", "production"}, ""},
		{"tcsh", []string{"bash", "fish", "powershell", "zsh"}, ""},
		{"zhs", []string{"bash", "fish", "powershell", "zsh"}, "zsh"},
		{"og", []string{"go"}, "go"},
		{"ts", []string{"go"}, ""},
		{"dirr", []string{"dir", "environments", "default_env"}, "dir"},
		{"colour", []string{"dir", "environments", "default_env", "lint", "stale"}, ""},
		{"namng", []string{"naming"}, "naming"},
		{"unreferencd", []string{"unreferenced", "undefined-reference", "dead"}, "unreferenced"},
		{"descripton", []string{"description", "owner", "kind"}, "description"},
		{"x", []string{"y"}, ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
	if got := DidYouMean("chekout_v3_enabled", []string{"search_v2_enabled"}); got != "" {
		t.Errorf("DidYouMean = %q, want none", got)
	}
}
