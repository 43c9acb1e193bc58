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
func (u *ui) commit(r *http.Request, e *env, msg string) (string, error) {
	g := u.cfg.Git
	u.gitMu.Lock()
	defer u.gitMu.Unlock()
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

// errPushConflict is a push refused because upstream changed the same gates.
type errPushConflict struct{ remote, theirs string }

func (e errPushConflict) Error() string {
	return fmt.Sprintf("nothing was pushed and your change is undone: %s changed the same lines meanwhile (%s); pull %s and apply your change again", e.remote, strings.ReplaceAll(e.theirs, "\n", "; "), e.remote)
}

// propose commits data as e's file on a new branch flagctl/USER/FLAG-TIME,
// without touching the work tree or the current branch, and pushes it when
// configured. It returns the branch name.
func (u *ui) propose(r *http.Request, e *env, flag string, data []byte, msg string) (string, error) {
	g := u.cfg.Git
	u.gitMu.Lock()
	defer u.gitMu.Unlock()
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
	cmd := exec.Command("git", "hash-object", "-w", "--stdin")
	cmd.Dir, cmd.Stdin = g.Dir, bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git hash-object: %v", err)
	}
	blob := strings.TrimSpace(string(out))
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
	if _, err := u.git(idx, "update-index", "--add", "--cacheinfo", "100644,"+blob+","+filepath.ToSlash(rel)); err != nil {
		return "", err
	}
	tree, err := u.git(idx, "write-tree")
	if err != nil {
		return "", err
	}
	commit, err := u.git(idx, "commit-tree", tree, "-p", "HEAD", "-m", msg)
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
