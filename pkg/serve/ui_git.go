package serve

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
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

// commit commits e's file with message msg, the signed-in user as author and
// the server as committer, and pushes it when configured. It returns a note
// for the user.
func (u *ui) commit(r *http.Request, e *env, msg string) (string, error) {
	g := u.cfg.Git
	u.gitMu.Lock()
	defer u.gitMu.Unlock()
	id := identityOf(r)
	email := id.Email
	if email == "" {
		email = id.Name + "@flagctl.invalid"
	}
	path, err := filepath.Abs(e.path)
	if err != nil {
		return "", err
	}
	who := []string{"GIT_COMMITTER_NAME=" + g.CommitterName, "GIT_COMMITTER_EMAIL=" + g.CommitterEmail}
	if _, err := u.git(who, "add", "--", path); err != nil {
		return "", err
	}
	if _, err := u.git(who, "commit", "--quiet", "--no-verify", "-m", msg, "--author", id.Name+" <"+email+">", "--", path); err != nil {
		return "", err
	}
	sha, err := u.git(nil, "rev-parse", "--short", "HEAD")
	if err != nil {
		return "", err
	}
	return " (commit " + sha + ")", nil
}
