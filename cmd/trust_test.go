package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// TestBlankOptionValues: an empty or blank value for any string option is a usage
// error that changes nothing; it never falls back to the no-option action.
func TestBlankOptionValues(t *testing.T) {
	tests := [][]string{
		{"disable", "new_checkout_enabled", "-e", "staging", "--actor", ""},
		{"disable", "new_checkout_enabled", "-e", "staging", "--group", " "},
		{"enable", "new_checkout_enabled", "-e", "staging", "--actor", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--actor", "user:1,"},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-time", "  "},
		{"clear", "new_checkout_enabled", "-e", "staging", "--group", ""},
		{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "\t"},
		{"enable", "new_checkout_enabled", "--env", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--config", ""},
		{"enable", "new_checkout_enabled", "-e", "staging", "--dir", " "},
		{"list", "--file", ""},
		{"create", "x_enabled", "--owner", ""},
		{"create", "x_enabled", "--description", " "},
		{"create", "x_enabled", "--enable-in", ""},
		{"promote", "new_checkout_enabled", "--from", "staging", "--to", ""},
		{"list", "-o", ""},
		{"init", "--envs", ""},
	}
	for _, argv := range tests {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(argv...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, "empty") {
				t.Errorf("stderr does not say the value is empty: %s", stderr)
			}
			if p.read("flags/staging.yaml") != stagingFile || p.read("flags/production.yaml") != productionFile {
				t.Error("a refused command changed a file")
			}
		})
	}
}

// TestIDListsSplitOnNewlines: --actor "$(cat ids.txt)" enables every line's ID;
// invalid UTF-8 and control characters are refused before anything is locked.
func TestIDLists(t *testing.T) {
	tests := []struct {
		argv []string
		code int
		want []string // lines the staging file must contain afterwards
		msg  string
	}{
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:7\nuser:8"}, 0, []string{`"user:7": true`, `"user:8": true`}, ""},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "user:7\r\nuser:8\n"}, 0, []string{`"user:7": true`, `"user:8": true`}, ""},
		{[]string{"disable", "dark_mode_enabled", "-e", "staging", "--group", "a\nb,c"}, 0, []string{"a: false", "b: false", "c: false"}, ""},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "\xff"}, 2, nil, "UTF-8"},
		{[]string{"enable", "dark_mode_enabled", "-e", "staging", "--group", "user\x1b[31m"}, 2, nil, "control character"},
		{[]string{"clear", "new_checkout_enabled", "-e", "staging", "--actor", "user:\xc3"}, 2, nil, "UTF-8"},
		{[]string{"eval", "new_checkout_enabled", "-e", "staging", "--actor", "user:7\nuser:8"}, 2, nil, "control character"},
		{[]string{"enable", "new_checkout_enabled", "-e", "staging", "--percentage-of-actors", "\xff%"}, 2, nil, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			got := p.read("flags/staging.yaml")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("staging.yaml lacks %q:\n%s", w, got)
				}
			}
			if tt.code != 0 && (got != stagingFile || !strings.Contains(stderr, tt.msg)) {
				t.Errorf("file changed or stderr lacks %q: %s", tt.msg, stderr)
			}
		})
	}
}

// TestLockHazards: a symlink planted at the lock path is refused (its target is
// never created); a writer waiting on a held lock says so on stderr and gives
// up after --lock-timeout with exit 3; temp files a killed run left behind are
// removed by the next write and ignored by the generated .gitignore.
func TestLockHazards(t *testing.T) {
	t.Run("symlink at the lock path", func(t *testing.T) {
		p := stdProject(t)
		victim := filepath.Join(p.dir, "victim")
		if err := os.Symlink(victim, filepath.Join(p.dir, "flags", ".production.yaml.lock")); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := p.run("enable", "dark_mode_enabled", "-e", "production")
		if code != ExitFile || !strings.Contains(stderr, "symbolic link") {
			t.Errorf("exit %d, stderr %q; want 3 and the symbolic link named", code, stderr)
		}
		if _, err := os.Lstat(victim); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("symlink target created: %v", err)
		}
		if p.read("flags/production.yaml") != productionFile {
			t.Error("file changed")
		}
	})
	t.Run("held lock", func(t *testing.T) {
		p := stdProject(t)
		unlock, err := flagfile.Lock(filepath.Join(p.dir, "flags", "production.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		io, _, errOut := TestStreams()
		f := NewFactory(io)
		f.WorkDir = p.dir
		f.lockNotice = time.Millisecond
		code := Run(f, []string{"enable", "dark_mode_enabled", "-e", "production", "--lock-timeout", "40ms"})
		stderr := errOut.String()
		if code != ExitFile {
			t.Errorf("exit %d, want 3; stderr: %s", code, stderr)
		}
		if !strings.Contains(stderr, "waiting for the lock") || !strings.Contains(stderr, ".production.yaml.lock") || !strings.Contains(stderr, "timed out") {
			t.Errorf("stderr does not say what it waits for and that it gave up: %s", stderr)
		}
		if p.read("flags/production.yaml") != productionFile {
			t.Error("file changed")
		}
	})
	t.Run("bad --lock-timeout", func(t *testing.T) {
		p := stdProject(t)
		if code, _, stderr := p.run("enable", "dark_mode_enabled", "-e", "production", "--lock-timeout", "soon"); code != ExitUsage {
			t.Errorf("exit %d, want 2; stderr: %s", code, stderr)
		}
	})
	t.Run("temp files of a killed run", func(t *testing.T) {
		p := newProject(t, nil)
		if code, _, stderr := p.run("init", "--envs", "staging,production"); code != 0 {
			t.Fatalf("init: %d %s", code, stderr)
		}
		left := filepath.Join(p.dir, "flags", ".production.yaml.tmp4242")
		os.WriteFile(left, []byte("version: 1\nflags:\n  half"), 0o644)
		gitCmd(t, p.dir, "init", "-q")
		if out := gitCmd(t, p.dir, "status", "--porcelain", "--untracked-files=all", "flags"); strings.Contains(out, ".tmp") || strings.Contains(out, ".lock") {
			t.Errorf("temp or lock files not ignored by the generated .gitignore:\n%s", out)
		}
		if code, _, stderr := p.run("create", "x_enabled"); code != 0 {
			t.Fatalf("create: %d %s", code, stderr)
		}
		if _, err := os.Stat(left); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale temp file not removed: %v", err)
		}
	})
}

// TestConfigAndEnvChecks: unknown environments, unknown configuration keys,
// duplicate environment names and --file with a different --env are usage
// errors (exit 2) with a position and a suggestion where one is close.
func TestConfigAndEnvChecks(t *testing.T) {
	const envs = "environments: [development, staging, production]\n"
	tests := []struct {
		name   string
		config string // "" = the standard project's
		envVar string // FLAGCTL_ENV
		argv   []string
		msg    []string
	}{
		{"list --env typo", "", "", []string{"list", "--env", "producton"}, []string{`unknown environment "producton"`, `did you mean "production"?`}},
		{"test --env typo", "", "", []string{"test", "--env", "stagin"}, []string{`unknown environment "stagin"`, `did you mean "staging"?`}},
		{"FLAGCTL_ENV typo", "", "stagin", []string{"list"}, []string{"FLAGCTL_ENV", `did you mean "staging"?`}},
		{"default_env typo", envs + "default_env: developmnt\n", "", []string{"list"}, []string{".flagctl.yaml:2:14: default_env: unknown environment \"developmnt\"", `did you mean "development"?`}},
		{"default_env typo with --env", envs + "default_env: developmnt\n", "", []string{"list", "--env", "staging"}, []string{".flagctl.yaml:2:14:"}},
		{"unknown key", envs + "dirr: flags\n", "", []string{"list"}, []string{`.flagctl.yaml:2:1: unknown key "dirr"`, `did you mean "dir"?`}},
		{"unknown lint key", envs + "lint:\n  namng: _enabled$\n", "", []string{"list"}, []string{`.flagctl.yaml:3:3: unknown key "lint.namng"`, `did you mean "naming"?`}},
		{"unknown flow key", envs + "lint: {namng: x}\n", "", []string{"list"}, []string{`.flagctl.yaml:2:8: unknown key "lint.namng"`}},
		{"unknown severity key", envs + "stale:\n  severity:\n    unreferencd: off\n", "", []string{"stale"}, []string{`.flagctl.yaml:4:5: unknown key "stale.severity.unreferencd"`, `did you mean "unreferenced"?`}},
		{"every unknown key at once", envs + "dirr: x\nlint:\n  namng: y\n", "", []string{"list"}, []string{`2:1: unknown key "dirr"`, `4:3: unknown key "lint.namng"`}},
		{"unrelated key", envs + "colour: blue\n", "", []string{"list"}, []string{`unknown key "colour"`}},
		{"section not a mapping", envs + "lint: strict\n", "", []string{"list"}, []string{`.flagctl.yaml:2:7: lint must be a mapping`}},
		{"duplicate environments", "environments: [dev, staging, dev]\n", "", []string{"list"}, []string{`.flagctl.yaml:1:30: environment "dev" is listed twice`}},
		{"init duplicate envs", "-", "", []string{"init", "--envs", "dev,dev"}, []string{`--envs: environment "dev" is listed twice`}},
		{"--file with another --env", "", "", []string{"--file", "<dir>/flags/staging.yaml", "--env", "production", "list"}, []string{`staging.yaml is for environment "staging", not "production"`}},
		{"--file with another FLAGCTL_ENV", "", "production", []string{"--file", "<dir>/flags/staging.yaml", "enable", "dark_mode_enabled"}, []string{`is for environment "staging", not "production"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := stdProject(t)
			switch tt.config {
			case "":
			case "-":
				os.Remove(filepath.Join(p.dir, ".flagctl.yaml"))
			default:
				os.WriteFile(filepath.Join(p.dir, ".flagctl.yaml"), []byte(tt.config), 0o644)
			}
			if tt.envVar != "" {
				t.Setenv("FLAGCTL_ENV", tt.envVar)
			}
			code, stdout, stderr := p.run(inDir(p, tt.argv)...)
			if code != ExitUsage {
				t.Errorf("exit %d, want 2; stdout %s; stderr: %s", code, stdout, stderr)
			}
			for _, m := range tt.msg {
				if !strings.Contains(stderr, m) {
					t.Errorf("stderr lacks %q:\n%s", m, stderr)
				}
			}
			if p.read("flags/staging.yaml") != stagingFile || p.read("flags/production.yaml") != productionFile {
				t.Error("a refused command changed a file")
			}
		})
	}
	// The accepted cases.
	ok := [][]string{
		{"--file", "<dir>/flags/staging.yaml", "--env", "staging", "enable", "dark_mode_enabled"},
		{"--file", "<dir>/flags/staging.yaml", "list"},
		{"list", "--env", "production"},
	}
	for _, argv := range ok {
		t.Run(strings.Join(argv, " "), func(t *testing.T) {
			p := stdProject(t)
			if code, _, stderr := p.run(inDir(p, argv)...); code != 0 {
				t.Errorf("exit %d; stderr: %s", code, stderr)
			}
		})
	}
}

// inDir replaces <dir> in argv by the project's directory.
func inDir(p *project, argv []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = strings.ReplaceAll(a, "<dir>", p.dir)
	}
	return out
}

// failWriter fails every write, like a closed stdout.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("write /dev/stdout: broken pipe") }

// TestExitCodes: usage errors exit 2 — including an unknown subcommand of a
// command group; an error that is not a usage error never does: a file error
// exits 3, anything unexpected 4 (internal).
func TestExitCodes(t *testing.T) {
	tests := []struct {
		argv []string
		code int
		msg  string
	}{
		{[]string{"completion", "tcsh"}, ExitUsage, `unknown completion "tcsh"`},
		{[]string{"completion"}, ExitUsage, "bash, fish, powershell, zsh"},
		{[]string{"generate", "ts"}, ExitUsage, `unknown generate "ts"`},
		{[]string{"generate", "og"}, ExitUsage, `did you mean "go"?`},
		{[]string{"generate"}, ExitUsage, "go"},
		{[]string{"completion", "bash"}, ExitOK, ""},
		{[]string{"enable"}, ExitUsage, "expected the flag NAME"},
		{[]string{"list", "--nope"}, ExitUsage, "unknown flag: --nope"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.argv, " "), func(t *testing.T) {
			p := stdProject(t)
			code, _, stderr := p.run(tt.argv...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.msg)
			}
		})
	}
	t.Run("failed write to stdout", func(t *testing.T) {
		p := stdProject(t)
		io, _, errOut := TestStreams()
		io.Out = failWriter{}
		f := NewFactory(io)
		f.WorkDir = p.dir
		if code := Run(f, []string{"list", "-o", "json"}); code != ExitInternal {
			t.Errorf("exit %d, want %d (internal); stderr: %s", code, ExitInternal, errOut)
		}
	})
	t.Run("causes are wrapped", func(t *testing.T) {
		p := stdProject(t)
		io, _, _ := TestStreams()
		f := NewFactory(io)
		f.WorkDir = p.dir
		f.Viper.Set("env", "staging")
		err := enableRun(f, &EnableOptions{Name: "nope_enabled"})
		if !errors.Is(err, flagfile.ErrUnknownFlag) || exitCode(err) != ExitUsage {
			t.Errorf("enable unknown: err = %v (exit %d); want ErrUnknownFlag, exit 2", err, exitCode(err))
		}
		os.Remove(filepath.Join(p.dir, "flags", "production.yaml"))
		f = NewFactory(io)
		f.WorkDir = p.dir
		f.Viper.Set("env", "production")
		err = enableRun(f, &EnableOptions{Name: "dark_mode_enabled"})
		if !errors.Is(err, fs.ErrNotExist) || exitCode(err) != ExitFile {
			t.Errorf("enable, missing file: err = %v (exit %d); want fs.ErrNotExist, exit 3", err, exitCode(err))
		}
		wrapped := fmt.Errorf("flags/production.yaml: %w", errors.New("internal error: groups of f_enabled is not a mapping"))
		if got := exitCode(editErr(target{}, wrapped)); got != ExitInternal {
			t.Errorf("flagfile's internal error, wrapped: exit %d, want %d", got, ExitInternal)
		}
		if got := exitCode(errors.New("something unexpected")); got != ExitInternal {
			t.Errorf("unclassified error: exit %d, want %d", got, ExitInternal)
		}
	})
}

// TestCobraErrorsAreUsage: errors cobra raises itself — a required flag or a
// flag group a verb declares — are usage errors (exit 2), not internal ones.
func TestCobraErrorsAreUsage(t *testing.T) {
	tests := []struct {
		mark  func(*cobra.Command)
		extra []string
	}{
		{func(c *cobra.Command) { _ = c.MarkFlagRequired("group") }, nil},
		{func(c *cobra.Command) { c.MarkFlagsMutuallyExclusive("actor", "group") }, []string{"--group", "g"}},
	}
	for _, tt := range tests {
		p := stdProject(t)
		io, _, errOut := TestStreams()
		f := NewFactory(io)
		f.WorkDir = p.dir
		root := NewCmdRoot(f)
		enable, _, err := root.Find([]string{"enable"})
		if err != nil {
			t.Fatal(err)
		}
		tt.mark(enable)
		root.SetArgs(append([]string{"enable", "dark_mode_enabled", "-e", "staging", "--actor", "u:1"}, tt.extra...))
		_, err = root.ExecuteC()
		var fe *FlagError
		if !errors.As(err, &fe) || exitCode(err) != ExitUsage {
			t.Errorf("err = %v (exit %d), want a usage error; stderr %s", err, exitCode(err), errOut)
		}
		if p.read("flags/staging.yaml") != stagingFile {
			t.Error("file changed")
		}
	}
}
