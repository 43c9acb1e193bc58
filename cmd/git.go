package cmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// repo runs the real git binary in one repository.
type repo struct {
	root string // top-level directory
}

// openRepo finds the repository that contains dir.
func openRepo(dir string) (*repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, usageErr("git is not installed (or not on PATH); flagctl needs it for history")
	}
	cmd := exec.Command("git", "rev-parse", "--show-toplevel")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, usageErr("%s is not in a git repository; run \"git init\" or work inside one", dir)
	}
	return &repo{root: strings.TrimSpace(string(out))}, nil
}

func (r *repo) git(stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.root
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// rel returns path relative to the repository root, with slashes.
func (r *repo) rel(path string) (string, error) {
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
		return "", usageErr("%s is outside the git repository %s", path, r.root)
	}
	return filepath.ToSlash(rel), nil
}

// verify resolves rev to a commit, or says it is unknown.
func (r *repo) verify(rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", usageErr("unknown revision %q", rev)
	}
	out, err := r.git(nil, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", usageErr("unknown revision %q (not a commit in %s)", rev, r.root)
	}
	return strings.TrimSpace(string(out)), nil
}

// show returns the content of path at rev ("" = the index), or nil when the file
// does not exist there.
func (r *repo) show(rev, rel string) ([]byte, error) {
	if _, err := r.git(nil, "cat-file", "-e", rev+":"+rel); err != nil {
		return nil, nil
	}
	return r.git(nil, "cat-file", "blob", rev+":"+rel)
}

// commit is one entry of the history.
type commit struct {
	Hash, Author, Email, Date, Subject string
	// Changes maps a path (relative to the root) to its old and new blob ids; an
	// all-zero id means the file did not exist on that side.
	Changes []blobChange
}

type blobChange struct {
	Path     string
	Old, New string
}

const zeroID = "0000000000000000000000000000000000000000"

// log lists the non-merge commits that touched any of paths, newest first, with
// the blob ids of each path before and after.
func (r *repo) log(paths []string, extra ...string) ([]commit, error) {
	args := append([]string{"log", "--no-merges", "--raw", "--no-abbrev", "--no-renames",
		"--format=%x01%H%x1f%an%x1f%ae%x1f%aI%x1f%s"}, extra...)
	args = append(args, "--")
	args = append(args, paths...)
	out, err := r.git(nil, args...)
	if err != nil {
		return nil, err
	}
	var commits []commit
	for _, rec := range strings.Split(string(out), "\x01")[1:] {
		lines := strings.Split(rec, "\n")
		f := strings.Split(lines[0], "\x1f")
		if len(f) < 5 {
			continue
		}
		c := commit{Hash: f[0], Author: f[1], Email: f[2], Date: f[3], Subject: f[4]}
		for _, l := range lines[1:] {
			// :100644 100644 OLD NEW M\tpath
			if !strings.HasPrefix(l, ":") {
				continue
			}
			meta, path, ok := strings.Cut(l, "\t")
			fs := strings.Fields(meta)
			if !ok || len(fs) < 5 {
				continue
			}
			if uq, err := strconv.Unquote(path); err == nil {
				path = uq
			}
			c.Changes = append(c.Changes, blobChange{Path: path, Old: fs[2], New: fs[3]})
		}
		commits = append(commits, c)
	}
	return commits, nil
}

// blobs reads many blobs through one `git cat-file --batch` process, streaming
// its output rather than buffering it whole.
func (r *repo) blobs(ids []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var in bytes.Buffer
	for _, id := range ids {
		in.WriteString(id + "\n")
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = r.root
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	br := bufio.NewReaderSize(pipe, 1<<16)
	readErr := func() error {
		for range ids {
			header, err := br.ReadString('\n')
			if err != nil {
				return errors.New("git cat-file: short output")
			}
			f := strings.Fields(header)
			if len(f) != 3 {
				continue // "<id> missing"
			}
			size, err := strconv.Atoi(f[2])
			if err != nil {
				return fmt.Errorf("git cat-file: bad header %q", header)
			}
			data := make([]byte, size)
			if _, err := io.ReadFull(br, data); err != nil {
				return err
			}
			br.ReadByte() // the newline after the content
			out[f[0]] = data
		}
		return nil
	}()
	if readErr != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, readErr
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
