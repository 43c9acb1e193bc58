package cmd

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// project is a temporary flagctl project.
type project struct {
	t   *testing.T
	dir string
}

func newProject(t *testing.T, files map[string]string) *project {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &project{t: t, dir: dir}
}

// run executes one command line in the project.
func (p *project) run(args ...string) (code int, stdout, stderr string) {
	p.t.Helper()
	io, out, errOut := TestStreams()
	f := NewFactory(io)
	f.WorkDir = p.dir
	f.Now = func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
	code = Run(f, args)
	return code, out.String(), errOut.String()
}

func (p *project) read(name string) string {
	p.t.Helper()
	b, err := os.ReadFile(filepath.Join(p.dir, name))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(b)
}

// golden compares got with the repository's testdata/NAME (the CLI fixtures),
// rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

const stagingFile = `# Staging flags.
version: 1
environment: staging
flags:
  # Shorthand
  dark_mode_enabled: true

  new_checkout_enabled:
    description: New checkout flow with saved cards
    owner: team-payments
    kind: release
    created: 2026-10-02
    enabled: false           # boolean gate
    actors:
      "user:42": true
      "user:7": false
    groups:
      beta_testers: true
      banned: false
    percentage_of_actors: 25%
`

const productionFile = `version: 1
environment: production
flags:
  dark_mode_enabled: false
  new_checkout_enabled:
    description: New checkout flow with saved cards
    owner: team-payments
    kind: release
    created: 2026-10-02
    enabled: false
`

func stdProject(t *testing.T) *project {
	return newProject(t, map[string]string{
		".flagctl.yaml":         "dir: flags\nenvironments: [staging, production]\n",
		"flags/staging.yaml":    stagingFile,
		"flags/production.yaml": productionFile,
	})
}

func TestMain(m *testing.M) {
	// Settings must come from each test, never from the developer's shell.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "FLAGCTL_") {
			os.Unsetenv(strings.SplitN(kv, "=", 2)[0])
		}
	}
	os.Unsetenv("NO_COLOR")
	os.Setenv("TZ", "UTC") // git reads bare dates in local time
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Exit(m.Run())
}
