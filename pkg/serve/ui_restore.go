package serve

import (
	"net/http"
	"regexp"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// commitID is a full or abbreviated commit hash: nothing git could read as an
// option or a revision expression.
var commitID = regexp.MustCompile(`^[0-9a-f]{7,64}$`)

// restore serves POST /ui/env/{env}/flags/{flag}/restore: sets the flag's
// gates in {env} back to what they were after commit rev (the `restore`
// verb). The diff is shown before it is written (reviewed=yes).
func (u *ui) restore(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	rev := r.PostFormValue("rev")
	if !commitID.MatchString(rev) {
		u.fail(w, r, http.StatusBadRequest, "rev must be a commit hash")
		return
	}
	repo, err := u.repo(e)
	if err != nil {
		u.fail(w, r, http.StatusBadRequest, "No history: "+err.Error())
		return
	}
	rel, err := repo.Rel(e.path)
	if err != nil {
		u.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	data, err := repo.Show(rev, rel)
	if err != nil || data == nil {
		u.fail(w, r, http.StatusNotFound, "The flag file of "+e.name+" does not exist at commit "+rev+".")
		return
	}
	then, _ := flagfile.Parse(rel+"@"+rev, data, flagfile.ParseOptions{})
	var old *flagfile.Flag
	if then != nil {
		old = then.Flag(flag)
	}
	if old == nil {
		u.fail(w, r, http.StatusNotFound, flag+" did not exist in "+e.name+" at commit "+rev+".")
		return
	}
	if len(old.Problems) > 0 {
		u.fail(w, r, http.StatusUnprocessableEntity, "Nothing was changed: "+flag+" was invalid in "+e.name+" at commit "+rev+
			" (the server kept serving the version before it); restore another version:\n"+old.Problems.Error())
		return
	}
	edit := flagfile.SetGates(flag, old)
	if cur := u.read(e); cur.File != nil && cur.File.Flag(flag) == nil {
		edit = flagfile.AddFlag(old)
	}
	u.write(w, r, change{env: e, flag: flag, edits: []flagfile.Edit{edit}, review: true})
}

// repo opens the git repository of e's file.
func (u *ui) repo(e *env) (*history.Repo, error) {
	dir := e.path
	if i := lastSlash(dir); i >= 0 {
		dir = dir[:i]
	} else {
		dir = "."
	}
	return history.Open(dir)
}

func lastSlash(p string) int {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return i
		}
	}
	return -1
}
