package serve

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// dummyHash is compared when the user is unknown, so a sign-in takes as long
// for an unknown name as for a wrong password.
var dummyHash = []byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6sF1HfZ6Xq8l7cxBYJ3J1vW")

// loginPage is the data of the sign-in page.
type loginPage struct {
	pageBase
	Next  string
	Name  string
	Error string
}

// safeNext keeps a post-sign-in redirect on the dashboard.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/ui/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/ui/"
	}
	return next
}

// loginForm serves GET /ui/login.
func (u *ui) loginForm(w http.ResponseWriter, r *http.Request) {
	if len(u.users) == 0 { // nobody signs in with a password here
		http.Redirect(w, r, "/ui/", http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "login", &loginPage{pageBase: u.base(r, "Sign in"), Next: safeNext(r.URL.Query().Get("next"))})
}

// login serves POST /ui/login: checks the name and password against the users
// file and starts a session.
func (u *ui) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	name, pw, next := r.PostFormValue("name"), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	if ok, wait := u.logins.take(clientAddr(r.RemoteAddr)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		u.render(w, r, http.StatusTooManyRequests, "login", &loginPage{pageBase: u.base(r, "Sign in"), Next: next, Name: name,
			Error: "Too many sign-in attempts from your address: wait a few seconds and try again."})
		return
	}
	usr := u.users[name]
	hash := dummyHash
	if usr != nil && usr.PasswordHash != "" {
		hash = []byte(usr.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil || usr == nil || usr.PasswordHash == "" {
		u.s.log.Warn("dashboard sign-in refused", "user", name, "remote", r.RemoteAddr)
		u.render(w, r, http.StatusUnauthorized, "login", &loginPage{pageBase: u.base(r, "Sign in"), Next: next, Name: name,
			Error: "The name or password is wrong."})
		return
	}
	u.setSession(w, usr.Name)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout serves POST /ui/logout.
func (u *ui) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/ui/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: u.cfg.SecureCookies})
	http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
}
