package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// createFlag serves POST /ui/env/{env}/flags: adds a flag (off: no gate) with
// its metadata to env's file.
func (u *ui) createFlag(w http.ResponseWriter, r *http.Request) {
	e, _, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	f := parseFlagForm(r)
	if !flagfile.ValidFlagName(f.Name) {
		u.fail(w, r, http.StatusBadRequest, "Flag name "+f.Name+" is not valid: use lower-case letters, digits and '_', starting with a letter (at most 100).")
		return
	}
	fl := &flagfile.Flag{Name: f.Name, Description: f.Description, Owner: f.Owner}
	if f.Expires != "" {
		d, err := flagfile.ParseDate(f.Expires)
		if err != nil {
			u.fail(w, r, http.StatusBadRequest, "expires: "+err.Error()+" (write YYYY-MM-DD)")
			return
		}
		fl.Expires = d
	}
	edits := []flagfile.Edit{flagfile.AddFlag(fl)}
	if f.Kind != "" { // checked like the metadata form: an unknown kind is the form's mistake
		edits = append(edits, flagfile.SetMeta(f.Name, flagfile.MetaKind, f.Kind))
	}
	u.write(w, r, change{env: e, flag: f.Name, edits: edits})
}
