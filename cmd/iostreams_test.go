package cmd

import (
	"os"
	"testing"
)

func TestColor(t *testing.T) {
	io := &IOStreams{Color: true}
	if got := io.green("on"); got != "\x1b[32mon\x1b[0m" {
		t.Errorf("colour on: %q", got)
	}
	io.Color = false
	if got := io.green("on"); got != "on" {
		t.Errorf("colour off: %q", got)
	}
	// Tests do not run on a terminal: System must not colour.
	if System().Color {
		if st, _ := os.Stdout.Stat(); st.Mode()&os.ModeCharDevice == 0 {
			t.Error("colour on without a terminal")
		}
	}
	t.Setenv("NO_COLOR", "1")
	if System().Color {
		t.Error("colour on despite NO_COLOR")
	}
}
