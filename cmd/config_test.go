package cmd

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPrecedence: flag > FLAGCTL_* variable > config file > default, per setting.
func TestPrecedence(t *testing.T) {
	tests := []struct {
		setting string
		flag    string // "" = not given
		envVar  string
		config  string
		want    string
	}{
		{"dir", "d-flag", "d-env", "d-config", "<root>/d-flag"}, // relative to the working directory
		{"dir", "", "d-env", "d-config", "<root>/d-env"},
		{"dir", "", "", "d-config", "<root>/d-config"},
		{"dir", "", "", "", "<root>/flags"},
		{"env", "e-flag", "e-env", "e-config", "e-flag"},
		{"env", "", "e-env", "e-config", "e-env"},
		{"env", "", "", "e-config", "e-config"},
		{"env", "", "", "", "<error>"},
		{"file", "f-flag.yaml", "f-env.yaml", "f-config.yaml", "f-flag.yaml"},
		{"file", "", "f-env.yaml", "f-config.yaml", "f-env.yaml"},
		{"file", "", "", "f-config.yaml", "f-config.yaml"},
		{"file", "", "", "", ""},
	}
	for _, tt := range tests {
		name := strings.Join([]string{tt.setting, tt.flag, tt.envVar, tt.config}, "/")
		t.Run(name, func(t *testing.T) {
			cfg := "environments: [e-flag, e-env, e-config]\n"
			key := map[string]string{"dir": "dir", "env": "default_env", "file": "file"}[tt.setting]
			if tt.config != "" {
				cfg += key + ": " + tt.config + "\n"
			}
			p := newProject(t, map[string]string{".flagctl.yaml": cfg})
			if tt.envVar != "" {
				t.Setenv("FLAGCTL_"+strings.ToUpper(tt.setting), tt.envVar)
			}
			var args []string
			if tt.flag != "" {
				args = append(args, "--"+tt.setting, tt.flag)
			}
			io, _, _ := TestStreams()
			f := NewFactory(io)
			f.WorkDir = p.dir
			root := NewCmdRoot(f)
			if err := root.ParseFlags(args); err != nil {
				t.Fatal(err)
			}
			c, err := f.Config()
			if err != nil {
				t.Fatal(err)
			}
			var got string
			switch tt.setting {
			case "dir":
				got = strings.Replace(c.Dir, p.dir, "<root>", 1)
			case "env":
				tg, err := c.OneEnv()
				got = tg.Env
				if err != nil {
					got = "<error>"
				}
			case "file":
				got = c.FlagFile
			}
			if got != tt.want {
				t.Errorf("%s = %q, want %q", tt.setting, got, tt.want)
			}
		})
	}
}

func TestConfigFoundInParent(t *testing.T) {
	p := stdProject(t)
	io, _, _ := TestStreams()
	f := NewFactory(io)
	f.WorkDir = filepath.Join(p.dir, "flags")
	c, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join(p.dir, ".flagctl.yaml") || c.Dir != filepath.Join(p.dir, "flags") {
		t.Errorf("config %q dir %q", c.File, c.Dir)
	}
	if strings.Join(c.Environments, ",") != "staging,production" {
		t.Errorf("environments = %v (promotion order must be kept)", c.Environments)
	}
}

func TestEnvironmentsFromDir(t *testing.T) {
	p := newProject(t, map[string]string{"flags/b.yaml": "", "flags/a.yaml": "", "flags/notes.txt": "", "flags/Bad.yaml": ""})
	io, _, _ := TestStreams()
	f := NewFactory(io)
	f.WorkDir = p.dir
	c, _ := f.Config()
	if strings.Join(c.Environments, ",") != "a,b" {
		t.Errorf("environments = %v", c.Environments)
	}
}

func TestEnvNamesRefused(t *testing.T) {
	p := stdProject(t)
	for _, env := range []string{"../../etc", "a/b", "Prod", "staging/../production"} {
		code, _, stderr := p.run("enable", "dark_mode_enabled", "--env", env)
		if code != ExitUsage || !strings.Contains(stderr, "bad environment name") {
			t.Errorf("--env %q: code %d, stderr %q", env, code, stderr)
		}
	}
	code, _, stderr := p.run("enable", "dark_mode_enabled", "--env", "stagign")
	if code != ExitUsage || !strings.Contains(stderr, `did you mean "staging"?`) {
		t.Errorf("unknown env: code %d, stderr %q", code, stderr)
	}
	code, _, stderr = p.run("enable", "dark_mode_enabled")
	if code != ExitUsage || !strings.Contains(stderr, "which environment? pass --env (environments: staging, production)") {
		t.Errorf("no env: code %d, stderr %q", code, stderr)
	}
}

// TestConfigFlag: --config names the file (over FLAGCTL_CONFIG and the search).
func TestConfigFlag(t *testing.T) {
	p := newProject(t, map[string]string{
		".flagctl.yaml":  "environments: [found]\n",
		"other.yaml":     "environments: [by-flag]\n",
		"env-named.yaml": "environments: [by-env]\n",
	})
	for _, tt := range []struct {
		flag, env, want string
	}{
		{"other.yaml", "env-named.yaml", "by-flag"},
		{"", "env-named.yaml", "by-env"},
		{"", "", "found"},
	} {
		t.Setenv("FLAGCTL_CONFIG", "")
		if tt.env != "" {
			t.Setenv("FLAGCTL_CONFIG", filepath.Join(p.dir, tt.env))
		}
		io, _, _ := TestStreams()
		f := NewFactory(io)
		f.WorkDir = p.dir
		root := NewCmdRoot(f)
		var args []string
		if tt.flag != "" {
			args = []string{"--config", filepath.Join(p.dir, tt.flag)}
		}
		root.ParseFlags(args)
		c, err := f.Config()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.Environments, ","); got != tt.want {
			t.Errorf("flag %q env %q: environments %q, want %q", tt.flag, tt.env, got, tt.want)
		}
	}
}
