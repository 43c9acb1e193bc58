package serve

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// GitConfig makes every dashboard change a git commit.
type GitConfig struct {
	// Dir is the repository's work tree (the flag files are in it).
	Dir string
	// Push, when set, is the remote every commit is pushed to.
	Push string
	// Propose commits each change to a new branch flagctl/USER/FLAG-TIME
	// (pushed to Push when set) instead of the current branch; the flag file
	// in the work tree is left as it was.
	Propose bool
	// CommitterName and CommitterEmail name the server as committer; the
	// signed-in user is the author.
	CommitterName, CommitterEmail string
}

func (g *GitConfig) check() error {
	if g.Dir == "" {
		return errors.New("serve: dashboard git: no repository directory")
	}
	if g.CommitterName == "" {
		g.CommitterName = "flagctl serve"
	}
	if g.CommitterEmail == "" {
		g.CommitterEmail = "flagctl@localhost"
	}
	return nil
}

// git runs git in the repository and returns its output, or an error with
// git's stderr.
func (u *ui) git(env []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = u.cfg.Git.Dir
	cmd.Env = append(cmd.Environ(), env...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// pushAttempts is how often a push is tried when the remote moved on
// meanwhile (each time after fetching and rebasing the one commit).
const pushAttempts = 3

// author returns the signed-in user as a git author and the environment that
// sets author and committer.
func (u *ui) author(r *http.Request) []string {
	g := u.cfg.Git
	id := identityOf(r)
	email := id.Email
	if email == "" {
		email = id.Name + "@flagctl.invalid"
	}
	return []string{"GIT_AUTHOR_NAME=" + id.Name, "GIT_AUTHOR_EMAIL=" + email,
		"GIT_COMMITTER_NAME=" + g.CommitterName, "GIT_COMMITTER_EMAIL=" + g.CommitterEmail}
}

// commit commits e's file with message msg, the signed-in user as author and
// the server as committer, and pushes it when configured. It returns a note
// for the user. When the push meets a real conflict (upstream changed the
// same lines), the commit is undone, the file is as upstream left it after
// the next pull, and the error says what upstream changed.
// The caller holds u.gitMu.
func (u *ui) commit(r *http.Request, e *env, msg string) (string, error) {
	g := u.cfg.Git
	path, err := filepath.Abs(e.path)
	if err != nil {
		return "", err
	}
	who := u.author(r)
	if _, err := u.git(who, "add", "--", path); err != nil {
		return "", err
	}
	if _, err := u.git(who, "commit", "--quiet", "--no-verify", "-m", msg, "--", path); err != nil {
		return "", err
	}
	sha, err := u.git(nil, "rev-parse", "--short", "HEAD")
	if err != nil {
		return "", err
	}
	if g.Push == "" {
		return " (commit " + sha + ")", nil
	}
	branch, err := u.git(nil, "symbolic-ref", "--short", "HEAD")
	if err != nil {
		return "", err
	}
	for attempt := 1; ; attempt++ {
		_, perr := u.git(nil, "push", "--quiet", g.Push, "HEAD:refs/heads/"+branch)
		if perr == nil {
			sha, _ = u.git(nil, "rev-parse", "--short", "HEAD")
			return " (commit " + sha + ", pushed to " + g.Push + ")", nil
		}
		if attempt == pushAttempts {
			return "", fmt.Errorf("the commit is made but not pushed after %d attempts: %w", attempt, perr)
		}
		if _, err := u.git(nil, "fetch", "--quiet", g.Push, branch); err != nil {
			return "", err
		}
		if _, err := u.git(who, "rebase", "--quiet", "--autostash", "FETCH_HEAD"); err != nil {
			u.git(nil, "rebase", "--abort")
			theirs, _ := u.git(nil, "log", "--format=%s (%an)", "HEAD..FETCH_HEAD", "--", path)
			// Undo the commit: the work tree goes back to before the change.
			if _, rerr := u.git(nil, "reset", "--quiet", "--keep", "HEAD~1"); rerr != nil {
				return "", fmt.Errorf("%s changed the same flags meanwhile, and undoing the local commit failed: %w", g.Push, rerr)
			}
			return "", errPushConflict{remote: g.Push, theirs: theirs}
		}
	}
}

// uncommittedChange is the content of a flag file that differs from HEAD
// (an editor, a CLI edit not committed yet) when a dashboard change is made on
// top of it: it gets a commit of its own, by the server, so that the user's
// commit holds only the user's change.
type uncommittedChange struct {
	data []byte
	msg  string
}

// uncommitted returns cur's content when it differs from HEAD (nil when it is
// as committed, or HEAD does not have the file). The caller holds u.gitMu.
func (u *ui) uncommitted(e *env, cur *snapshot) (*uncommittedChange, error) {
	if abs, err := filepath.Abs(e.path); err == nil {
		if _, err := u.git(nil, "diff", "--quiet", "HEAD", "--", abs); err == nil {
			return nil, nil // the common case, in one git process
		}
	}
	repo, err := history.Open(u.cfg.Git.Dir)
	if err != nil {
		return nil, err
	}
	rel, err := repo.Rel(e.path)
	if err != nil {
		return nil, err
	}
	head, err := repo.Show("HEAD", rel)
	if err != nil || head == nil || flagfile.Hash(head) == cur.Hash {
		return nil, err
	}
	data, err := flagfile.ReadFile(e.path, 0)
	if err != nil {
		return nil, err
	}
	if flagfile.Hash(data) != cur.Hash {
		return nil, flagfile.ErrConflict
	}
	what := "formatting or comments only"
	if committed, _ := flagfile.Parse(rel+"@HEAD", head, flagfile.ParseOptions{}); committed != nil {
		if changes := flagdiff.Files(e.name, committed, cur.File); len(changes) > 0 {
			what = changeLine(changes)
		}
	}
	return &uncommittedChange{data: data, msg: rel + ": found not committed before a dashboard change: " + what}, nil
}

// commitFound commits the file as found (c), by the server. The caller holds
// u.gitMu.
func (u *ui) commitFound(e *env, c *uncommittedChange) error {
	path, err := filepath.Abs(e.path)
	if err != nil {
		return err
	}
	g := u.cfg.Git
	server := []string{"GIT_AUTHOR_NAME=" + g.CommitterName, "GIT_AUTHOR_EMAIL=" + g.CommitterEmail,
		"GIT_COMMITTER_NAME=" + g.CommitterName, "GIT_COMMITTER_EMAIL=" + g.CommitterEmail}
	if _, err := u.git(server, "add", "--", path); err != nil {
		return err
	}
	_, err = u.git(server, "commit", "--quiet", "--no-verify", "-m", c.msg, "--", path)
	return err
}

// errPushConflict is a push refused because upstream changed the same gates.
type errPushConflict struct{ remote, theirs string }

func (e errPushConflict) Error() string {
	return fmt.Sprintf("nothing was pushed and your change is undone: %s changed the same lines meanwhile (%s); pull %s and apply your change again", e.remote, strings.ReplaceAll(e.theirs, "\n", "; "), e.remote)
}

// propose commits data as e's file on a new branch flagctl/USER/FLAG-TIME,
// without touching the work tree or the current branch, and pushes it when
// configured. It returns the branch name. The caller holds u.gitMu.
func (u *ui) propose(r *http.Request, e *env, flag string, found *uncommittedChange, data []byte, msg string) (string, error) {
	g := u.cfg.Git
	path, err := filepath.Abs(e.path)
	if err != nil {
		return "", err
	}
	top, err := u.git(nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(top, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is not inside the repository %s", path, top)
	}
	// A scratch index inside the repository's git directory: nothing is
	// written outside the repository, and the real index is untouched.
	index, err := u.git(nil, "rev-parse", "--path-format=absolute", "--git-path", "flagctl-propose-index")
	if err != nil {
		return "", err
	}
	os.Remove(index)
	defer os.Remove(index)
	idx := append(u.author(r), "GIT_INDEX_FILE="+index)
	if _, err := u.git(idx, "read-tree", "HEAD"); err != nil {
		return "", err
	}
	parent := "HEAD"
	if found != nil { // the change found not committed: its own commit, by the server
		server := append(idx[:len(idx):len(idx)], "GIT_AUTHOR_NAME="+g.CommitterName, "GIT_AUTHOR_EMAIL="+g.CommitterEmail)
		if parent, err = u.commitBlob(server, parent, rel, found.data, found.msg); err != nil {
			return "", err
		}
	}
	commit, err := u.commitBlob(idx, parent, rel, data, msg)
	if err != nil {
		return "", err
	}
	branch := "flagctl/" + branchPart(identityOf(r).Name) + "/" + flag + "-" + u.s.now().UTC().Format("20060102-150405")
	if _, err := u.git(nil, "update-ref", "refs/heads/"+branch, commit, ""); err != nil {
		return "", err
	}
	if g.Push != "" {
		if _, err := u.git(nil, "push", "--quiet", g.Push, "refs/heads/"+branch); err != nil {
			return "", err
		}
	}
	return branch, nil
}

// commitBlob makes a commit (not on any branch) with parent and the scratch
// index of env, where rel has data, and returns its id.
func (u *ui) commitBlob(env []string, parent, rel string, data []byte, msg string) (string, error) {
	cmd := exec.Command("git", "hash-object", "-w", "--stdin")
	cmd.Dir, cmd.Stdin = u.cfg.Git.Dir, bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git hash-object: %v", err)
	}
	blob := strings.TrimSpace(string(out))
	if _, err := u.git(env, "update-index", "--add", "--cacheinfo", "100644,"+blob+","+filepath.ToSlash(rel)); err != nil {
		return "", err
	}
	tree, err := u.git(env, "write-tree")
	if err != nil {
		return "", err
	}
	return u.git(env, "commit-tree", tree, "-p", parent, "-m", msg)
}

// branchPart makes a user name safe in a branch name: lower-case letters,
// digits and '-'.
func branchPart(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		out = "user"
	}
	return out
}
