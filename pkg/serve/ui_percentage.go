package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// percentage serves POST /ui/env/{env}/flags/{flag}/percentage: sets the
// percentage of actors (gate=actors) or of time (gate=time) to value (a quick
// button) or custom (the typed value).
func (u *ui) percentage(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	f, err := parsePercentForm(r)
	if err != nil {
		u.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	edit := flagfile.SetPercentageOfActors(flag, f.Value)
	if f.Time {
		edit = flagfile.SetPercentageOfTime(flag, f.Value)
	}
	u.write(w, r, change{env: e, flag: flag, edits: u.inEffect(edit)})
}
