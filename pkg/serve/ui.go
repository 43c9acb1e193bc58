package serve

import (
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// The dashboard's templates and static files, embedded: no build step.
//
//go:embed templates/*.html
var uiTemplates embed.FS

//go:embed static
var uiStatic embed.FS

// SessionLifetime (12 hours) is how long a dashboard sign-in lasts: a working
// day, after which the user signs in again.
const SessionLifetime = 12 * time.Hour

// Sign-in attempts per client address: a burst of loginBurst, then one every
// 1/loginRate seconds (5 s), so a password cannot be guessed at speed.
const (
	loginRate  = 0.2
	loginBurst = 10
)

// maxFormBytes (256 KiB) bounds a dashboard form: a list of actors pasted at
// once fits many times over.
const maxFormBytes = 256 << 10

// ErrNoUIAuth is returned by Serve for a listener on a non-loopback address
// when the dashboard is on without a users file or trusted proxy and
// UIConfig.InsecureNoAuth is false.
var ErrNoUIAuth = errors.New("the dashboard has no authentication: anyone who can reach a non-loopback address could change every flag; configure serve.ui.users_file or serve.ui.trusted_proxies, or pass --ui-insecure-no-auth")

// Role is what a dashboard user may do in an environment.
type Role string

// The roles. A user without a role in an environment cannot see it.
const (
	RoleViewer Role = "viewer"
	RoleEditor Role = "editor"
)

// User is one dashboard user.
type User struct {
	// Name signs in and is the author name of commits.
	Name string `yaml:"name"`
	// Email is the author email of commits.
	Email string `yaml:"email"`
	// PasswordHash is a bcrypt hash; empty for users only known through the
	// trusted proxy.
	PasswordHash string `yaml:"password_hash"`
	// Roles maps an environment (or "*" for every other one) to the user's role.
	Roles map[string]Role `yaml:"roles"`
}

// role returns u's role in env ("" = none).
func (u *User) role(env string) Role {
	if r, ok := u.Roles[env]; ok {
		return r
	}
	return u.Roles["*"]
}

// UIConfig turns on the dashboard (Config.UI) and configures it.
type UIConfig struct {
	// Users are the users who sign in with a password; with TrustedProxies,
	// their entries also give proxy users their roles.
	Users []User
	// TrustedProxies are the addresses of an authenticating proxy whose
	// X-Forwarded-User and X-Forwarded-Email headers are believed. Requests
	// from elsewhere never are.
	TrustedProxies []netip.Prefix
	// ProxyRoles are the roles of proxy users not listed in Users; nil = viewer
	// everywhere.
	ProxyRoles map[string]Role
	// InsecureNoAuth lets Serve run the dashboard on a non-loopback address
	// without authentication. Without Users and TrustedProxies, every visitor
	// is an editor named "anonymous".
	InsecureNoAuth bool
	// ReadOnly shows the flags but refuses every change.
	ReadOnly bool
	// Protected environments show a banner and need the flag name typed to
	// confirm a change.
	Protected []string
	// SessionKey signs the session cookies; nil = random per process (every
	// restart signs everyone out).
	SessionKey []byte
	// Git commits every change (Commit), pushes it (Push) or proposes it on a
	// branch (Propose); nil = files only.
	Git *GitConfig
	// SecureCookies marks cookies Secure (serve behind HTTPS).
	SecureCookies bool
}

// ui is the dashboard's state.
type ui struct {
	s             *Server
	cfg           UIConfig
	tmpl          map[string]*template.Template
	users         map[string]*User
	protected     map[string]bool
	key           []byte
	files         fileCache
	stale         staleCache
	listRowsCache listCache
	gitMu         sync.Mutex // one git operation at a time
	logins        *limiter   // sign-in attempts per client address
}

func newUI(s *Server, cfg UIConfig) (*ui, error) {
	u := &ui{s: s, cfg: cfg, users: map[string]*User{}, protected: map[string]bool{}, key: cfg.SessionKey,
		logins: newLimiter(loginRate, loginBurst, s.now)}
	for i := range cfg.Users {
		usr := &cfg.Users[i]
		if usr.Name == "" || strings.ContainsAny(usr.Name, "<>\n\r\x00") {
			return nil, fmt.Errorf("serve: dashboard user %d: a name without <, >, or line breaks is required", i+1)
		}
		if u.users[usr.Name] != nil {
			return nil, fmt.Errorf("serve: dashboard user %s is listed twice", usr.Name)
		}
		for env, r := range usr.Roles {
			if r != RoleViewer && r != RoleEditor {
				return nil, fmt.Errorf("serve: dashboard user %s: role %q in %s is not viewer or editor", usr.Name, r, env)
			}
		}
		u.users[usr.Name] = usr
	}
	for _, p := range cfg.Protected {
		if s.envs[p] == nil {
			return nil, fmt.Errorf("serve: protected environment %s is not served", p)
		}
		u.protected[p] = true
	}
	if len(u.key) == 0 {
		u.key = make([]byte, 32)
		rand.Read(u.key)
	}
	sub, err := fs.Sub(uiTemplates, "templates")
	if err != nil {
		return nil, err
	}
	u.tmpl = map[string]*template.Template{}
	for _, page := range []string{"list", "flag", "login", "confirm", "error", "history"} {
		t, err := template.New("layout.html").Funcs(uiFuncs).ParseFS(sub, "layout.html", page+".html")
		if err != nil {
			return nil, err
		}
		u.tmpl[page] = t
	}
	if cfg.Git != nil {
		if err := cfg.Git.check(); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// hasAuth reports whether the dashboard authenticates its users.
func (u *ui) hasAuth() bool { return len(u.users) > 0 || len(u.cfg.TrustedProxies) > 0 }

// staticHandler serves the embedded stylesheet and script.
func (u *ui) staticHandler() http.Handler {
	sub, _ := fs.Sub(uiStatic, "static")
	fsrv := http.StripPrefix("/ui/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}
