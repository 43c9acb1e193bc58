package cmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/serve"
)

// DefaultServeAddr is where `flagctl serve` listens by default: loopback only.
const DefaultServeAddr = "127.0.0.1:8016"

// maxKeyFile (64 KiB) bounds an API key file.
const maxKeyFile = 64 << 10

// The `serve:` keys of .flagctl.yaml (each also a FLAGCTL_SERVE_* variable;
// the flags of the same name win).
const (
	cfgServeAddr           = "serve.addr"             // listen address
	cfgServeAPIKeys        = "serve.api_keys"         // env -> key or list of keys
	cfgServeAPIKeyFiles    = "serve.api_key_files"    // env -> file of keys, one a line
	cfgServeCORSOrigins    = "serve.cors_origins"     // list of browser origins, or "*"
	cfgServeRateLimit      = "serve.rate_limit"       // requests/s per key, 0 = off
	cfgServeRateBurst      = "serve.rate_burst"       // burst of rate_limit
	cfgServeInsecureNoAuth = "serve.insecure_no_auth" // allow non-loopback without keys
	cfgServeWaitForFiles   = "serve.wait_for_files"   // start before the files exist
	cfgServeLogFormat      = "serve.log_format"       // text | json
)

// ServeOptions are the inputs of `flagctl serve`.
type ServeOptions struct {
	Addr           string
	Envs           []string
	CORSOrigins    []string
	RateLimit      float64
	RateBurst      int
	InsecureNoAuth bool
	WaitForFiles   bool
	LogFormat      string

	// UI serves the dashboard under /ui/ (serve_ui.go).
	UI               bool
	ReadOnly         bool
	Commit           bool
	Push             string
	Propose          bool
	UIInsecureNoAuth bool

	// Context stops the server when done (nil: SIGINT or SIGTERM).
	Context context.Context
	// Listening, when set, is called with the bound address (tests).
	Listening func(addr string)
}

// NewCmdServe builds `flagctl serve`.
func NewCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:         "serve",
		Annotations: map[string]string{annotLongRunning: "true"},
		Short:       "Serve the flags over OFREP (OpenFeature Remote Evaluation Protocol)",
		Long: `Serves the flags of every environment (or --env ones, or one --file) over the
OpenFeature Remote Evaluation Protocol, for OpenFeature providers in any language
and in the browser. Files are watched: an edit is served as soon as it is reloaded,
and a broken file keeps the last good flags (reported on /readyz).

Endpoints: POST /ofrep/v1/evaluate/flags/{key}, POST /ofrep/v1/evaluate/flags,
GET /ofrep/v1/events (SSE), the same under /env/NAME/, /healthz, /readyz, /metrics.

API keys (X-API-Key or Authorization: Bearer) are set per environment in
.flagctl.yaml (serve.api_keys, or serve.api_key_files naming files of keys), or in
FLAGCTL_SERVE_API_KEYS=env=key,env=key; never in flag files. A key reads only its
environment. Without any key, requests get the environment of their /env/NAME/
prefix, else the default environment, and serve refuses a non-loopback address
unless --insecure-no-auth.`,
		Example: `  flagctl serve
  flagctl serve --env staging,production --addr :8016 --cors-origin https://app.example.com
  curl -s -XPOST localhost:8016/ofrep/v1/evaluate/flags/new_checkout_enabled -d '{"context":{"targetingKey":"user:42"}}'`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkFormat("log-format", opts.LogFormat, "text", "json"); err != nil {
				return err
			}
			opts.Envs = splitList(opts.Envs)
			if runF != nil {
				return runF(opts)
			}
			return serveRun(f, c, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", DefaultServeAddr, "listen address (host:port)")
	// --env shadows the global flag: serve takes several environments.
	fl.StringSliceVarP(&opts.Envs, "env", "e", nil, "environments to serve (repeatable, comma-separated; default: all)")
	fl.StringSliceVar(&opts.CORSOrigins, "cors-origin", nil, `browser origin allowed to call the API (repeatable; "*" = any)`)
	fl.Float64Var(&opts.RateLimit, "rate-limit", 0, "requests per second per API key (per client IP without keys); 0 = no limit")
	fl.IntVar(&opts.RateBurst, "rate-burst", 0, "burst size of --rate-limit (default: the rate)")
	fl.BoolVar(&opts.InsecureNoAuth, "insecure-no-auth", false, "serve a non-loopback address without API keys")
	fl.BoolVar(&opts.WaitForFiles, "wait-for-files", false, "start even if a flag file cannot be loaded yet; /readyz fails until it loads")
	fl.StringVar(&opts.LogFormat, "log-format", "text", "request log format: text|json")
	fl.BoolVar(&opts.UI, "ui", false, "serve the browser dashboard under /ui/")
	fl.BoolVar(&opts.ReadOnly, "read-only", false, "the dashboard shows the flags but changes nothing")
	fl.BoolVar(&opts.Commit, "commit", false, "the dashboard commits every change (author: the signed-in user)")
	fl.StringVar(&opts.Push, "push", "", "the dashboard pushes every commit to this remote (implies --commit)")
	fl.BoolVar(&opts.Propose, "propose", false, "the dashboard commits every change to a new branch flagctl/USER/FLAG-TIME and pushes it (with --push REMOTE)")
	fl.BoolVar(&opts.UIInsecureNoAuth, "ui-insecure-no-auth", false, "serve the dashboard on a non-loopback address without users or a trusted proxy")
	for key, name := range map[string]string{cfgServeAddr: "addr", cfgServeCORSOrigins: "cors-origin", cfgServeRateLimit: "rate-limit",
		cfgServeRateBurst: "rate-burst", cfgServeInsecureNoAuth: "insecure-no-auth", cfgServeWaitForFiles: "wait-for-files", cfgServeLogFormat: "log-format"} {
		_ = f.Viper.BindPFlag(key, fl.Lookup(name))
	}
	_ = cmd.RegisterFlagCompletionFunc("env", f.completeEnvs)
	return cmd
}

func serveRun(f *Factory, c *cobra.Command, opts *ServeOptions) error {
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	v := f.Viper
	opts.Addr = v.GetString(cfgServeAddr)
	opts.CORSOrigins = splitList(v.GetStringSlice(cfgServeCORSOrigins))
	opts.RateLimit = v.GetFloat64(cfgServeRateLimit)
	opts.RateBurst = v.GetInt(cfgServeRateBurst)
	opts.InsecureNoAuth = v.GetBool(cfgServeInsecureNoAuth)
	opts.WaitForFiles = v.GetBool(cfgServeWaitForFiles)
	if !c.Flags().Changed("log-format") && v.IsSet(cfgServeLogFormat) {
		opts.LogFormat = v.GetString(cfgServeLogFormat)
		if err := checkFormat("log-format", opts.LogFormat, "text", "json"); err != nil {
			return usageErr("%s: %v", cfgServeLogFormat, err)
		}
	}
	envs, err := serveEnvironments(cfg, opts)
	if err != nil {
		return err
	}
	if err := serveKeys(f, cfg, envs); err != nil {
		return err
	}
	var h slog.Handler = slog.NewTextHandler(f.IO.ErrOut, nil)
	if opts.LogFormat == "json" {
		h = slog.NewJSONHandler(f.IO.ErrOut, nil)
	}
	log := slog.New(h)
	scfg := serve.Config{Environments: envs, DefaultEnv: cfg.DefaultEnv, InsecureNoAuth: opts.InsecureNoAuth,
		CORSOrigins: opts.CORSOrigins, RateLimit: opts.RateLimit, RateBurst: opts.RateBurst, Logger: log, WaitForFiles: opts.WaitForFiles}
	if opts.UI {
		if scfg.UI, err = serveUIConfig(v, cfg, opts); err != nil {
			return err
		}
	} else if opts.ReadOnly || opts.Commit || opts.Push != "" || opts.Propose {
		return usageErr("--read-only, --commit, --push and --propose configure the dashboard: add --ui")
	}
	if !served(envs, scfg.DefaultEnv) {
		scfg.DefaultEnv = ""
	}
	if opts.RateLimit < 0 || opts.RateBurst < 0 {
		return usageErr("--rate-limit and --rate-burst must not be negative")
	}
	hasKeys := false
	for _, e := range envs {
		hasKeys = hasKeys || len(e.APIKeys) > 0
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return usageErr("listen on %s: %v", opts.Addr, err)
	}
	if !hasKeys && !opts.InsecureNoAuth && !serve.IsLoopback(ln.Addr()) {
		ln.Close()
		return usageErr("refusing to serve %s without API keys: %v", opts.Addr, serve.ErrNoAuth)
	}
	if u := scfg.UI; u != nil && len(u.Users) == 0 && len(u.TrustedProxies) == 0 && !u.InsecureNoAuth && !serve.IsLoopback(ln.Addr()) {
		ln.Close()
		return usageErr("refusing to serve the dashboard on %s without authentication: %v", opts.Addr, serve.ErrNoUIAuth)
	}
	s, err := serve.New(scfg)
	if err != nil {
		ln.Close()
		return fileErr(err)
	}
	defer s.Close()
	ctx := opts.Context
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = e.Name
	}
	log.Info("serving flags over OFREP", "addr", "http://"+ln.Addr().String(), "environments", strings.Join(names, ","), "api_keys", hasKeys)
	if scfg.UI != nil {
		log.Info("serving the dashboard", "url", "http://"+ln.Addr().String()+"/ui/", "read_only", scfg.UI.ReadOnly, "git", scfg.UI.Git != nil)
	}
	if opts.Listening != nil {
		opts.Listening(ln.Addr().String())
	}
	if err := s.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		return &ExitError{Code: 1, Err: err}
	}
	return nil
}

func served(envs []serve.Environment, name string) bool {
	for _, e := range envs {
		if e.Name == name {
			return true
		}
	}
	return false
}

// serveEnvironments resolves what to serve: --file (one file, named after its
// environment: field or its base name), else --env's list, else every
// environment.
func serveEnvironments(cfg *Config, opts *ServeOptions) ([]serve.Environment, error) {
	if cfg.FlagFile != "" {
		data, err := flagfile.ReadFile(cfg.FlagFile, 0)
		if err != nil {
			return nil, fileErr(err)
		}
		file, err := flagfile.Parse(cfg.FlagFile, data, flagfile.ParseOptions{})
		if file == nil {
			return nil, fileErr(err)
		}
		name := file.Environment
		if !flagfile.ValidEnvName(name) {
			name = strings.TrimSuffix(filepath.Base(cfg.FlagFile), filepath.Ext(cfg.FlagFile))
		}
		if !flagfile.ValidEnvName(name) {
			name = "default"
		}
		return []serve.Environment{{Name: name, Path: cfg.FlagFile}}, nil
	}
	names := opts.Envs
	if len(names) == 0 && cfg.Env != "" {
		names = splitList([]string{cfg.Env}) // FLAGCTL_ENV=staging,production
	}
	if len(names) == 0 {
		names = cfg.Environments
	}
	if len(names) == 0 {
		return nil, usageErr("no environments: no *.yaml files in %s and none configured; run \"flagctl init\"", cfg.Dir)
	}
	var out []serve.Environment
	seen := map[string]bool{}
	for _, n := range names {
		// --wait-for-files: the directory may not exist yet (a git-sync sidecar
		// has not cloned), so an environment named outright need not be found.
		waiting := opts.WaitForFiles && !cfg.Configured && flagfile.ValidEnvName(n)
		if err := cfg.CheckEnv(n); err != nil && !waiting {
			return nil, err
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, serve.Environment{Name: n, Path: cfg.EnvPath(n)})
		}
	}
	return out, nil
}

// serveKeys reads the API keys of every served environment: serve.api_keys
// (a key or a list per environment, or FLAGCTL_SERVE_API_KEYS=env=key,…) and
// serve.api_key_files (a file per environment, one key a line, # comments).
func serveKeys(f *Factory, cfg *Config, envs []serve.Environment) error {
	v := f.Viper
	keys := map[string][]string{}
	switch raw := v.Get(cfgServeAPIKeys).(type) {
	case nil:
	case string: // from FLAGCTL_SERVE_API_KEYS
		for _, pair := range splitList([]string{raw}) {
			env, key, ok := strings.Cut(pair, "=")
			if !ok || key == "" || env == "" {
				return usageErr("FLAGCTL_SERVE_API_KEYS: an entry is not env=key (write staging=KEY,production=KEY)")
			}
			keys[env] = append(keys[env], key)
		}
	case map[string]any:
		for env, val := range raw {
			switch k := val.(type) {
			case string:
				keys[env] = append(keys[env], k)
			case []any:
				for _, x := range k {
					s, ok := x.(string)
					if !ok || s == "" {
						return usageErr("%s: %s.%s must list non-empty strings", cfg.File, cfgServeAPIKeys, env)
					}
					keys[env] = append(keys[env], s)
				}
			default:
				return usageErr("%s: %s.%s must be a key or a list of keys", cfg.File, cfgServeAPIKeys, env)
			}
		}
	default:
		return usageErr("%s: %s must map environments to keys", cfg.File, cfgServeAPIKeys)
	}
	for env, path := range v.GetStringMapString(cfgServeAPIKeyFiles) {
		if !filepath.IsAbs(path) {
			path = filepath.Join(cfg.Root, path)
		}
		data, err := flagfile.ReadFile(path, maxKeyFile)
		if err != nil {
			return fileErr(fmt.Errorf("%s.%s: %w", cfgServeAPIKeyFiles, env, err))
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				keys[env] = append(keys[env], line)
			}
		}
	}
	var unknown []string
	for env := range keys {
		// Keys of the project's other environments are not an error: --env
		// and --file serve some of them.
		if !served(envs, env) && cfg.CheckEnv(env) != nil {
			unknown = append(unknown, env)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return usageErr("API keys are configured for unknown environments: %s (environments: %s)", strings.Join(unknown, ", "), envList(cfg.Environments))
	}
	for i := range envs {
		envs[i].APIKeys = keys[envs[i].Name]
	}
	return nil
}
