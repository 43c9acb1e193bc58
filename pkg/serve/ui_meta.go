package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// editMeta serves POST /ui/env/{env}/flags/{flag}/meta: sets the description,
// owner, kind and expiry date (an empty field removes it).
func (u *ui) editMeta(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	f := parseFlagForm(r)
	u.write(w, r, change{env: e, flag: flag, edits: []flagfile.Edit{
		flagfile.SetMeta(flag, flagfile.MetaDescription, f.Description),
		flagfile.SetMeta(flag, flagfile.MetaOwner, f.Owner),
		flagfile.SetMeta(flag, flagfile.MetaKind, f.Kind),
		flagfile.SetMeta(flag, flagfile.MetaExpires, f.Expires),
	}, meta: true})
}
