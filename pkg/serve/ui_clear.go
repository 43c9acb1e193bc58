package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// clearFlag serves POST /ui/env/{env}/flags/{flag}/clear: removes every gate
// of the flag in env (it is then off there); its metadata stays.
func (u *ui) clearFlag(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	u.write(w, r, change{env: e, flag: flag, edits: []flagfile.Edit{flagfile.ClearGates(flag)}})
}
