package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func importerFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "pkg", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestImportSources runs application-yml, flagd and unleash end to end on the
// importer's fixtures: every environment file the source names is written, the
// report is printed, and --verify passes on what was translated exactly.
func TestImportSources(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		argv    []string
		files   map[string]string // file → substring it must contain
		out     []string
	}{
		{"application-yml", "application.yml", []string{"import", "application-yml", "SRC", "--allow-lossy", "--verify"},
			map[string]string{
				"flags/development.yaml": "  account_reset_enabled: true\n  doc_auth_enabled: true\n  otp_delivery_blocklist_enabled: true\n  nested_enabled: true\n",
				"flags/test.yaml":        "  account_reset_enabled: false\n",
				"flags/production.yaml":  "  # keep me\n  search: true  # on for all\n  account_reset_enabled: true\n  doc_auth_enabled: false\n",
			},
			[]string{"Not translated exactly (", "SRC:6:22: phone_setup_enabled [production]: phone_setup_enabled is the quoted string \"true\"", "✓ verified 9 flag(s) against SRC"}},
		{"flagd", "flagd.json", []string{"import", "flagd", "SRC", "--env", "production", "--allow-lossy", "--verify"},
			map[string]string{"flags/production.yaml": "  checkout_split:\n    enabled: false\n    percentage_of_actors: 25%\n"},
			[]string{"MurmurHash3", "✓ verified 2 flag(s)"}},
		{"unleash", "unleash.json", []string{"import", "unleash", "SRC", "--allow-lossy", "--verify"},
			map[string]string{"flags/production.yaml": "  new_checkout:\n    description: New checkout flow\n    owner: team-payments\n    kind: release\n    created: 2026-10-02\n    enabled: false\n"},
			[]string{"constraints or segments not imported", "✓ verified 4 flag(s)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [development, test, staging, production]\n",
				"flags/production.yaml": importProdFile,
				"source":                importerFixture(t, tt.fixture),
			})
			src := filepath.Join(p.dir, "source")
			var argv []string
			for _, a := range tt.argv {
				argv = append(argv, strings.ReplaceAll(a, "SRC", src))
			}
			code, stdout, stderr := p.run(argv...)
			all := strings.ReplaceAll(stdout+stderr, src, "SRC")
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, all)
			}
			for file, want := range tt.files {
				if got := p.read(file); !strings.Contains(got, want) {
					t.Errorf("%s lacks %q:\n%s", file, want, got)
				}
			}
			for _, want := range tt.out {
				if !strings.Contains(all, want) {
					t.Errorf("output lacks %q:\n%s", want, all)
				}
			}
			// Without --allow-lossy the same import writes nothing and exits 1.
			p2 := newProject(t, map[string]string{
				".flagctl.yaml":         "dir: flags\nenvironments: [development, test, staging, production]\n",
				"flags/production.yaml": importProdFile,
				"source":                importerFixture(t, tt.fixture),
			})
			var strict []string
			for _, a := range argv {
				if a != "--allow-lossy" {
					strict = append(strict, strings.ReplaceAll(a, src, filepath.Join(p2.dir, "source")))
				}
			}
			code, _, stderr = p2.run(strict...)
			if code != 1 || !strings.Contains(stderr, "nothing written") || p2.read("flags/production.yaml") != importProdFile {
				t.Errorf("strict: exit %d, %s", code, stderr)
			}
			if _, err := os.Stat(filepath.Join(p2.dir, "flags", "development.yaml")); err == nil {
				t.Error("strict: a file was created")
			}
		})
	}
}
