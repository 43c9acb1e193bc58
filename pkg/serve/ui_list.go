package serve

import (
	"bytes"
	"html/template"
	"net/http"
	"sync"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// listPage is the data of the flag list.
type listPage struct {
	pageBase
	Envs    []envHead
	Rows    []*row
	Total   int
	Filter  listFilter
	Owners  []string
	Kinds   []flagfile.Kind
	States  []State
	CanEdit bool      // may create flags in some environment
	NewEnv  []envHead // environments the user may create flags in
}

// envHead is one environment's column.
type envHead struct {
	Name      string
	Protected bool
	Err       string
	Hash      string
}

// list serves GET /ui/: every flag with its state per environment, filtered
// by the query (q, owner, kind, state, env).
func (u *ui) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := listFilter{Q: q.Get("q"), Owner: q.Get("owner"), Kind: q.Get("kind"), State: q.Get("state"), Env: q.Get("env")}
	p := listPage{pageBase: u.base(r, "Flags"), Filter: f, Kinds: flagfile.Kinds, States: []State{StateOn, StatePartly, StateOff, StateMissing, StateInvalid}}
	id := identityOf(r)
	var snaps []*snapshot
	for _, e := range u.s.order {
		if u.role(id, e.name) == "" {
			continue
		}
		s := u.read(e)
		snaps = append(snaps, s)
		h := envHead{Name: e.name, Protected: u.protected[e.name], Hash: s.HashHex()}
		if s.Err != nil {
			h.Err = s.Err.Error()
		}
		p.Protected = p.Protected || h.Protected
		p.Envs = append(p.Envs, h)
		if u.canEdit(id, e.name) && s.Err == nil {
			p.NewEnv = append(p.NewEnv, h)
		}
	}
	p.CanEdit = len(p.NewEnv) > 0
	all, owners, err := u.listRows(snaps, flagfile.DateOf(u.s.now()))
	if err != nil {
		u.fail(w, r, http.StatusInternalServerError, "The list could not be rendered.")
		return
	}
	p.Total, p.Owners = len(all), owners
	for _, rw := range all {
		if f.match(rw) {
			p.Rows = append(p.Rows, rw)
		}
	}
	u.render(w, r, http.StatusOK, "list", &p)
}

// listCache keeps the list's rows, each rendered once, for the last set of
// files (and visible environments) a list page showed: a page view then only
// filters and joins them.
type listCache struct {
	mu     sync.Mutex
	key    string
	rows   []*row
	owners []string
}

// listRows returns the rows of snaps, with their HTML, and the owners.
func (u *ui) listRows(snaps []*snapshot, today flagfile.Date) ([]*row, []string, error) {
	now := u.s.now()
	key := today.String()
	timed := false
	for _, s := range snaps {
		key += "|" + s.Env + ":" + s.HashHex()
		if s.File != nil {
			for _, fl := range s.File.Flags {
				timed = timed || fl.Timed()
			}
		}
	}
	if timed {
		// Ramps and schedules move states by the clock: rows are good for a second.
		key += "|" + now.Truncate(time.Second).String()
	}
	c := &u.listRowsCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key == key && c.rows != nil {
		return c.rows, c.owners, nil
	}
	all := rows(snaps, today, now)
	findings := u.staleFindings(snaps, today)
	var owners []string
	seen := map[string]bool{}
	var buf bytes.Buffer
	for _, rw := range all {
		if rw.Owner != "" && !seen[rw.Owner] {
			seen[rw.Owner] = true
			owners = append(owners, rw.Owner)
		}
		rw.Stale = findings[rw.Name]
		buf.Reset()
		if err := u.tmpl["list"].ExecuteTemplate(&buf, "row", rw); err != nil {
			u.s.log.Error("rendering a dashboard row", "flag", rw.Name, "error", err.Error())
			return nil, nil, err
		}
		rw.HTML = template.HTML(buf.String()) // escaped by html/template above
	}
	c.key, c.rows, c.owners = key, all, owners
	return all, owners, nil
}
