package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// removeGate serves POST /ui/env/{env}/flags/{flag}/gates/remove: removes one
// actor or group gate (gate=actor|group, id), or the boolean gate
// (gate=boolean) or the percentage gate (gate=percentage).
func (u *ui) removeGate(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	id := r.PostFormValue("id")
	var edit flagfile.Edit
	switch r.PostFormValue("gate") {
	case "actor":
		edit = flagfile.ClearActor(flag, id)
	case "group":
		edit = flagfile.ClearGroup(flag, id)
	case "boolean":
		edit = flagfile.ClearBoolean(flag)
	case "percentage":
		edit = flagfile.ClearPercentage(flag)
	default:
		u.fail(w, r, http.StatusBadRequest, "gate must be actor, group, boolean or percentage")
		return
	}
	u.write(w, r, change{env: e, flag: flag, edits: u.inEffect(edit)})
}
