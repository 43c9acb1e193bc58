package serve

import (
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// change is one write a dashboard action asks for.
type change struct {
	env   *env
	flag  string // the flag the page is about ("" for none)
	edits []flagfile.Edit
	// back is where to go after the change; "" = the flag's page.
	back string
	// review shows the semantic diff and writes only once confirmed
	// (promote, restore).
	review bool
}

// formField names shared by every action form.
const (
	fieldHash     = "hash"     // the content hash of the file the page showed
	fieldConfirm  = "confirm"  // the flag name typed for a protected environment
	fieldEveryone = "everyone" // "yes": confirms turning a flag on for everyone
	fieldReviewed = "reviewed" // "yes": the diff of a promotion or restore was shown
)

// actionEnv resolves and checks the {env} and {flag} of an action's URL and
// the user's right to change them; on failure it has answered.
func (u *ui) actionEnv(w http.ResponseWriter, r *http.Request) (*env, string, bool) {
	name, flag := r.PathValue("env"), r.PathValue("flag")
	if !flagfile.ValidEnvName(name) || (flag != "" && !flagfile.ValidFlagName(flag)) {
		u.fail(w, r, http.StatusNotFound, "No such environment or flag: names are lower-case letters, digits and '_' (environments also '-').")
		return nil, "", false
	}
	e := u.s.envs[name]
	if e == nil {
		u.fail(w, r, http.StatusNotFound, "Environment "+name+" is not served here.")
		return nil, "", false
	}
	id := identityOf(r)
	if u.cfg.ReadOnly {
		u.fail(w, r, http.StatusForbidden, "The dashboard is read-only (--read-only): change the flag files with the CLI.")
		return nil, "", false
	}
	if !u.canEdit(id, name) {
		u.fail(w, r, http.StatusForbidden, id.Name+" may not change flags in "+name+": ask for the editor role there.")
		return nil, "", false
	}
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, http.StatusBadRequest, "The form could not be read: "+err.Error())
		return nil, "", false
	}
	return e, flag, true
}

// write applies c with optimistic concurrency and the guardrails, then
// redirects back. Nothing is written when the file changed since the page
// was shown (the user sees that change and can re-apply on top), when a
// protected environment's confirmation is missing, or when a flag would turn
// on for everyone without confirmation.
func (u *ui) write(w http.ResponseWriter, r *http.Request, c change) {
	cur := u.read(c.env)
	if cur.Err != nil {
		u.fail(w, r, http.StatusInternalServerError, "The flag file of "+c.env.name+" cannot be read: "+cur.Err.Error())
		return
	}
	shown, err := hex.DecodeString(r.PostFormValue(fieldHash))
	if err != nil || len(shown) != 32 {
		u.fail(w, r, http.StatusBadRequest, "The form has no valid content hash: reload the page and try again.")
		return
	}
	var old [32]byte
	copy(old[:], shown)
	if old != cur.Hash {
		u.conflict(w, r, c, u.files.get(old), cur)
		return
	}
	data, next, err := cur.File.Apply(flagfile.ParseOptions{}, c.edits...)
	if err != nil {
		status := http.StatusUnprocessableEntity
		if errors.Is(err, flagfile.ErrUnknownFlag) {
			status = http.StatusNotFound
		}
		u.fail(w, r, status, "Nothing was changed: "+err.Error())
		return
	}
	changes := flagdiff.Files(c.env.name, cur.File, next)
	if len(changes) == 0 {
		u.flash(w, "Nothing to change: "+c.env.name+" already is that way.")
		u.back(w, r, c)
		return
	}
	if c.review && r.PostFormValue(fieldReviewed) != "yes" {
		u.confirm(w, r, c, changes, confirmReview)
		return
	}
	if u.protected[c.env.name] && r.PostFormValue(fieldConfirm) != c.flag {
		u.confirm(w, r, c, changes, confirmProtected)
		return
	}
	if c.flag != "" && r.PostFormValue(fieldEveryone) != "yes" &&
		flagState(next.Flag(c.flag), u.s.now()) == StateOn && flagState(cur.File.Flag(c.flag), u.s.now()) != StateOn {
		u.confirm(w, r, c, changes, confirmEveryone)
		return
	}
	msg := changeLine(changes)
	var found *uncommittedChange
	if u.cfg.Git != nil {
		// One dashboard change at a time from here to its commit: the commit
		// holds this change only.
		u.gitMu.Lock()
		defer u.gitMu.Unlock()
		if found, err = u.uncommitted(c.env, cur); errors.Is(err, flagfile.ErrConflict) {
			u.conflict(w, r, c, cur.File, u.read(c.env))
			return
		} else if err != nil {
			u.fail(w, r, http.StatusBadGateway, "Nothing was changed: git cannot tell what is committed: "+err.Error())
			return
		}
	}
	if u.cfg.Git != nil && u.cfg.Git.Propose {
		branch, err := u.propose(r, c.env, c.flag, found, data, msg)
		if err != nil {
			u.fail(w, r, http.StatusBadGateway, "Nothing was proposed: "+err.Error())
			return
		}
		u.s.log.Info("dashboard proposal", "user", identityOf(r).Name, "env", c.env.name, "change", msg, "branch", branch)
		u.flash(w, "Proposed on branch "+branch+": "+msg)
		u.back(w, r, c)
		return
	}
	if found != nil {
		if err := u.commitFound(c.env, found); err != nil {
			u.fail(w, r, http.StatusBadGateway, "Nothing was changed: the change not committed to git ("+found.msg+") could not be committed first: "+err.Error())
			return
		}
	}
	if err := flagfile.WriteIfUnchanged(c.env.path, cur.Hash, data); err != nil {
		if errors.Is(err, flagfile.ErrConflict) {
			u.conflict(w, r, c, cur.File, u.read(c.env))
			return
		}
		u.fail(w, r, http.StatusInternalServerError, "The flag file could not be written: "+err.Error())
		return
	}
	u.files.put(flagfile.Hash(data), next)
	u.s.log.Info("dashboard change", "user", identityOf(r).Name, "env", c.env.name, "change", msg)
	if u.cfg.Git != nil {
		note, err := u.commit(r, c.env, msg)
		var pc errPushConflict
		if errors.As(err, &pc) {
			u.fail(w, r, http.StatusConflict, "Your change could not be pushed: "+err.Error())
			return
		}
		if err != nil {
			u.fail(w, r, http.StatusBadGateway, "The file was written, but git refused: "+err.Error())
			return
		}
		msg += note
	}
	u.flash(w, "Saved: "+msg)
	u.back(w, r, c)
}

// changeLine renders changes on one line (the commit message).
func changeLine(changes []flagdiff.FlagChange) string {
	parts := make([]string, len(changes))
	for i, ch := range changes {
		parts[i] = ch.String()
	}
	return strings.Join(parts, "; ")
}

func (u *ui) back(w http.ResponseWriter, r *http.Request, c change) {
	to := c.back
	if to == "" {
		to = "/ui/flags/" + url.PathEscape(c.flag) + "#env-" + c.env.name
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// Kinds of confirmation the confirm page asks for.
const (
	confirmProtected = "protected"
	confirmEveryone  = "everyone"
	confirmReview    = "review"
)

// hiddenField is one form value the confirm and conflict pages post again.
type hiddenField struct{ Name, Value string }

// formAgain returns the posted form values except the hash and confirmations,
// in a stable order, for a form that posts the same action again.
func formAgain(r *http.Request) []hiddenField {
	var out []hiddenField
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == fieldHash || k == fieldConfirm || k == fieldEveryone {
			continue
		}
		for _, v := range r.PostForm[k] {
			out = append(out, hiddenField{k, v})
		}
	}
	return out
}

// confirmPage is the data of the confirm and conflict page.
type confirmPage struct {
	pageBase
	Kind     string // confirmProtected, confirmEveryone or "conflict"
	Env      string
	Flag     string
	Action   string
	Hash     string
	Fields   []hiddenField
	Changes  []string // what this action would change
	Theirs   []string // conflict: what changed since the page was shown
	Unknown  bool     // conflict: the shown version is no longer known
	Everyone bool     // the everyone box was already ticked
	Typed    bool     // the protected confirmation was already typed
}

func (u *ui) confirm(w http.ResponseWriter, r *http.Request, c change, changes []flagdiff.FlagChange, kind string) {
	p := confirmPage{pageBase: u.base(r, "Confirm the change"), Kind: kind, Env: c.env.name, Flag: c.flag, Action: r.URL.Path,
		Hash: r.PostFormValue(fieldHash), Fields: formAgain(r), Everyone: r.PostFormValue(fieldEveryone) == "yes",
		Typed: u.protected[c.env.name] && r.PostFormValue(fieldConfirm) == c.flag}
	for _, ch := range changes {
		p.Changes = append(p.Changes, ch.String())
	}
	p.Protected = u.protected[c.env.name]
	u.render(w, r, http.StatusPreconditionRequired, "confirm", &p)
}

// conflict shows what changed in the file since the page was rendered (old;
// nil when that version is no longer known) and offers to apply the same
// action on top of the current file.
func (u *ui) conflict(w http.ResponseWriter, r *http.Request, c change, old *flagfile.File, cur *snapshot) {
	p := confirmPage{pageBase: u.base(r, "The flags changed meanwhile"), Kind: "conflict", Env: c.env.name, Flag: c.flag,
		Action: r.URL.Path, Hash: cur.HashHex(), Unknown: old == nil}
	for _, f := range formAgain(r) {
		if f.Name != fieldReviewed { // the diff on top of their change is reviewed again
			p.Fields = append(p.Fields, f)
		}
	}
	p.Protected = u.protected[c.env.name]
	if old != nil && cur.File != nil {
		for _, ch := range flagdiff.Files(c.env.name, old, cur.File) {
			p.Theirs = append(p.Theirs, ch.String())
		}
	}
	u.render(w, r, http.StatusConflict, "confirm", &p)
}

// inEffect makes gate edits change the gates in effect now: schedule entries
// of the flag that have already taken effect are folded into its plain gates
// first (flagfile.InEffect), so a passed entry does not override the edit.
func (u *ui) inEffect(edits ...flagfile.Edit) []flagfile.Edit {
	now := u.s.now()
	out := make([]flagfile.Edit, len(edits))
	for i, e := range edits {
		out[i] = flagfile.InEffect(e, now)
	}
	return out
}
