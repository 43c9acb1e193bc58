// Package serve is flagctl's HTTP server: it serves the flags of one or more
// environments over the OpenFeature Remote Evaluation Protocol (OFREP v0.3.0),
// so that services and browsers in any language read the same flags, with the
// same evaluator, as the Go library.
//
// Every environment's file is watched with eval.Watch: a change is served as soon
// as it is reloaded, a broken file keeps the last good flags (reported on
// /readyz and in the metrics), and one broken flag keeps its last good state.
//
// Routes (routes.go): the OFREP core API, an SSE change stream (ADR-0008),
// /healthz, /readyz and /metrics. Mux gives other handlers (the dashboard) a
// place on the same server.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Limits of the HTTP server. Each is a bound a client cannot stretch.
const (
	// ReadHeaderTimeout (5 s) bounds reading a request's headers: a client that
	// trickles them (slowloris) is dropped.
	ReadHeaderTimeout = 5 * time.Second
	// ReadTimeout (10 s) bounds reading a whole request; OFREP bodies are small.
	ReadTimeout = 10 * time.Second
	// WriteTimeout (10 s) bounds writing a response. SSE streams lift it for
	// their own connection.
	WriteTimeout = 10 * time.Second
	// IdleTimeout (120 s) closes keep-alive connections idle that long.
	IdleTimeout = 120 * time.Second
	// ShutdownTimeout (10 s) is how long Serve lets in-flight requests finish
	// after its context is cancelled (SIGTERM) before closing connections.
	ShutdownTimeout = 10 * time.Second
	// MaxBodyBytes (64 KiB) is the largest request body accepted; larger ones get
	// 413. An evaluation context is a few hundred bytes.
	MaxBodyBytes = 64 << 10
	// DefaultKeepAlive (15 s) is the interval of SSE keep-alive comments, below
	// the 30–60 s idle timeouts of common proxies and load balancers.
	DefaultKeepAlive = 15 * time.Second
	// InactivityDelaySec (120) is advertised in eventStreams: a browser closes its
	// stream after that many seconds hidden and re-fetches when it comes back.
	InactivityDelaySec = 120
	// RefetchWait (2 s) is how long a re-fetch that names a flag configuration
	// this replica has not loaded yet (flagConfigEtag) waits for the reload.
	RefetchWait = 2 * time.Second
	// MaxStreamsPerClient (16) bounds the SSE change streams open at once per
	// API key (a key's stream token counts as the key), or per client IP
	// address without keys: one more gets 429 with Retry-After. A browser opens
	// one stream per tab, so 16 covers a user's tabs while one leaked key or
	// misbehaving client cannot hold every connection of the server.
	MaxStreamsPerClient = 16
	// streamRetryAfter (5 s) is the Retry-After of a stream over the limit.
	streamRetryAfter = 5 * time.Second
	// loadRetry is how often an environment whose file could not be loaded is
	// tried again (Config.WaitForFiles).
	loadRetry = time.Second
	// timelinePoll is how often an environment with ramps or schedules checks
	// whether their gates in effect changed (the evaluator switches them on
	// time; this only bounds how late SSE clients hear of it).
	timelinePoll = time.Second
)

// ErrNoAuth is returned by Serve for a listener on a non-loopback address when
// no API key is configured and Config.InsecureNoAuth is false.
var ErrNoAuth = errors.New("no API keys are configured: anyone who can reach a non-loopback address could read every flag; configure serve.api_keys (or api_key_files) or pass --insecure-no-auth")

// Environment is one environment the server serves.
type Environment struct {
	// Name is the environment's name (flagfile.ValidEnvName).
	Name string
	// Path is its flag file.
	Path string
	// APIKeys are the keys that read this environment (X-API-Key or
	// Authorization: Bearer). A key belongs to one environment.
	APIKeys []string
}

// Config configures a Server. The zero value of each option is its default.
type Config struct {
	// Environments are served; at least one.
	Environments []Environment
	// DefaultEnv answers requests without an API key and without an
	// /env/NAME/ prefix when no key is configured at all. "" = the first
	// environment.
	DefaultEnv string
	// InsecureNoAuth allows Serve on a non-loopback address with no API keys.
	InsecureNoAuth bool
	// CORSOrigins are the browser origins allowed to call the API ("*" = any).
	// Empty: no CORS headers, browsers on other origins are refused.
	CORSOrigins []string
	// RateLimit is the number of requests per second each API key (or, without
	// keys, each client IP) may make, with bursts of RateBurst; 0 = no limit.
	RateLimit float64
	// RateBurst is the burst size of RateLimit; 0 = max(1, RateLimit).
	RateBurst int
	// Logger receives one record per request and the reload reports; nil =
	// slog.Default().
	Logger *slog.Logger
	// Registry receives the metrics; nil = a new registry served on /metrics.
	Registry *prometheus.Registry
	// KeepAlive is the SSE keep-alive interval; 0 = DefaultKeepAlive.
	KeepAlive time.Duration
	// WaitForFiles starts the server even when a flag file cannot be loaded yet
	// (a git-sync sidecar has not cloned the repository): the environment is
	// tried again every second and /readyz fails until it loads. By default New
	// fails.
	WaitForFiles bool
	// WatchOptions are passed to eval.Watch (Debounce, PollInterval, Strict).
	WatchOptions []eval.WatchOption
	// Now is the clock; nil = time.Now.
	Now func() time.Time
	// UI, when set, serves the dashboard under /ui/ (ui_*.go).
	UI *UIConfig
}

// Server serves the flags of its environments. Create it with New, serve its
// Handler (or call Serve), and Close it to stop watching the files.
type Server struct {
	cfg         Config
	log         *slog.Logger
	envs        map[string]*env
	order       []*env // as configured
	def         *env
	keys        []apiKey
	hasKeys     bool
	metrics     *metrics
	mux         *http.ServeMux
	handler     http.Handler
	limiter     *limiter
	corsOrigins map[string]bool
	corsAny     bool
	ui          *ui
	now         func() time.Time
	refetchWait time.Duration // RefetchWait; tests shorten it
	bufs        bufPool
	recs        sync.Pool // *recorder
	ctxs        sync.Pool // *evalContext
	// Header values shared by every response (net/http never modifies them).
	hJSON, hNoStore, hNoCache []string

	streamsMu sync.Mutex
	streams   map[string]int // open SSE streams per clientID
	closing   chan struct{}  // closed by Shutdown: SSE streams end
	closeOnce sync.Once
	cancel    context.CancelFunc
	wg        sync.WaitGroup
}

// New loads every environment and starts watching its file. It fails when a
// file cannot be loaded (unless WaitForFiles) or the configuration is wrong.
func New(cfg Config) (*Server, error) {
	if len(cfg.Environments) == 0 {
		return nil, errors.New("serve: no environment to serve")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, envs: map[string]*env{}, streams: map[string]int{}, closing: make(chan struct{}), now: cfg.Now, refetchWait: RefetchWait}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.hJSON, s.hNoStore, s.hNoCache = []string{"application/json"}, []string{"no-store"}, []string{"no-cache"}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cfg.KeepAlive <= 0 {
		s.cfg.KeepAlive = DefaultKeepAlive
	}
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg)
	seen := map[string]string{}
	for _, ec := range cfg.Environments {
		if !flagfile.ValidEnvName(ec.Name) {
			return nil, fmt.Errorf("serve: bad environment name %q: use lower-case letters, digits, '-' and '_', starting with a letter", ec.Name)
		}
		if s.envs[ec.Name] != nil {
			return nil, fmt.Errorf("serve: environment %s is listed twice", ec.Name)
		}
		e := newEnv(s, ec.Name, ec.Path)
		s.envs[ec.Name] = e
		s.order = append(s.order, e)
		for _, k := range ec.APIKeys {
			if k == "" {
				return nil, fmt.Errorf("serve: environment %s has an empty API key", ec.Name)
			}
			if other, dup := seen[k]; dup {
				return nil, fmt.Errorf("serve: one API key is configured for both %s and %s: a key belongs to one environment", other, ec.Name)
			}
			seen[k] = ec.Name
			s.keys = append(s.keys, newAPIKey(k, e, len(s.keys)))
		}
	}
	s.hasKeys = len(s.keys) > 0
	s.def = s.order[0]
	if cfg.DefaultEnv != "" {
		if s.def = s.envs[cfg.DefaultEnv]; s.def == nil {
			return nil, fmt.Errorf("serve: default environment %s is not served", cfg.DefaultEnv)
		}
	}
	for _, o := range cfg.CORSOrigins {
		if o == "*" {
			s.corsAny = true
			continue
		}
		if s.corsOrigins == nil {
			s.corsOrigins = map[string]bool{}
		}
		s.corsOrigins[o] = true
	}
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst, s.now)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	for _, e := range s.order {
		if err := e.start(ctx); err != nil {
			if !cfg.WaitForFiles {
				s.Close()
				return nil, err
			}
			s.log.Warn("flag file not loaded yet; retrying every second", "env", e.name, "error", err.Error())
			s.wg.Add(1)
			go e.retry(ctx)
		}
	}
	s.routes()
	if cfg.UI != nil {
		u, err := newUI(s, *cfg.UI)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.ui = u
		u.uiRoutes(s.mux)
	}
	return s, nil
}

// Handler returns the server's HTTP handler: every route behind the logging,
// metrics and recovery middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// Mux returns the router, for handlers that share the server (a dashboard):
// register patterns that do not start with /ofrep/, /env/, /healthz, /readyz
// or /metrics. They get the same logging, metrics and recovery.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Close stops watching the flag files and ends the SSE streams. It does not
// stop an http.Server; Serve does that.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	s.cancel()
	s.wg.Wait()
	for _, e := range s.order {
		if ev := e.live.Load(); ev != nil {
			ev.Close()
		}
	}
	return nil
}

// NewHTTPServer returns an http.Server for h with the server's limits.
func NewHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully: it
// stops accepting, ends the SSE streams cleanly, lets in-flight requests finish
// (at most ShutdownTimeout) and returns nil. A non-loopback listener without API
// keys is refused with ErrNoAuth unless Config.InsecureNoAuth.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if !s.hasKeys && !s.cfg.InsecureNoAuth && !IsLoopback(ln.Addr()) {
		ln.Close()
		return ErrNoAuth
	}
	if s.ui != nil && !s.ui.hasAuth() && !s.ui.cfg.InsecureNoAuth && !IsLoopback(ln.Addr()) {
		ln.Close()
		return ErrNoUIAuth
	}
	hs := NewHTTPServer(s.handler, s.log)
	hs.RegisterOnShutdown(func() { s.closeOnce.Do(func() { close(s.closing) }) })
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests", "timeout", ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	if err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// IsLoopback reports whether addr is a loopback address (127.0.0.0/8, ::1) — a
// listener only this machine can reach.
func IsLoopback(addr net.Addr) bool {
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
