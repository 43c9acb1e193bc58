package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// quickPercents are the percentage buttons of the flag page.
var quickPercents = []string{"1", "5", "10", "25", "50", "100"}

// flagPage is the data of one flag's page.
type flagPage struct {
	pageBase
	Name        string
	Description string
	Owner       string
	Kind        string
	Expires     string
	Envs        []*envView
	Quick       []string
	Kinds       []flagfile.Kind
	Promote     []promotion
}

// promotion is one "promote from → to" button: neighbours in promotion order.
type promotion struct{ From, To, Hash string }

// envView is one environment on the flag page.
type envView struct {
	Name      string
	Protected bool
	CanEdit   bool
	Hash      string
	Err       string
	Defined   bool
	State     State
	Boolean   string // "on", "off" or "" (not set)
	Actors    []flagfile.Gate
	Groups    []flagfile.Gate
	PoA, PoT  string
	// Timeline says what the ramps and schedule do now and next ("" for a
	// flag without them); the state and percentages above are those in effect.
	Timeline string
	// Problems are the flag's errors in the file: the server answers with
	// its last good state until they are fixed.
	Problems []string
	Meta     metaView
}

// metaView is a flag's metadata in one environment (the edit form).
type metaView struct{ Description, Owner, Kind, Created, Expires string }

// pathFlag returns the {flag} of the request's path; a name that cannot be a
// flag is answered with 404 and ok false.
func (u *ui) pathFlag(w http.ResponseWriter, r *http.Request) (name string, ok bool) {
	name = r.PathValue("flag")
	if !flagfile.ValidFlagName(name) {
		u.fail(w, r, http.StatusNotFound, "No such flag: flag names are lower-case letters, digits and '_', starting with a letter.")
		return "", false
	}
	return name, true
}

// flag serves GET /ui/flags/{flag}: every gate per environment, with the
// action forms for the environments the user may change.
func (u *ui) flag(w http.ResponseWriter, r *http.Request) {
	name, ok := u.pathFlag(w, r)
	if !ok {
		return
	}
	id := identityOf(r)
	p := flagPage{pageBase: u.base(r, name), Name: name, Quick: quickPercents, Kinds: flagfile.Kinds}
	found := false
	for _, e := range u.s.order {
		if u.role(id, e.name) == "" {
			continue
		}
		s := u.read(e)
		v := &envView{Name: e.name, Protected: u.protected[e.name], CanEdit: u.canEdit(id, e.name) && s.Err == nil, Hash: s.HashHex(), State: StateMissing}
		p.Envs = append(p.Envs, v)
		if s.Err != nil {
			v.Err = s.Err.Error()
			continue
		}
		fl := s.File.Flag(name)
		if fl == nil {
			continue
		}
		found = true
		p.Protected = p.Protected || v.Protected
		now := u.s.now()
		v.Defined, v.State = true, flagState(fl, now)
		for _, pr := range fl.Problems {
			v.Problems = append(v.Problems, pr.Error())
		}
		if fl.Timed() {
			v.Timeline = fl.Status(now)
		}
		// The gates in effect now, like the state badge and eval: a schedule
		// entry that came due may have set the boolean, actors or groups.
		eff := effective(fl, now)
		if eff.Boolean != nil {
			v.Boolean = "off"
			if *eff.Boolean {
				v.Boolean = "on"
			}
		}
		v.Actors, v.Groups = eff.Actors, eff.Groups
		if eff.PercentageOfActors != 0 {
			v.PoA = eff.PercentageOfActors.String()
		}
		if eff.PercentageOfTime != 0 {
			v.PoT = eff.PercentageOfTime.String()
		}
		v.Meta = metaView{fl.Description, fl.Owner, string(fl.Kind), fl.Created.String(), fl.Expires.String()}
		if p.Description == "" {
			p.Description, p.Owner, p.Kind, p.Expires = fl.Description, fl.Owner, string(fl.Kind), fl.Expires.String()
		}
	}
	for i := 1; i < len(p.Envs); i++ {
		from, to := p.Envs[i-1], p.Envs[i]
		if from.Defined && len(from.Problems) == 0 && to.CanEdit {
			p.Promote = append(p.Promote, promotion{From: from.Name, To: to.Name, Hash: to.Hash})
		}
	}
	if !found {
		u.fail(w, r, http.StatusNotFound, "No environment defines flag "+name+".")
		return
	}
	u.render(w, r, http.StatusOK, "flag", &p)
}
