package history

import (
	"fmt"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// File is one flag file whose history is read.
type File struct {
	// Env labels the file's changes ("production"); "" = its path.
	Env string
	// Path is the file's path (absolute, or relative to the working directory).
	Path string
	// Expect is the environment the file must declare (flagfile.ParseOptions.Env).
	Expect string
}

// Entry is one commit of the audit history; it is also the JSON form of
// `flagctl log -o json`.
type Entry struct {
	Hash   string `json:"hash"`
	Short  string `json:"short"`
	Author string `json:"author"`
	Email  string `json:"email"`
	Date   string `json:"date"`
	// Subject is raw (see EscapeControl before printing it to a terminal).
	Subject string                `json:"subject"`
	Changes []flagdiff.FlagChange `json:"changes"`
	// Notes mention versions that could not be compared (an invalid file) and
	// where a shallow clone cuts the history.
	Notes []string `json:"notes,omitempty"`
	// Truncated marks the commit where a shallow clone's history is cut: its
	// changes are unknown (git shows every flag as added there), so none are
	// listed.
	Truncated bool `json:"truncated,omitempty"`
}

// CutNote is the note of a Truncated entry.
const CutNote = "history is cut here (shallow clone): earlier changes are not in this clone; fetch full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)"

// rels resolves the files' paths relative to the root.
func (r *Repo) rels(files []File) ([]string, map[string]File, error) {
	var paths []string
	byPath := map[string]File{}
	for _, f := range files {
		rel, err := r.Rel(f.Path)
		if err != nil {
			return nil, nil, err
		}
		paths = append(paths, rel)
		byPath[rel] = f
	}
	return paths, byPath, nil
}

func expects(byPath map[string]File) map[string]string {
	m := map[string]string{}
	for p, f := range byPath {
		m[p] = f.Expect
	}
	return m
}

// History returns, newest first, every commit that touched the files, with the
// semantic change of each flag (environments in the order of files). Commits
// that only changed comments or layout have no Changes. Blobs are read through
// one git process and parsed once each.
func (r *Repo) History(files []File, opts LogOptions) ([]Entry, error) {
	paths, byPath, err := r.rels(files)
	if err != nil {
		return nil, err
	}
	commits, err := r.Log(paths, opts)
	if err != nil {
		return nil, err
	}
	// The reads of the walk, in order: per commit, per file in order, old then new.
	changed := func(c *Commit) []BlobChange {
		m := map[string]BlobChange{}
		for _, ch := range c.Changes {
			m[ch.Path] = ch
		}
		var out []BlobChange
		for _, p := range paths {
			if ch, ok := m[p]; ok {
				out = append(out, ch)
			}
		}
		return out
	}
	var seq []use
	for i := range commits {
		if commits[i].Boundary {
			continue
		}
		for _, ch := range changed(&commits[i]) {
			seq = append(seq, use{ch.Old, ch.Path}, use{ch.New, ch.Path})
		}
	}
	p, err := r.newParser(seq, expects(byPath))
	if err != nil {
		return nil, err
	}
	defer p.close()
	out := make([]Entry, 0, len(commits))
	for i := range commits {
		c := &commits[i]
		e := Entry{Hash: c.Hash, Short: c.Hash[:min(7, len(c.Hash))], Author: c.Author, Email: c.Email, Date: c.Date, Subject: c.Subject}
		if c.Boundary {
			e.Truncated = true
			e.Notes = append(e.Notes, CutNote)
			out = append(out, e)
			continue
		}
		for _, ch := range changed(c) {
			env := byPath[ch.Path].Env
			if env == "" {
				env = ch.Path
			}
			a, errA, err := p.parse()
			if err != nil {
				return nil, err
			}
			b, errB, err := p.parse()
			if err != nil {
				return nil, err
			}
			if errA != nil || errB != nil {
				e.Notes = append(e.Notes, fmt.Sprintf("[%s]: not compared: the file is invalid on one side", env))
				continue
			}
			e.Changes = append(e.Changes, flagdiff.Files(env, a, b)...)
		}
		out = append(out, e)
	}
	return out, p.close()
}

// Walk calls fn for every commit that touched the files, oldest first, with the
// state of every file after it (in the order of files; nil where the file does
// not exist yet). A version that does not parse keeps the file's previous
// state. fn must not keep the slice.
func (r *Repo) Walk(files []File, fn func(c *Commit, state []*flagfile.File)) error {
	paths, byPath, err := r.rels(files)
	if err != nil {
		return err
	}
	commits, err := r.Log(paths, LogOptions{})
	if err != nil {
		return err
	}
	index := map[string]int{}
	for i, p := range paths {
		index[p] = i
	}
	var seq []use
	for i := len(commits) - 1; i >= 0; i-- {
		for _, ch := range commits[i].Changes {
			if _, ok := index[ch.Path]; ok {
				seq = append(seq, use{ch.New, ch.Path})
			}
		}
	}
	p, err := r.newParser(seq, expects(byPath))
	if err != nil {
		return err
	}
	defer p.close()
	state := make([]*flagfile.File, len(paths))
	for i := len(commits) - 1; i >= 0; i-- {
		c := &commits[i]
		for _, ch := range c.Changes {
			j, ok := index[ch.Path]
			if !ok {
				continue
			}
			f, perr, err := p.parse()
			if err != nil {
				return err
			}
			if perr == nil {
				state[j] = f
			}
		}
		fn(c, state)
	}
	return p.close()
}

// Event is one semantic change of one flag in one environment, with the commit
// that made it: the unit of a flag's audit trail.
type Event struct {
	Hash    string              `json:"hash"`
	Author  string              `json:"author"`
	Email   string              `json:"email"`
	Date    string              `json:"date"`
	Subject string              `json:"subject"`
	Change  flagdiff.FlagChange `json:"change"`
}

// Events returns the changes of flag ("" = every flag) in entries, in their
// order (newest first, as History returns them).
func Events(entries []Entry, flag string) []Event {
	var out []Event
	for _, e := range entries {
		for _, ch := range e.Changes {
			if flag == "" || ch.Flag == flag {
				out = append(out, Event{Hash: e.Hash, Author: e.Author, Email: e.Email, Date: e.Date, Subject: e.Subject, Change: ch})
			}
		}
	}
	return out
}
