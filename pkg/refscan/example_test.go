package refscan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/flagctl/flagctl/pkg/refscan"
)

func ExampleScan() {
	dir, _ := os.MkdirTemp("", "refscan")
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "app.go")
	os.WriteFile(src, []byte("if ev.Enabled(\"new_checkout_enabled\") {}\nif ev.EnabledFor(\n\t\"chekout_enabled\", u) {}\n_ = f.NewCheckoutEnabled\n"), 0o644)
	res := refscan.Scan([]string{src}, refscan.Options{
		Names:    []string{"new_checkout_enabled"},
		Aliases:  map[string]string{"NewCheckoutEnabled": "new_checkout_enabled"},
		Patterns: []*regexp.Regexp{regexp.MustCompile(`(?:Enabled|EnabledFor)\(\s*"([a-z][a-z0-9_]*)"`)},
	})
	for _, r := range res.Refs["new_checkout_enabled"] {
		fmt.Println("reference on line", r.Line)
	}
	for _, r := range res.Checked {
		fmt.Println("checked", r.Flag, "on line", r.Line)
	}
	// Output:
	// reference on line 1
	// reference on line 4
	// checked new_checkout_enabled on line 1
	// checked chekout_enabled on line 3
}
