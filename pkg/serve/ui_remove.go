package serve

import (
	"net/http"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// removeFlag serves POST /ui/env/{env}/flags/{flag}/remove: deletes the flag
// (and the comment above it) from env's file.
func (u *ui) removeFlag(w http.ResponseWriter, r *http.Request) {
	e, flag, ok := u.actionEnv(w, r)
	if !ok {
		return
	}
	u.write(w, r, change{env: e, flag: flag, edits: []flagfile.Edit{flagfile.RemoveFlag(flag)}, back: "/ui/"})
}
