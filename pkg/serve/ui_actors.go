package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// actors serves POST /ui/env/{env}/flags/{flag}/actors: adds several actor
// gates at once (ids separated by commas or line breaks), on or off.
func (u *ui) actors(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	f, err := parseGatesForm(r, "actors")
	if err != nil {
		u.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	edits := make([]flagfile.Edit, len(f.IDs))
	for i, id := range f.IDs {
		edits[i] = flagfile.SetActor(flag, id, f.On)
	}
	u.write(w, r, change{env: e, flag: flag, edits: u.inEffect(edits...)})
}
