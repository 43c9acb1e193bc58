package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// use is one read of a blob by a walk: the blob id and the path it is parsed as.
type use struct{ id, path string }

// parser streams the blobs of a walk through one `git cat-file --batch` process
// and parses each once. The walk declares its reads up front, in order; each
// distinct blob is requested at its first read and dropped after its last, so
// memory holds only the blobs still needed, never the whole history.
type parser struct {
	seq    []use
	next   int
	left   map[string]int // reads still to come per id
	cache  map[string]*flagfile.File
	errs   map[string]error
	expect map[string]string // path -> expected environment
	cmd    *exec.Cmd
	out    *bufio.Reader
	stderr bytes.Buffer
	wrote  chan error
}

func (r *Repo) newParser(seq []use, expect map[string]string) (*parser, error) {
	p := &parser{seq: seq, left: map[string]int{}, cache: map[string]*flagfile.File{}, errs: map[string]error{}, expect: expect}
	var ids []string
	for _, u := range seq {
		if u.id == ZeroID {
			continue
		}
		if p.left[u.id] == 0 {
			ids = append(ids, u.id)
		}
		p.left[u.id]++
	}
	if len(ids) == 0 {
		return p, nil
	}
	p.cmd = exec.Command("git", "cat-file", "--batch")
	p.cmd.Dir = r.root
	p.cmd.Stderr = &p.stderr
	in, err := p.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, &GitError{Args: []string{"cat-file", "--batch"}, Err: err}
	}
	p.out = bufio.NewReaderSize(outPipe, 1<<16)
	p.wrote = make(chan error, 1)
	go func() { // git reads requests while it writes answers: no deadlock
		w := bufio.NewWriter(in)
		for _, id := range ids {
			if _, err := w.WriteString(id + "\n"); err != nil {
				in.Close()
				p.wrote <- err
				return
			}
		}
		err := w.Flush()
		in.Close()
		p.wrote <- err
	}()
	return p, nil
}

// read returns the next blob of the stream; it must be id.
func (p *parser) read(id string) ([]byte, error) {
	header, err := p.out.ReadString('\n')
	if err != nil {
		return nil, p.fail(errors.New("short output"))
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return nil, p.fail(fmt.Errorf("blob %s is missing from the repository", f[0]))
	}
	if len(f) != 3 || f[0] != id {
		return nil, p.fail(fmt.Errorf("unexpected header %q (want blob %s)", header, id))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size < 0 {
		return nil, p.fail(fmt.Errorf("bad header %q", header))
	}
	data := make([]byte, size+1) // the content and its trailing newline
	if _, err := io.ReadFull(p.out, data); err != nil {
		return nil, p.fail(err)
	}
	return data[:size], nil
}

func (p *parser) fail(err error) error {
	p.close()
	return &GitError{Args: []string{"cat-file", "--batch"}, Stderr: p.stderr.String(), Err: err}
}

// close stops git (if it still runs) and reports how it ended.
func (p *parser) close() error {
	if p.cmd == nil {
		return nil
	}
	cmd := p.cmd
	p.cmd = nil
	if p.next < len(p.seq) {
		cmd.Process.Kill()
		cmd.Wait()
		return nil
	}
	io.Copy(io.Discard, p.out)
	werr := <-p.wrote
	if err := cmd.Wait(); err != nil {
		return &GitError{Args: []string{"cat-file", "--batch"}, Stderr: p.stderr.String(), Err: err}
	}
	if werr != nil {
		return &GitError{Args: []string{"cat-file", "--batch"}, Stderr: p.stderr.String(), Err: werr}
	}
	return nil
}

// parse returns the file of the walk's next read: nil for ZeroID; a parse
// error for an invalid version (valid is false then); err only when git
// failed.
func (p *parser) parse() (f *flagfile.File, perr error, err error) {
	if p.next >= len(p.seq) {
		return nil, nil, errors.New("internal error: history walk read past its plan")
	}
	u := p.seq[p.next]
	p.next++
	if u.id == ZeroID {
		return nil, nil, nil
	}
	defer func() {
		if p.left[u.id]--; p.left[u.id] == 0 {
			delete(p.cache, u.id)
			delete(p.errs, u.id)
		}
	}()
	if f, ok := p.cache[u.id]; ok {
		return f, p.errs[u.id], nil
	}
	data, err := p.read(u.id)
	if err != nil {
		return nil, nil, err
	}
	f, perr = flagfile.Parse(u.path, data, flagfile.ParseOptions{Env: p.expect[u.path]})
	if f == nil && perr == nil {
		perr = errors.New(u.path + ": unreadable")
	}
	if f == nil {
		p.errs[u.id] = perr
	} else {
		perr = nil
	}
	p.cache[u.id] = f
	return f, p.errs[u.id], nil
}
