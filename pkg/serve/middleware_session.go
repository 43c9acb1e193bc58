package serve

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sessionCookie is the name of the dashboard's session cookie.
const sessionCookie = "flagctl_session"

// identity is the signed-in user of a dashboard request.
type identity struct {
	Name, Email string
	user        *User // nil for anonymous (no auth) and unknown proxy users
	anonymous   bool
}

type identityKey struct{}

func identityOf(r *http.Request) *identity {
	id, _ := r.Context().Value(identityKey{}).(*identity)
	return id
}

// role is id's role in env.
func (u *ui) role(id *identity, env string) Role {
	switch {
	case id == nil:
		return ""
	case id.anonymous:
		return RoleEditor
	case id.user != nil:
		return id.user.role(env)
	case u.cfg.ProxyRoles != nil:
		if r, ok := u.cfg.ProxyRoles[env]; ok {
			return r
		}
		return u.cfg.ProxyRoles["*"]
	default:
		return RoleViewer
	}
}

// canEdit reports whether id may change env's flags.
func (u *ui) canEdit(id *identity, env string) bool {
	return !u.cfg.ReadOnly && u.role(id, env) == RoleEditor
}

// signSession returns the cookie value for user name until exp:
// base64(name) "." expiry "." HMAC-SHA256 of both and of the user's password
// hash, so that a new password (a changed users file) ends the sessions opened
// with the old one.
func (u *ui) signSession(name string, exp time.Time) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(name)) + "." + strconv.FormatInt(exp.Unix(), 10)
	return payload + "." + base64.RawURLEncoding.EncodeToString(u.sessionMAC(payload, name))
}

// sessionMAC is the signature of a session payload for user name.
func (u *ui) sessionMAC(payload, name string) []byte {
	mac := hmac.New(sha256.New, u.key)
	mac.Write([]byte(payload))
	if usr := u.users[name]; usr != nil {
		mac.Write([]byte{0})
		mac.Write([]byte(usr.PasswordHash))
	}
	return mac.Sum(nil)
}

// verifySession returns the user name of a valid, unexpired cookie value.
func (u *ui) verifySession(v string, now time.Time) (string, bool) {
	i := strings.LastIndexByte(v, '.')
	if i < 0 {
		return "", false
	}
	payload, sig := v[:i], v[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return "", false
	}
	b64, expS, ok := strings.Cut(payload, ".")
	if !ok {
		return "", false
	}
	name, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil {
		return "", false
	}
	if !hmac.Equal(got, u.sessionMAC(payload, string(name))) {
		return "", false
	}
	exp, err := strconv.ParseInt(expS, 10, 64)
	if err != nil || now.Unix() >= exp {
		return "", false
	}
	return string(name), true
}

// setSession signs name in.
func (u *ui) setSession(w http.ResponseWriter, name string) {
	exp := u.s.now().Add(SessionLifetime)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: u.signSession(name, exp), Path: "/ui/",
		Expires: exp, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: u.cfg.SecureCookies})
}

// fromTrustedProxy reports whether r comes from a configured proxy address.
func (u *ui) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range u.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// identify finds the request's user: the trusted proxy's headers, else the
// session cookie, else anonymous when the dashboard has no authentication.
func (u *ui) identify(r *http.Request) *identity {
	if !u.hasAuth() {
		return &identity{Name: "anonymous", anonymous: true}
	}
	if len(u.cfg.TrustedProxies) > 0 && u.fromTrustedProxy(r) {
		if name := r.Header.Get("X-Forwarded-User"); name != "" && !strings.ContainsAny(name, "<>\n\r\x00") {
			id := &identity{Name: name, Email: r.Header.Get("X-Forwarded-Email"), user: u.users[name]}
			if strings.ContainsAny(id.Email, "<>\n\r\x00") {
				id.Email = ""
			}
			if id.user != nil && id.Email == "" {
				id.Email = id.user.Email
			}
			return id
		}
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if name, ok := u.verifySession(c.Value, u.s.now()); ok {
			if usr := u.users[name]; usr != nil && usr.PasswordHash != "" {
				return &identity{Name: usr.Name, Email: usr.Email, user: usr}
			}
		}
	}
	return nil
}

// signedIn sends requests without a user to the sign-in page (GET) or
// answers 401 (other methods), and puts the user in the request's context.
func (u *ui) signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := u.identify(r)
		if id == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/ui/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			u.fail(w, r, http.StatusUnauthorized, "Sign in first: your session has expired or you are not signed in.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
	})
}
