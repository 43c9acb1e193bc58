// Package history reads the git history of flag files through the git binary:
// the commits that touched them (hash, author, time, subject), the semantic
// change of every flag in each (flagdiff), and the state of every file after each
// commit, oldest first, for age checks.
//
// Blobs are streamed through one `git cat-file --batch` process and parsed once
// each. git's output is read NUL-separated, so no commit subject or author can
// forge an entry. Shallow clones are detected (Repo.Shallow, Entry.Truncated)
// and every git failure is returned as a *GitError carrying git's own stderr;
// nothing is swallowed.
//
//	r, err := history.Open(".")
//	if err != nil { ... } // ErrNoGit, ErrNotRepository or a *GitError
//	entries, err := r.History([]history.File{{Env: "production", Path: "flags/production.yaml", Expect: "production"}}, history.LogOptions{})
//	for _, e := range entries { fmt.Println(e.Short, e.Author, e.Changes) }
//	trail := history.Events(entries, "new_checkout_enabled") // one flag's audit trail
//	err = r.Walk(files, func(c *history.Commit, state []*flagfile.File) { ... }) // oldest first, for ages
package history

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Errors Open and the other methods return (wrapped; test with errors.Is).
var (
	// ErrNoGit: the git binary is not on PATH.
	ErrNoGit = errors.New("git is not installed (or not on PATH); flagctl needs it for history")
	// ErrNotRepository: the directory is not inside a git repository.
	ErrNotRepository = errors.New("not in a git repository")
	// ErrOutside: a path lies outside the repository.
	ErrOutside = errors.New("outside the git repository")
	// ErrUnknownRevision: a revision does not name a commit.
	ErrUnknownRevision = errors.New("unknown revision")
	// ErrBadDate: a --since/--until value is not a date history understands.
	ErrBadDate = errors.New("bad date")
)

// GitError is a git command that failed: its arguments and git's own stderr
// (for example "detected dubious ownership in repository").
type GitError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *GitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("git %s failed: %s", strings.Join(e.Args, " "), msg)
}

// Unwrap returns the process error.
func (e *GitError) Unwrap() error { return e.Err }

// Repo is one git repository, read with the real git binary.
type Repo struct {
	root string // top-level directory
}

// Open finds the repository that contains dir. It returns ErrNoGit when git is
// missing, ErrNotRepository (wrapped) when dir is in no repository, and a
// *GitError when git refuses the repository (dubious ownership, a broken
// config): never a silent fallback.
func Open(dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, ErrNoGit
	}
	args := []string{"rev-parse", "--show-toplevel"}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	// git's messages in English, so "not a git repository" is recognised.
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "not a git repository") {
			return nil, fmt.Errorf("%s is %w; run \"git init\" or work inside one", dir, ErrNotRepository)
		}
		return nil, &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return &Repo{root: strings.TrimSpace(string(out))}, nil
}

// Root is the repository's top-level directory.
func (r *Repo) Root() string { return r.root }

// git runs one git command and returns its stdout, or a *GitError.
func (r *Repo) git(stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.root
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return out, nil
}

// Rel returns path relative to the repository root, with slashes; ErrOutside
// (wrapped) when it is not inside the repository.
func (r *Repo) Rel(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(real, filepath.Base(abs))
	}
	root := r.root
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is %w %s", path, ErrOutside, r.root)
	}
	return filepath.ToSlash(rel), nil
}

// Verify resolves rev to a commit hash; ErrUnknownRevision (wrapped) when it
// names none, a *GitError when git fails otherwise.
func (r *Repo) Verify(rev string) (string, error) {
	if strings.HasPrefix(rev, "-") || rev == "" {
		return "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	}
	out, err := r.git(nil, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		if quietMiss(err) {
			return "", fmt.Errorf("%w %q (not a commit in %s)", ErrUnknownRevision, rev, r.root)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// quietMiss reports whether `git rev-parse --verify --quiet` failed only because
// the name does not resolve (exit 1, nothing on stderr).
func quietMiss(err error) bool {
	var ge *GitError
	var ee *exec.ExitError
	return errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) == "" && errors.As(err, &ee) && ee.ExitCode() == 1
}

// unborn reports whether HEAD names no commit yet (a repository git init just
// made, or an orphan branch before its first commit).
func (r *Repo) unborn() bool {
	_, err := r.git(nil, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	return quietMiss(err)
}

// Show returns the content of rel (relative to the root) at rev ("" = the
// index), or nil when the file does not exist there.
func (r *Repo) Show(rev, rel string) ([]byte, error) {
	if _, err := r.git(nil, "rev-parse", "--verify", "--quiet", rev+":"+rel); err != nil {
		if quietMiss(err) {
			return nil, nil
		}
		return nil, err
	}
	return r.git(nil, "cat-file", "blob", rev+":"+rel)
}

// Shallow reports whether the repository is a shallow clone (its history is
// cut: actions/checkout's default depth of 1 makes one).
func (r *Repo) Shallow() (bool, error) {
	out, err := r.git(nil, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

// boundaries returns the commits at which a shallow clone's history is cut.
func (r *Repo) boundaries() (map[string]bool, error) {
	out, err := r.git(nil, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return nil, err
	}
	p := strings.TrimSpace(string(out))
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.root, p)
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		b[l] = true
	}
	return b, nil
}

// ListFiles lists the files under dir (absolute) that git knows or would add:
// tracked, and untracked but not ignored.
func (r *Repo) ListFiles(dir string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &GitError{Args: cmd.Args[1:], Stderr: fmt.Sprintf("in %s: %s", dir, stderr.String()), Err: err}
	}
	var files []string
	for _, p := range strings.Split(string(out), "\x00") {
		if p != "" {
			files = append(files, filepath.Join(dir, p))
		}
	}
	return files, nil
}
