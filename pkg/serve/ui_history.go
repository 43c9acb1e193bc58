package serve

import (
	"net/http"
	"strings"

	"github.com/flagctl/flagctl/pkg/history"
)

// historyPage is the data of a flag's timeline.
type historyPage struct {
	pageBase
	Name    string
	Err     string
	Entries []historyEntry
	Hashes  map[string]string // env -> current content hash (restore forms)
	CanEdit map[string]bool
}

// historyEntry is one change of the flag in one commit and environment.
type historyEntry struct {
	Date, Author, Short, Hash, Env, Change, Subject string
}

// flagHistory serves GET /ui/flags/{flag}/history: the flag's changes from
// git, newest first, with "restore to this" per environment.
func (u *ui) flagHistory(w http.ResponseWriter, r *http.Request) {
	name, ok := u.pathFlag(w, r)
	if !ok {
		return
	}
	id := identityOf(r)
	p := historyPage{pageBase: u.base(r, name+" · history"), Name: name, Hashes: map[string]string{}, CanEdit: map[string]bool{}}
	var files []history.File
	var first *env
	for _, e := range u.s.order {
		if u.role(id, e.name) == "" {
			continue
		}
		if first == nil {
			first = e
		}
		files = append(files, history.File{Env: e.name, Path: e.path})
		p.Hashes[e.name] = u.read(e).HashHex()
		p.CanEdit[e.name] = u.canEdit(id, e.name)
	}
	if first == nil {
		u.fail(w, r, http.StatusForbidden, "You may not see any environment.")
		return
	}
	repo, err := u.repo(first)
	if err != nil {
		p.Err = err.Error()
		u.render(w, r, http.StatusOK, "history", &p)
		return
	}
	entries, err := repo.History(files, history.LogOptions{})
	if err != nil {
		p.Err = err.Error()
	}
	for _, en := range entries {
		for _, ch := range en.Changes {
			if ch.Flag != name {
				continue
			}
			p.Entries = append(p.Entries, historyEntry{Date: strings.Replace(en.Date, "T", " ", 1), Author: en.Author, Short: en.Short, Hash: en.Hash,
				Env: ch.Env, Change: ch.String(), Subject: en.Subject})
		}
	}
	u.render(w, r, http.StatusOK, "history", &p)
}
