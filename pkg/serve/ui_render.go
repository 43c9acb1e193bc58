package serve

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// flashCookie carries the message of the last change to the next page.
const flashCookie = "flagctl_flash"

// pageBase is what every page's layout shows.
type pageBase struct {
	Title     string
	User      string
	SignedIn  bool // shows the sign-out button
	ReadOnly  bool
	Flash     string
	Protected bool // a protected environment is on this page: show the banner
}

func (u *ui) base(r *http.Request, title string) pageBase {
	b := pageBase{Title: title, ReadOnly: u.cfg.ReadOnly}
	if id := identityOf(r); id != nil {
		b.User = id.Name
		b.SignedIn = !id.anonymous && id.user != nil && id.user.PasswordHash != ""
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			b.Flash = v
		}
	}
	return b
}

// flash shows msg on the next page.
func (u *ui) flash(w http.ResponseWriter, msg string) {
	if len(msg) > 1000 {
		msg = msg[:1000] + "…"
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/ui/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: u.cfg.SecureCookies})
}

// render executes a page template into a buffer first, so a template error
// never sends half a page. It consumes the flash message.
func (u *ui) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := u.tmpl[page].Execute(&buf, data); err != nil {
		u.s.log.Error("rendering a dashboard page", "page", page, "error", err.Error())
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	if _, err := r.Cookie(flashCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/ui/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	pageBase
	Status  int
	Message string
}

// fail answers with an error page saying msg.
func (u *ui) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u.render(w, r, status, "error", &errorPage{pageBase: u.base(r, http.StatusText(status)), Status: status, Message: msg})
}

// uiFuncs are the template functions.
var uiFuncs = template.FuncMap{
	"pathEscape": url.PathEscape,
	"join":       strings.Join,
	"idForm":     newIDForm,
}

// idForm is the data of the flag page's form that adds actors or groups
// (template "idform"): one template serves both gates.
type idForm struct {
	Flag, Env, Hash string
	Gate            string // "actors" or "groups", the form field and the route
	Label           string
	Rows            int
}

func newIDForm(flag, env, hash, gate string) idForm {
	f := idForm{Flag: flag, Env: env, Hash: hash, Gate: gate, Label: "Actor IDs", Rows: 3}
	if gate == "groups" {
		f.Label, f.Rows = "Group names", 2
	}
	return f
}
