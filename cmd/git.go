package cmd

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/flagctl/flagctl/pkg/history"
)

// repo is the repository the git verbs read (pkg/history), with its errors
// mapped to exit codes.
type repo struct{ *history.Repo }

// openRepo finds the repository that contains dir: exit 2 when git is missing
// or dir is in no repository, exit 3 with git's own message when git refuses it
// (dubious ownership, a broken config).
func openRepo(dir string) (*repo, error) {
	r, err := history.Open(dir)
	if err != nil {
		return nil, gitErr(err)
	}
	return &repo{r}, nil
}

// gitErr maps a pkg/history error to its exit code: what the user asked for
// (a revision, a date, a place outside any repository) is a usage error; git
// failing is exit 3, with git's stderr in the message.
func gitErr(err error) error {
	if err == nil {
		return nil
	}
	for _, usage := range []error{history.ErrNoGit, history.ErrNotRepository, history.ErrOutside, history.ErrUnknownRevision, history.ErrBadDate} {
		if errors.Is(err, usage) {
			return &ExitError{Code: ExitUsage, Err: err}
		}
	}
	return fileErr(err)
}

// inRepository reports whether dir or a parent holds a .git entry (used when
// git itself is missing).
func inRepository(dir string) bool {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return false
		}
		d = parent
	}
}

func (r *repo) rel(path string) (string, error) {
	s, err := r.Rel(path)
	return s, gitErr(err)
}

func (r *repo) verify(rev string) (string, error) {
	s, err := r.Verify(rev)
	return s, gitErr(err)
}

func (r *repo) show(rev, rel string) ([]byte, error) {
	b, err := r.Show(rev, rel)
	return b, gitErr(err)
}

// historyFiles are the targets as pkg/history files.
func historyFiles(ts []target) []history.File {
	out := make([]history.File, len(ts))
	for i, t := range ts {
		out[i] = history.File{Env: t.Env, Path: t.Path, Expect: t.Expect}
	}
	return out
}
