package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

const cleanupFlags = `version: 1
environment: %s
flags:
  new_checkout_enabled:
    kind: release
    enabled: true
  old_search_enabled:
    kind: release
    enabled: false
  partial_enabled:
    percentage_of_actors: 25%%
  kept_enabled: true
`

// goProject is a flagctl project that is also a Go module using this
// repository's pkg/eval (through a replace directive).
func goProject(t *testing.T, files map[string]string) *project {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{
		"go.mod":                "module example.com/shop\n\ngo 1.26\n\nrequire github.com/flagctl/flagctl v0.0.0\n\nreplace github.com/flagctl/flagctl => " + root + "\n",
		"go.sum":                string(sum),
		".flagctl.yaml":         "environments: [staging, production]\ncleanup:\n  calls: [BoolValue]\n",
		"flags/staging.yaml":    strings.ReplaceAll(cleanupFlags, "%s", "staging"),
		"flags/production.yaml": strings.ReplaceAll(cleanupFlags, "%s", "production"),
	}
	for k, v := range files {
		all[k] = strings.ReplaceAll(v, "%%", "%")
	}
	for k := range all {
		all[k] = strings.ReplaceAll(all[k], "25%%", "25%")
	}
	p := newProject(t, all)
	if code, _, stderr := p.run("generate", "go", "--package", "flags", "--out", filepath.Join(p.dir, "internal/flags/flags.go")); code != 0 {
		t.Fatal(stderr)
	}
	goCmd(t, p.dir, "list", "-mod=mod", "./...")
	return p
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

const checkoutGo = `package checkout

import (
	"fmt"

	"example.com/shop/internal/flags"
	"github.com/flagctl/flagctl/pkg/eval"
)

// Handler serves the checkout.
type Handler struct {
	Ev    *eval.Evaluator
	Flags *flags.Flags
}

// Serve picks the flow.
func (h *Handler) Serve(user string) string {
	u := eval.Subject{ID: user}
	// The new flow, with saved cards.
	if h.Flags.NewCheckoutEnabled.EnabledFor(u) {
		return "new"
	}
	fmt.Println("old flow for", user)
	return "old"
}

// Search uses the old search while it is on.
func (h *Handler) Search() string {
	if h.oldSearch() {
		return "old search"
	}
	return "new search"
}

func (h *Handler) oldSearch() bool {
	return h.Ev.Enabled(flags.OldSearchEnabled)
}
`

const searchGo = `package search

import (
	"example.com/shop/internal/flags"
	"github.com/flagctl/flagctl/pkg/eval"
)

type legacy struct{ ev *eval.Evaluator }

// BoolValue is a project wrapper, configured in cleanup.calls.
func (l legacy) BoolValue(name string) bool { return l.ev.Enabled(name) }

// Rank orders results.
func Rank(ev *eval.Evaluator, n int) int {
	l := legacy{ev}
	if l.BoolValue("new_checkout_enabled") && n > 1 {
		return n * 2
	}
	if ev.Enabled(flags.OldSearchEnabled) {
		return -n
	}
	return n
}
`

const searchTestGo = `package search

import (
	"testing"

	"github.com/flagctl/flagctl/pkg/eval"
)

func TestRank(t *testing.T) {
	ev, err := eval.Load("../../flags/staging.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Enabled("new_checkout_enabled") {
		t.Log("new checkout")
	}
	_ = Rank(ev, 2)
}
`

const mainGo = `package main

import (
	"fmt"

	"example.com/shop/internal/checkout"
	"example.com/shop/internal/search"
	"github.com/flagctl/flagctl/pkg/eval"
)

func main() {
	ev, _ := eval.Load("flags/production.yaml")
	fmt.Println(search.Rank(ev, 3), (&checkout.Handler{Ev: ev}).Search())
	fmt.Println("kept", ev.Enabled("kept_enabled"))
}
`

// TestCleanupModule runs cleanup and remove --cleanup on a multi-package module
// (a main package, two internal packages, a test file, generated code) and
// checks the module still builds and vets after each step.
func TestCleanupModule(t *testing.T) {
	p := goProject(t, map[string]string{
		"internal/checkout/checkout.go":  checkoutGo,
		"internal/search/search.go":      searchGo,
		"internal/search/search_test.go": searchTestGo,
		"cmd/shop/main.go":               mainGo,
	})
	before := p.read("internal/checkout/checkout.go")

	code, _, stderr := p.run("cleanup", "partial_enabled")
	if code != ExitUsage || !strings.Contains(stderr, "not fully on or fully off in every environment (staging: on for some; production: on for some)") {
		t.Errorf("partial flag: exit %d, %s", code, stderr)
	}
	code, stdout, _ := p.run("cleanup", "new_checkout_enabled", "--check")
	if code != ExitFindings || !strings.Contains(stdout, "internal/checkout/checkout.go: would change") {
		t.Errorf("--check: exit %d, %s", code, stdout)
	}
	// From a subdirectory, paths are relative to it (#16).
	io, out, _ := TestStreams()
	sub := NewFactory(io)
	sub.WorkDir = filepath.Join(p.dir, "internal")
	if code := Run(sub, []string{"cleanup", "new_checkout_enabled", "--check", "search"}); code != ExitFindings || !strings.HasPrefix(out.String(), "search/search.go: would change (run \"flagctl cleanup new_checkout_enabled\")\n") {
		t.Errorf("--check from internal/: exit %d, %q", code, out.String())
	}
	code, stdout, _ = p.run("cleanup", "new_checkout_enabled", "--check", "internal/search/search.go")
	if code != ExitFindings || stdout != "internal/search/search.go: would change (run \"flagctl cleanup new_checkout_enabled\")\n" {
		t.Errorf("--check of one file: exit %d, %q", code, stdout)
	}
	code, stdout, stderr = p.run("cleanup", "new_checkout_enabled", "--dry-run")
	if code != 0 || !strings.Contains(stdout, "--- a/internal/checkout/checkout.go\n+++ b/internal/checkout/checkout.go\n") ||
		!strings.Contains(stdout, "-\tif h.Flags.NewCheckoutEnabled.EnabledFor(u) {\n") {
		t.Errorf("--dry-run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if p.read("internal/checkout/checkout.go") != before {
		t.Fatal("--dry-run wrote a file")
	}

	code, stdout, stderr = p.run("cleanup", "new_checkout_enabled")
	if code != 0 || !strings.Contains(stderr, "rewrote 3 checks of new_checkout_enabled as true in 3 files") {
		t.Errorf("cleanup: exit %d\n%s\n%s", code, stdout, stderr)
	}
	goCmd(t, p.dir, "vet", "./...")
	wantServe := `func (h *Handler) Serve(user string) string {
	// The new flow, with saved cards.
	return "new"
}`
	if got := p.read("internal/checkout/checkout.go"); !strings.Contains(got, wantServe) || strings.Contains(got, `"fmt"`) {
		t.Errorf("checkout.go:\n%s", got)
	}
	if got := p.read("internal/search/search.go"); !strings.Contains(got, "if n > 1 {\n\t\treturn n * 2\n\t}") {
		t.Errorf("search.go:\n%s", got)
	}
	if code, _, _ := p.run("cleanup", "new_checkout_enabled", "--check"); code != 0 {
		t.Errorf("cleanup twice changes more: exit %d", code)
	}

	// remove --cleanup --dry-run: the code's diff and the flag files' change,
	// nothing written.
	checkout, stagingBefore, generated := p.read("internal/checkout/checkout.go"), p.read("flags/staging.yaml"), p.read("internal/flags/flags.go")
	code, stdout, stderr = p.run("remove", "old_search_enabled", "--cleanup", "--dry-run")
	if code != 0 || !strings.Contains(stdout, "--- a/internal/checkout/checkout.go\n") || !strings.Contains(stdout, "old_search_enabled") ||
		!strings.HasSuffix(stdout, "(dry run: nothing written)\n") || strings.Contains(stdout, "regenerated") {
		t.Errorf("remove --cleanup --dry-run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if p.read("internal/checkout/checkout.go") != checkout || p.read("flags/staging.yaml") != stagingBefore || p.read("internal/flags/flags.go") != generated {
		t.Fatal("remove --cleanup --dry-run wrote a file")
	}

	// remove --cleanup: code, flag files and generated code in one step.
	code, stdout, stderr = p.run("remove", "old_search_enabled", "--cleanup")
	if code != 0 || !strings.Contains(stdout, "regenerated internal/flags/flags.go") {
		t.Fatalf("remove --cleanup: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Contains(p.read("flags/staging.yaml"), "old_search") || strings.Contains(p.read("internal/flags/flags.go"), "OldSearch") {
		t.Error("old_search_enabled is still in the flag files or the generated code")
	}
	if got := p.read("internal/checkout/checkout.go"); strings.Contains(got, "oldSearch") || !strings.Contains(got, "return \"new search\"") {
		t.Errorf("checkout.go after remove --cleanup:\n%s", got)
	}
	goCmd(t, p.dir, "vet", "./...")

	// A check that cannot be rewritten stops remove --cleanup before any change.
	staging := p.read("flags/staging.yaml")
	code, _, stderr = p.run("remove", "kept_enabled", "--cleanup")
	if code != ExitFindings || !strings.Contains(stderr, "cmd/shop/main.go:14:") || !strings.Contains(stderr, "passed to a function") {
		t.Errorf("remove --cleanup with an unsafe site: exit %d\n%s", code, stderr)
	}
	if p.read("flags/staging.yaml") != staging {
		t.Error("the flag file changed although the cleanup was refused")
	}
	if code, _, stderr := p.run("remove", "kept_enabled", "--cleanup", "--env", "staging"); code != ExitUsage || !strings.Contains(stderr, "drop --env") {
		t.Errorf("--cleanup with --env: exit %d %s", code, stderr)
	}
}

// TestCleanupNoModule: cleanup outside a Go module is a usage error.
func TestCleanupNoModule(t *testing.T) {
	p := newProject(t, map[string]string{".flagctl.yaml": "environments: [staging]\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n"})
	if code, _, stderr := p.run("cleanup", "a_enabled"); code != ExitUsage || !strings.Contains(stderr, "is not in a Go module") {
		t.Errorf("exit %d, %s", code, stderr)
	}
	// A module in a subdirectory is cleaned when a PATH names it.
	for name, content := range map[string]string{
		"sub/go.mod":    "module example.com/sub\n\ngo 1.26\n",
		"sub/x.go":      "package sub\n\n// BoolValue is a wrapper.\nfunc BoolValue(name string) bool { return name != \"\" }\n\n// F checks.\nfunc F() int {\n\tif BoolValue(\"a_enabled\") {\n\t\treturn 1\n\t}\n\treturn 2\n}\n",
		".flagctl.yaml": "environments: [staging]\ncleanup:\n  calls: BoolValue\n",
	} {
		if err := os.MkdirAll(filepath.Join(p.dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p.dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := p.run("cleanup", "a_enabled", "sub")
	if code != 0 || !strings.Contains(stderr, "rewrote 1 check of a_enabled as true in 1 file") || !strings.Contains(p.read("sub/x.go"), "func F() int {\n\treturn 1\n}") {
		t.Errorf("module in sub/: exit %d, %s\n%s", code, stderr, p.read("sub/x.go"))
	}
}

// TestCleanupArgv checks how argv fills CleanupOptions and RemoveOptions.Cleanup.
func TestCleanupArgv(t *testing.T) {
	tests := []struct {
		name    string
		argv    []string
		want    any
		wantErr string
		remove  bool
	}{
		{"cleanup", []string{"x_enabled"}, &CleanupOptions{Name: "x_enabled"}, "", false},
		{"cleanup paths", []string{"x_enabled", "--value", "false", "--dry-run", "./a", "b"}, &CleanupOptions{Name: "x_enabled", Value: "false", DryRun: true, Paths: []string{"./a", "b"}}, "", false},
		{"cleanup check", []string{"x_enabled", "--check"}, &CleanupOptions{Name: "x_enabled", Check: true}, "", false},
		{"cleanup no name", nil, nil, "expected the flag NAME (and optional PATHs), got 0 arguments", false},
		{"cleanup bad value", []string{"x_enabled", "--value", "yes"}, nil, `invalid --value "yes": use true or false`, false},
		{"cleanup both modes", []string{"x_enabled", "--check", "--dry-run"}, nil, "--dry-run and --check are mutually exclusive", false},
		{"remove cleanup", []string{"x_enabled", "--cleanup"}, &RemoveOptions{Name: "x_enabled", Cleanup: true}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			build := with(NewCmdCleanup)
			if tt.remove {
				build = with(NewCmdRemove)
			}
			err := runOpts(t, func(f *Factory) *cobra.Command { return build(f, &got) }, tt.argv...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || exitCode(err) != ExitUsage {
					t.Fatalf("err = %v (exit %d), want %q (exit 2)", err, exitCode(err), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("options = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestCleanupValue: the value comes from --value, else from the flag's state
// in every environment; anything else is refused with each state.
func TestCleanupValue(t *testing.T) {
	file := func(env, body string) *loaded {
		src := "version: 1\nenvironment: " + env + "\nflags:\n" + body
		fl, err := flagfile.Parse(env+".yaml", []byte(src), flagfile.ParseOptions{Env: env})
		if err != nil {
			t.Fatal(err)
		}
		return &loaded{target: target{Env: env, Path: env + ".yaml"}, File: fl}
	}
	tests := []struct {
		name      string
		value     string
		stg, prod string
		want      bool
		wantErr   string
	}{
		{"on everywhere", "", "  f: true\n", "  f: {enabled: true}\n", true, ""},
		{"off everywhere", "", "  f: false\n", "  f: {}\n", false, ""},
		{"missing in one env counts as off", "", "  f: false\n", "  g: true\n", false, ""},
		{"on but an actor off", "", "  f: {enabled: true, actors: {\"user:1\": false}}\n", "  f: true\n", false,
			"f is not fully on or fully off in every environment (staging: on for some; production: on for everyone): finish the rollout first, or pass --value true|false"},
		{"mixed", "", "  f: true\n", "  f: false\n", false,
			"f is not fully on or fully off in every environment (staging: on for everyone; production: off for everyone): finish the rollout first, or pass --value true|false"},
		{"value wins", "true", "  f: false\n", "  f: false\n", true, ""},
		{"percentage of actors at 100% leaves checks without an actor off", "", "  f: {percentage_of_actors: 100%}\n", "  f: true\n", false,
			"f is not fully on or fully off in every environment (staging: on for every actor, off when checked without one (percentage_of_actors 100%, no boolean gate on); production: on for everyone): finish the rollout first, or pass --value true|false"},
		{"a ramp ended at 100%", "", "  f:\n    percentage_of_actors:\n      ramp: {from: 1%, to: 100%, start: 2026-01-01T00:00:00Z, end: 2026-01-08T00:00:00Z}\n", "  f: true\n", false,
			"f is not fully on or fully off in every environment (staging: on for every actor, off when checked without one"},
		{"percentage of actors at 100% and the boolean on", "", "  f: {enabled: true, percentage_of_actors: 100%}\n", "  f: true\n", true, ""},
		{"percentage of time at 100%", "", "  f: {percentage_of_time: 100%}\n", "  f: true\n", true, ""},
		{"unknown flag", "", "  g: true\n", "  g: true\n", false, `unknown flag "f"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cleanupValue([]*loaded{file("staging", tt.stg), file("production", tt.prod)}, "f", tt.value, time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || exitCode(err) != ExitUsage {
					t.Fatalf("err = %v, want %q (exit 2)", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("value = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
