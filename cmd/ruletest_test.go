package cmd

import (
	"strings"
	"testing"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/ruletest"
)

const ruleTests = `version: 1
tests:
  - name: staff see the new checkout in production
    env: production
    flag: new_checkout_enabled
    actor: "user:42"
    groups: [beta_testers]
    want: true
  - name: banned users never see it
    env: [staging, production]
    flag: new_checkout_enabled
    actor: "user:9"
    groups: [beta_testers, banned]
    want: false
  - name: dark mode everywhere
    flag: dark_mode_enabled
    want: true
  - name: sampling is random
    env: staging
    flag: sampled_enabled
    want: true
  - name: typo
    env: prod
    flag: new_chekout_enabled
    want: false
`

func ruleProject(t *testing.T) *project {
	staging := stagingFile + "  sampled_enabled:\n    percentage_of_time: 30%\n"
	production := productionFile + "  sampled_enabled: false\n"
	return newProject(t, map[string]string{
		".flagctl.yaml":             "environments: [staging, production]\n",
		"flags/staging.yaml":        staging,
		"flags/production.yaml":     production,
		"flags/tests/checkout.yaml": ruleTests,
		"flags/tests/empty_ok.yaml": "version: 1\ntests: []\n",
		"flags/tests/README.md":     "not a test file\n",
		"flags/tests/nested/x.yaml": "ignored: true\n",
		"flags/tests/notes.txt":     "ignored: true\n",
	})
}

func TestRuleTests(t *testing.T) {
	for _, tt := range []struct {
		name string
		argv []string
	}{
		{"text", []string{"test"}},
		{"json", []string{"test", "-o", "json"}},
		{"yaml", []string{"test", "-o", "yaml"}},
		{"github", []string{"test", "--format", "github"}},
		{"run", []string{"test", "--run", "banned|dark"}},
		{"env", []string{"test", "--env", "staging"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := ruleProject(t)
			code, stdout, stderr := p.run(tt.argv...)
			if code != ExitFindings {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			golden(t, "test_"+tt.name+".golden", strings.ReplaceAll(stdout, p.dir, "<dir>"))
		})
	}
}

func TestRuleTestsFixAndBreak(t *testing.T) {
	p := ruleProject(t)
	// Keep only the cases that hold, then break one with a gate change and fix it.
	good := strings.Split(ruleTests, "  - name: dark mode everywhere")[0]
	p = newProject(t, map[string]string{
		".flagctl.yaml":             "environments: [staging, production]\n",
		"flags/staging.yaml":        stagingFile,
		"flags/production.yaml":     strings.Replace(productionFile, "    enabled: false\n", "    enabled: false\n    groups:\n      beta_testers: true\n      banned: false\n", 1),
		"flags/tests/checkout.yaml": good,
	})
	if code, stdout, _ := p.run("test"); code != 0 || !strings.Contains(stdout, "3 passed, 0 failed") {
		t.Fatalf("baseline: %d %s", code, stdout)
	}
	p.run("clear", "new_checkout_enabled", "-e", "production", "--group", "beta_testers")
	code, stdout, _ := p.run("test")
	if code != ExitFindings || !strings.Contains(stdout, "tests/checkout.yaml:3: production new_checkout_enabled for user:42 [beta_testers]: want true, got false (decided by: no gate open → off)") {
		t.Fatalf("after breaking: %d\n%s", code, stdout)
	}
	p.run("enable", "new_checkout_enabled", "-e", "production", "--group", "beta_testers")
	if code, stdout, _ := p.run("test"); code != 0 {
		t.Fatalf("after the fix: %d\n%s", code, stdout)
	}
}

func TestRuleTestFileErrors(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":        "environments: [staging]\n",
		"flags/staging.yaml":   "version: 1\nenvironment: staging\nflags:\n  a_enabled: true\n",
		"flags/tests/bad.yaml": "version: 2\ntests:\n  - name: x\n    flg: a_enabled\n    want: yes\n    groups: staff\n  - just a string\nextra: 1\n",
	})
	code, _, stderr := p.run("test")
	if code != ExitFile {
		t.Errorf("exit %d, want 3", code)
	}
	golden(t, "test_file_errors.golden", strings.ReplaceAll(stderr, p.dir, "<dir>"))
}

func TestSchemaVerb(t *testing.T) {
	p := newProject(t, nil)
	for argv, want := range map[string][]byte{"schema": flagfile.Schema, "schema flagfile": flagfile.Schema, "schema test": ruletest.Schema} {
		code, stdout, _ := p.run(strings.Fields(argv)...)
		if code != 0 || stdout != string(want) {
			t.Errorf("%s: exit %d, %d bytes", argv, code, len(stdout))
		}
	}
	if code, _, _ := p.run("schema", "nope"); code != ExitUsage {
		t.Errorf("schema nope: exit %d", code)
	}
}

// TestRuleTestGroupsWithoutActor: group gates apply to a subject without an
// actor ID (eval, eval --group, OpenFeature and OFREP agree), so a rule test may
// give groups alone; it was refused as "groups need an actor".
func TestRuleTestGroupsWithoutActor(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":      "environments: [staging]\n",
		"flags/staging.yaml": "version: 1\nenvironment: staging\nflags:\n  staff_tools_enabled:\n    groups:\n      staff: true\n",
		"flags/tests/groups.yaml": `version: 1
tests:
  - name: staff see the tools without signing in
    flag: staff_tools_enabled
    groups: [staff]
    want: true
  - name: others do not
    flag: staff_tools_enabled
    groups: [customers]
    want: false
  - name: a wrong expectation is reported with its groups
    flag: staff_tools_enabled
    groups: [staff]
    want: false
`,
	})
	code, stdout, stderr := p.run("test")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one case fails)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"2 passed, 1 failed", "staging staff_tools_enabled for [staff]: want false, got true (decided by: group staff"} {
		if !strings.Contains(stdout+stderr, want) {
			t.Errorf("output lacks %q:\nstdout:\n%s\nstderr:\n%s", want, stdout, stderr)
		}
	}
}
