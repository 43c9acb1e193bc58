package cleanup

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// newModule writes a Go module that uses this repository (replace directive)
// and the OpenFeature SDK, with the generated flags package of
// testdata/module, plus files (slash paths relative to the module root).
func newModule(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		tb.Fatal(err)
	}
	var sum strings.Builder
	for _, p := range []string{"go.sum", "openfeature/go.sum"} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			tb.Fatal(err)
		}
		sum.Write(b)
	}
	gen, err := os.ReadFile("testdata/module/flags/flags.go")
	if err != nil {
		tb.Fatal(err)
	}
	all := map[string]string{
		"go.mod": "module example.com/app\n\ngo 1.26\n\nrequire (\n\tgithub.com/flagctl/flagctl v0.0.0\n\tgithub.com/open-feature/go-sdk v1.20.0\n)\n\n" +
			"replace github.com/flagctl/flagctl => " + root + "\n",
		"go.sum":         sum.String(),
		"flags/flags.go": string(gen),
	}
	for k, v := range files {
		all[k] = v
	}
	for name, content := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	// Settle go.mod (indirect requirements) from the module cache, offline.
	cmd := exec.Command("go", "list", "-mod=mod", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go list in the test module: %v\n%s", err, out)
	}
	return dir
}

// goBuild builds every package of the module (tests included, through vet).
func goBuild(tb testing.TB, dir string) {
	tb.Helper()
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go vet ./... in %s: %v\n%s", dir, err, out)
	}
}
