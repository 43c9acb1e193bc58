package serve

import (
	"net/http"

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
	p := listPage{pageBase: u.base(r, "Flags"), Filter: f, Kinds: flagfile.Kinds, States: []State{StateOn, StatePartly, StateOff, StateMissing}}
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
	today := flagfile.DateOf(u.s.now())
	all := rows(snaps, today)
	findings := u.staleFindings(snaps, today)
	p.Total = len(all)
	owners := map[string]bool{}
	for _, rw := range all {
		if rw.Owner != "" && !owners[rw.Owner] {
			owners[rw.Owner] = true
			p.Owners = append(p.Owners, rw.Owner)
		}
		rw.Stale = findings[rw.Name]
		if f.match(rw) {
			p.Rows = append(p.Rows, rw)
		}
	}
	u.render(w, r, http.StatusOK, "list", &p)
}
