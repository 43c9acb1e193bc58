package cmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// ConfigFileName is the project configuration file, found in the working
// directory or any parent.
const ConfigFileName = ".flagctl.yaml"

// maxConfigSize is the largest configuration file read (1 MiB).
const maxConfigSize = 1 << 20

// Factory holds what commands share: streams, configuration and the clock. Nothing
// is read from disk until a command asks for it, so --help never touches files.
type Factory struct {
	IO *IOStreams
	// Viper holds settings from flags, FLAGCTL_* variables and the config file.
	Viper *viper.Viper
	// Now is the clock (time.Now by default); tests fix it.
	Now func() time.Time
	// WorkDir is where the config file search starts ("" = the process's).
	WorkDir string
	// Getenv reads environment variables (os.Getenv by default).
	Getenv func(string) string

	globals *pflag.FlagSet
	cfg     *Config
	cfgErr  error
	// verbStarted is set once the command line parsed and a verb began to
	// run: errors before it are usage errors.
	verbStarted bool
	// restoreGC, when set, puts back the runtime's garbage collection for a
	// long-running verb (Main turns it off for short-lived ones).
	restoreGC func()
	// lockNotice is how long a writer waits for a held lock before saying so
	// (flagfile.DefaultWaitNotice when 0); tests shorten it.
	lockNotice time.Duration
}

// NewFactory returns a Factory for the real process.
func NewFactory(io *IOStreams) *Factory {
	v := viper.New()
	v.SetEnvPrefix("FLAGCTL")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_", ".", "_"))
	v.AutomaticEnv()
	return &Factory{IO: io, Viper: v, Now: time.Now, Getenv: os.Getenv}
}

// Config is the resolved configuration. Paths are absolute or relative to the
// working directory.
type Config struct {
	// File is the config file that was read ("" when none).
	File string
	// Dir is the directory of the environment files.
	Dir string
	// Environments are in promotion order: the configured list, or the *.yaml
	// files in Dir sorted by name.
	Environments []string
	// Configured is true when Environments came from the config.
	Configured bool
	// DefaultEnv is used when no --env is given.
	DefaultEnv string
	// Env is the environment named by --env or FLAGCTL_ENV ("" if none), as
	// given: "staging,production" when it names several (see Envs).
	Env string
	// Envs are the environments Env names (--env a,b or --env a --env b);
	// only editing verbs accept more than one.
	Envs []string
	// FlagFile is --file: one flag file named directly.
	FlagFile string
	// Naming is the naming convention lint checks (a regular expression).
	Naming string
	// Root is the directory of the config file, or the working directory.
	Root string
	// LockTimeout is how long an edit waits for a lock another process holds
	// (--lock-timeout, default flagfile.DefaultLockTimeout; 0 = do not wait).
	LockTimeout time.Duration

	v *viper.Viper
	// envSource is where Env came from: "--env" or "FLAGCTL_ENV".
	envSource string
}

// Config resolves the configuration once: flag > FLAGCTL_* variable > config file
// > default.
func (f *Factory) Config() (*Config, error) {
	if f.cfg != nil || f.cfgErr != nil {
		return f.cfg, f.cfgErr
	}
	f.cfg, f.cfgErr = f.loadConfig()
	return f.cfg, f.cfgErr
}

func (f *Factory) loadConfig() (*Config, error) {
	v := f.Viper
	wd := f.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, fileErr(err)
		}
	}
	c := &Config{Root: wd, v: v}
	var cp *configPositions
	path := v.GetString("config")
	if path == "" {
		path = findUp(wd, ConfigFileName)
	}
	if path != "" {
		// Read bounded, regular files only (never a FIFO or /dev/zero), then
		// hand viper the bytes.
		data, err := flagfile.ReadFile(path, maxConfigSize)
		if err != nil {
			return nil, fileErr(fmt.Errorf("config file: %w", err))
		}
		if cp, err = checkConfigFile(path, data); err != nil {
			return nil, err
		}
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, fileErr(fmt.Errorf("%s: %w", path, err))
		}
		c.File = path
		c.Root = filepath.Dir(path)
	}
	// dir: relative to the config file when it comes from there, else to the
	// working directory.
	c.Dir = v.GetString("dir")
	switch {
	case f.changed("dir") || f.Getenv("FLAGCTL_DIR") != "":
		if !filepath.IsAbs(c.Dir) { // relative to the working directory
			c.Dir = filepath.Join(wd, c.Dir)
		}
	case c.Dir != "":
		if !filepath.IsAbs(c.Dir) {
			c.Dir = filepath.Join(c.Root, c.Dir)
		}
	default:
		c.Dir = filepath.Join(c.Root, "flags")
	}
	c.Environments = splitList(v.GetStringSlice("environments"))
	c.Configured = len(c.Environments) > 0
	if err := checkEnvNames(c.Environments, func(i int) string {
		switch {
		case cp == nil || cp.pos("environments") == "":
			return "environments: "
		case len(cp.envs) == len(c.Environments):
			return cp.envs[i].String() + ": "
		}
		return cp.pos("environments")
	}); err != nil {
		return nil, err
	}
	if !c.Configured {
		c.Environments = scanEnvs(c.Dir)
	}
	c.DefaultEnv = v.GetString("default_env")
	c.Env = v.GetString("env")
	c.envSource = "FLAGCTL_ENV"
	if f.changed("env") {
		c.envSource = "--env"
	}
	if err := c.splitEnvs(); err != nil {
		return nil, err
	}
	c.FlagFile = v.GetString("file")
	if s := v.GetString("lock_timeout"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return nil, usageErr("lock timeout %q: use a duration such as 10s, 500ms or 0 (do not wait)", s)
		}
		c.LockTimeout = d
	}
	c.Naming = v.GetString("lint.naming")
	if c.Naming == "" {
		c.Naming = "_enabled$"
	}
	for _, e := range append([]string{c.DefaultEnv}, c.Envs...) {
		if e != "" && !flagfile.ValidEnvName(e) {
			return nil, usageErr("bad environment name %q: use lower-case letters, digits, '-' and '_', starting with a letter", e)
		}
	}
	if err := f.checkEnvChoice(c, cp); err != nil {
		return nil, err
	}
	return c, nil
}

func (f *Factory) changed(name string) bool {
	if f.globals == nil {
		return false
	}
	fl := f.globals.Lookup(name)
	return fl != nil && fl.Changed
}

// splitList accepts list settings written as a YAML list or a comma-separated
// string (FLAGCTL_ENVIRONMENTS=dev,prod).
func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			out = append(out, p)
		}
	}
	return out
}

func findUp(dir, name string) string {
	for {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// scanEnvs lists the environments found as DIR/*.yaml.
func scanEnvs(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if ok && !e.IsDir() && flagfile.ValidEnvName(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// EnvPath returns the flag file of env.
func (c *Config) EnvPath(env string) string { return filepath.Join(c.Dir, env+".yaml") }

// CheckEnv refuses an environment name that is malformed or not configured,
// suggesting the closest one.
func (c *Config) CheckEnv(env string) error {
	if !flagfile.ValidEnvName(env) {
		return usageErr("bad environment name %q: use lower-case letters, digits, '-' and '_', starting with a letter", env)
	}
	for _, e := range c.Environments {
		if e == env {
			return nil
		}
	}
	return usageErr("unknown environment %q%s (environments: %s)", env, flagfile.DidYouMean(env, c.Environments), envList(c.Environments))
}

func envList(envs []string) string {
	if len(envs) == 0 {
		return "none; run \"flagctl init\""
	}
	return strings.Join(envs, ", ")
}

// target is one flag file a command works on.
type target struct {
	Env  string // "" when --file names a file outside the configured set
	Path string
	// Expect is the environment the file must declare (ParseOptions.Env).
	Expect string
}

// OneEnv resolves the single environment a verb works on: --file, else --env or
// FLAGCTL_ENV, else default_env, else the only environment. It never guesses.
func (c *Config) OneEnv() (target, error) {
	if err := c.oneEnvOnly(); err != nil {
		return target{}, err
	}
	if c.FlagFile != "" {
		return c.fileTarget()
	}
	env := c.Env
	if env == "" {
		env = c.DefaultEnv
	}
	if env == "" {
		if len(c.Environments) != 1 {
			return target{}, usageErr("which environment? pass --env (environments: %s)", envList(c.Environments))
		}
		env = c.Environments[0]
	}
	if err := c.CheckEnv(env); err != nil {
		return target{}, err
	}
	return target{Env: env, Path: c.EnvPath(env), Expect: env}, nil
}

// AllEnvs returns every environment's file (or just --file / --env when given).
func (c *Config) AllEnvs(narrow bool) ([]target, error) {
	if narrow && len(c.Envs) > 1 && c.FlagFile == "" {
		out := make([]target, len(c.Envs))
		for i, e := range c.Envs {
			out[i] = target{Env: e, Path: c.EnvPath(e), Expect: e}
		}
		return out, nil
	}
	if err := c.oneEnvOnly(); err != nil {
		return nil, err
	}
	if c.FlagFile != "" {
		t, err := c.fileTarget()
		return []target{t}, err
	}
	if narrow && c.Env != "" {
		t, err := c.OneEnv()
		return []target{t}, err
	}
	if len(c.Environments) == 0 {
		return nil, usageErr("no environments: no *.yaml files in %s and none configured; run \"flagctl init\"", c.Dir)
	}
	out := make([]target, len(c.Environments))
	for i, e := range c.Environments {
		out[i] = target{Env: e, Path: c.EnvPath(e), Expect: e}
	}
	return out, nil
}

// planAll computes and verifies the edits of every file (flagfile.File.Plan),
// concurrently like loadTargets; nil for a file without edits. The first error
// in the files' order is returned, as a sequential loop would.
func planAll(f *Factory, files []*loaded, edits [][]flagfile.Edit) ([]*flagfile.Plan, error) {
	plans := make([]*flagfile.Plan, len(files))
	errs := make([]error, len(files))
	each(len(files), func(i int) {
		l := files[i]
		if len(edits[i]) == 0 {
			return
		}
		var err error
		if plans[i], err = l.File.Plan(l.parseOpts(), edits[i]...); err != nil {
			errs[i] = editErr(l.target, fmt.Errorf("%s: %w", f.displayPath(l.Path), err))
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return plans, nil
}

// each calls fn(0) … fn(n-1), one goroutine per CPU.
func each(n int, fn func(i int)) {
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// firstDefinitions returns every flag name in the order it first appears (files
// in promotion order) and, for each, the file that defines it first — the one
// whose metadata speaks for the flag.
func firstDefinitions(files []*loaded) ([]string, map[string]*loaded) {
	first := map[string]*loaded{}
	var order []string
	for _, l := range files {
		for _, fl := range l.File.Flags {
			if _, ok := first[fl.Name]; !ok {
				first[fl.Name] = l
				order = append(order, fl.Name)
			}
		}
	}
	return order, first
}

// unknownFlag is the error for a flag no file defines, with a suggestion.
func unknownFlag(name string, files ...*loaded) error {
	var names []string
	for _, l := range files {
		names = append(names, l.File.Names()...)
	}
	return usageErr("unknown flag %q%s", name, flagfile.DidYouMean(name, names))
}
