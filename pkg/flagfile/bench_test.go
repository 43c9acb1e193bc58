package flagfile

import (
	"fmt"
	"strings"
	"testing"
)

func genFile(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nenvironment: production\nflags:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  flag_%05d_enabled:\n    description: Flag %d\n    owner: team-%d\n    kind: release\n    created: 2026-10-02\n    enabled: false\n    actors:\n      \"user:%d\": true\n    groups:\n      beta: true\n    percentage_of_actors: 10%%\n\n", i, i, i%10, i)
	}
	return []byte(b.String())
}

// BenchmarkParse5k parses a 5,000-flag file.
func BenchmarkParse5k(b *testing.B) {
	data := genFile(5000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("p.yaml", data, ParseOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApply5k parses a 5,000-flag file and enables one flag.
func BenchmarkApply5k(b *testing.B) {
	data := genFile(5000)
	for b.Loop() {
		f, err := Parse("p.yaml", data, ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := f.Apply(ParseOptions{}, SetBoolean("flag_02500_enabled", true)); err != nil {
			b.Fatal(err)
		}
	}
}
