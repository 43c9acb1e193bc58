package cmd

import (
	"bytes"
	"io"
	"os"
)

// IOStreams are the streams a command reads and writes. Commands never touch
// os.Stdout or os.Stderr directly.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// Color is true when Out is a terminal and NO_COLOR is not set.
	Color bool
}

// System returns the process's streams.
func System() *IOStreams {
	color := false
	if st, err := os.Stdout.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		_, noColor := os.LookupEnv("NO_COLOR")
		color = !noColor && os.Getenv("TERM") != "dumb"
	}
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Color: color}
}

// TestStreams returns streams backed by buffers, for tests.
func TestStreams() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}, out, errOut
}

// paint wraps s in an ANSI colour when colour is on.
func (io *IOStreams) paint(code, s string) string {
	if !io.Color || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (io *IOStreams) green(s string) string  { return io.paint("32", s) }
func (io *IOStreams) red(s string) string    { return io.paint("31", s) }
func (io *IOStreams) yellow(s string) string { return io.paint("33", s) }
