package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// boolean serves POST /ui/env/{env}/flags/{flag}/boolean: on=true|false sets
// the boolean gate.
func (u *ui) boolean(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	on, err := parseOnOff(r.PostFormValue("on"))
	if err != nil {
		u.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	u.write(w, r, change{env: e, flag: flag, edits: u.inEffect(flagfile.SetBoolean(flag, on))})
}
