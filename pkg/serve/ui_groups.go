package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// groups serves POST /ui/env/{env}/flags/{flag}/groups: adds several group
// gates at once, on or off.
func (u *ui) groups(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	f, err := parseGatesForm(r, "groups")
	if err != nil {
		u.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	edits := make([]flagfile.Edit, len(f.IDs))
	for i, id := range f.IDs {
		edits[i] = flagfile.SetGroup(flag, id, f.On)
	}
	u.write(w, r, change{env: e, flag: flag, edits: u.inEffect(edits...)})
}
