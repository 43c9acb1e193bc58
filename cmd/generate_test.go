package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const genStaging = `version: 1
environment: staging
flags:
  new_checkout_enabled:
    description: New checkout
    owner: team-payments
    kind: release
    expires: 2026-01-15
    enabled: true
  a_b: true
  a__b: false
  new: true
`

func TestGenerateGo(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":         "environments: [staging, production]\n",
		"flags/staging.yaml":    genStaging,
		"flags/production.yaml": "version: 1\nenvironment: production\nflags:\n  only_prod_enabled: false\n",
	})
	out := filepath.Join("internal", "flags", "flags.go")
	code, stdout, stderr := p.run("generate", "go", "--package", "flags", "--out", filepath.Join(p.dir, out))
	if code != 0 {
		t.Fatal(stderr)
	}
	golden(t, "generate_go.golden", p.read(out))
	golden(t, "generate_go_output.golden", strings.ReplaceAll(stdout+stderr, p.dir, "<dir>"))
	if !strings.HasPrefix(p.read(out), GeneratedHeader+"\n") {
		t.Error("missing the generated-code header")
	}
	if code, _, _ := p.run("generate", "go", "--out", filepath.Join(p.dir, out), "--check"); code != 0 {
		t.Errorf("--check on a fresh file: exit %d", code)
	}
	p.run("remove", "a_b")
	if code, stdout, _ := p.run("generate", "go", "--out", filepath.Join(p.dir, out), "--check"); code != ExitFindings || !strings.Contains(stdout, "out of date") {
		t.Errorf("--check after a change: exit %d %q", code, stdout)
	}
}

// TestGeneratedCodeCompiles builds the generated package against the real
// pkg/eval in a temporary module, runs go vet on it and runs a program that uses
// it; then removes a flag, regenerates, and expects the build to fail where the
// program still uses it.
func TestGeneratedCodeCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "environments: [staging]\n",
		"flags/staging.yaml": genStaging,
		"go.mod":             "module example.com/app\n\ngo 1.26\n\nrequire github.com/flagctl/flagctl v0.0.0\n\nreplace github.com/flagctl/flagctl => " + root + "\n",
		"main.go": `package main

import (
	"fmt"
	"os"

	"example.com/app/internal/flags"
	"github.com/flagctl/flagctl/pkg/eval"
)

func main() {
	ev, err := eval.Load(os.Args[1])
	if err != nil {
		panic(err)
	}
	f := flags.New(ev)
	fmt.Println(flags.NewCheckoutEnabled, f.NewCheckoutEnabled.Enabled(), f.AB.Enabled(), f.AB2.Enabled(), f.NewFlag.Enabled(), len(flags.Keys))
}
`,
	})
	data, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	os.WriteFile(filepath.Join(p.dir, "go.sum"), data, 0o644)
	gen := func() {
		if code, _, stderr := p.run("generate", "go", "--out", filepath.Join(p.dir, "internal", "flags", "flags.go")); code != 0 {
			t.Fatal(stderr)
		}
	}
	goCmd := func(args ...string) (string, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = p.dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	gen()
	if out, err := goCmd("vet", "./..."); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
	out, err := goCmd("run", ".", filepath.Join(p.dir, "flags", "staging.yaml"))
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	if strings.TrimSpace(out) != "new_checkout_enabled true false true true 4" {
		t.Errorf("program printed %q", out)
	}
	p.run("remove", "new_checkout_enabled")
	gen()
	out, err = goCmd("build", "./...")
	if err == nil || !strings.Contains(out, "NewCheckoutEnabled") {
		t.Errorf("build after removing a flag: err=%v\n%s", err, out)
	}
}
