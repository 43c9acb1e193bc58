package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// fieldSource is the content hash of the promotion's source file the review
// page showed the diff of.
const fieldSource = "source"

// promote serves POST /ui/env/{env}/flags/{flag}/promote: copies the flag's
// gates from environment `from` to {env} (adding the flag there when
// missing). The first post shows the semantic diff; only the confirmed one
// (reviewed=yes) writes.
func (u *ui) promote(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	fromName := r.PostFormValue("from")
	from := u.s.envs[fromName]
	if from == nil || from == e || u.role(identityOf(r), fromName) == "" {
		u.fail(w, r, http.StatusBadRequest, "Promote from which environment? "+fromName+" is not another environment you can see.")
		return
	}
	src := u.read(from)
	if src.Err != nil {
		u.fail(w, r, http.StatusInternalServerError, "The flag file of "+fromName+" cannot be read: "+src.Err.Error())
		return
	}
	fl := src.File.Flag(flag)
	if fl == nil {
		u.fail(w, r, http.StatusNotFound, fromName+" does not define "+flag+": nothing to promote.")
		return
	}
	if len(fl.Problems) > 0 {
		// Its text is not what the server serves (its last good state): copying
		// what could be read of it would change other than the user sees.
		u.fail(w, r, http.StatusUnprocessableEntity, "Nothing was changed: "+flag+" is invalid in "+fromName+", so there is nothing sound to promote; fix it there first:\n"+fl.Problems.Error())
		return
	}
	// The review form carries the source file's hash: when the source changed
	// since the diff was shown, the new diff is reviewed before anything is
	// written.
	if r.PostFormValue(fieldSource) != src.HashHex() {
		r.PostForm.Del(fieldReviewed)
	}
	r.PostForm.Set(fieldSource, src.HashHex())
	edit := flagfile.SetGates(flag, fl)
	if cur := u.read(e); cur.File != nil && cur.File.Flag(flag) == nil {
		edit = flagfile.AddFlag(fl)
	}
	u.write(w, r, change{env: e, flag: flag, edits: []flagfile.Edit{edit}, review: true})
}
