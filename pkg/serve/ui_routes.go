package serve

import "net/http"

// uiRoutes wires the dashboard under /ui/. Every page gets the security
// headers; every state-changing request the cross-origin protection and a
// bounded body; every page but sign-in and the static files a user.
func (u *ui) uiRoutes(mux *http.ServeMux) {
	page := func(h http.HandlerFunc) http.Handler { return secureHeaders(u.signedIn(h)) }
	action := func(h http.HandlerFunc) http.Handler { return secureHeaders(crossOrigin(limitForm(u.signedIn(h)))) }
	mux.Handle("GET /ui/static/", secureHeaders(u.staticHandler()))
	mux.Handle("GET /ui/login", secureHeaders(http.HandlerFunc(u.loginForm)))
	mux.Handle("POST /ui/login", secureHeaders(crossOrigin(limitForm(http.HandlerFunc(u.login)))))
	mux.Handle("POST /ui/logout", secureHeaders(crossOrigin(http.HandlerFunc(u.logout))))
	mux.Handle("GET /ui/{$}", page(u.list))
	mux.Handle("GET /ui/flags/{flag}", page(u.flag))
	mux.Handle("POST /ui/env/{env}/flags", action(u.createFlag))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/boolean", action(u.boolean))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/actors", action(u.actors))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/groups", action(u.groups))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/gates/remove", action(u.removeGate))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/percentage", action(u.percentage))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/clear", action(u.clearFlag))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/remove", action(u.removeFlag))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/meta", action(u.editMeta))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/promote", action(u.promote))
	mux.Handle("POST /ui/env/{env}/flags/{flag}/restore", action(u.restore))
	mux.Handle("GET /ui/flags/{flag}/history", page(u.flagHistory))
	mux.Handle("GET /ui", http.RedirectHandler("/ui/", http.StatusMovedPermanently))
}
