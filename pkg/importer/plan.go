package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Options control how a Result is written.
type Options struct {
	// Overwrite replaces the gates (and the metadata the source has) of flags
	// that already exist. False (the default) leaves existing flags untouched.
	Overwrite bool
	// Header returns the comment block written at the top of a file the
	// import creates for env (each line starting with "#"); nil writes none.
	Header func(env string) string
}

// FilePlan is what an import does to one environment's flag file.
type FilePlan struct {
	Env, Path string
	// Create is true when the file does not exist yet.
	Create bool
	// Changes are the semantic changes, in `flagctl diff` form.
	Changes []flagdiff.FlagChange
	// Kept lists the flags that exist in the file with other gates than the
	// source's and were left alone (no Overwrite).
	Kept []string
	// Data is the file's new content; File its parse.
	Data []byte
	File *flagfile.File

	oldHash [32]byte
	old     []byte // the content the plan was made from (to put back)
	changed bool
}

// Changed reports whether the file's content changes.
func (p *FilePlan) Changed() bool { return p.changed }

// Plan computes, for every environment of res, the flag file's new content:
// new flags added (in one splice, keeping the file's comments and layout),
// existing ones left alone unless opts.Overwrite, a new file created in
// canonical form. path gives each environment's file. Nothing is written.
func Plan(res *Result, path func(env string) string, opts Options) ([]*FilePlan, error) {
	var plans []*FilePlan
	for _, env := range res.Envs {
		p, err := planEnv(env, path(env), res.Flags[env], opts)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return plans, nil
}

func planEnv(env, path string, flags []*flagfile.Flag, opts Options) (*FilePlan, error) {
	p := &FilePlan{Env: env, Path: path}
	popts := flagfile.ParseOptions{Env: env}
	data, err := flagfile.ReadFile(path, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		p.Create = true
		head := ""
		if opts.Header != nil {
			head = opts.Header(env)
		}
		data = []byte(head + fmt.Sprintf("version: %d\nenvironment: %s\nflags: {}\n", flagfile.Version, env))
	case err != nil:
		return nil, err
	}
	old, err := flagfile.Parse(path, data, popts)
	if err != nil {
		return nil, err
	}
	p.oldHash, p.old = flagfile.Hash(data), data
	var add []*flagfile.Flag
	var edits []flagfile.Edit
	seen := map[string]bool{}
	for _, fl := range flags {
		if seen[fl.Name] {
			return nil, fmt.Errorf("internal error: flag %q translated twice for %s", fl.Name, env)
		}
		seen[fl.Name] = true
		have := old.Flag(fl.Name)
		if have == nil {
			add = append(add, fl)
			continue
		}
		if !opts.Overwrite {
			if !have.SameGates(fl) || have.Bucketing != fl.Bucketing {
				p.Kept = append(p.Kept, fl.Name)
			}
			continue
		}
		edits = append(edits, overwrite(fl)...)
	}
	if len(add) > 0 {
		edits = append(edits, flagfile.AddFlags(add...))
	}
	out, nf, err := old.Apply(popts, edits...)
	if err != nil {
		return nil, err
	}
	p.Data, p.File = out, nf
	p.changed = p.Create || !bytes.Equal(out, data)
	var before *flagfile.File
	if !p.Create {
		before = old
	}
	p.Changes = flagdiff.Files(env, before, nf)
	return p, nil
}

// overwrite brings an existing flag to the source's gates and bucketing, and
// sets the metadata the source has (metadata it lacks stays).
func overwrite(fl *flagfile.Flag) []flagfile.Edit {
	edits := []flagfile.Edit{flagfile.SetGates(fl.Name, fl)}
	meta := []struct {
		field flagfile.Meta
		value string
	}{
		{flagfile.MetaDescription, fl.Description},
		{flagfile.MetaOwner, fl.Owner},
		{flagfile.MetaKind, string(fl.Kind)},
		{flagfile.MetaCreated, fl.Created.String()},
		{flagfile.MetaExpires, fl.Expires.String()},
	}
	for _, m := range meta {
		if m.value != "" {
			edits = append(edits, flagfile.SetMeta(fl.Name, m.field, m.value))
		}
	}
	return edits
}

// Write writes every changed file of plans, all or none: under the locks of
// every file it first checks that each existing file still has the content
// the plan was made from and that each new file still does not exist (else
// ErrConflict, nothing written), then replaces each file atomically; if one
// write fails, the files already written are put back (new ones removed). The
// directory of a new file is created.
func Write(plans []*FilePlan) error {
	var todo []*FilePlan
	for _, p := range plans {
		if p.changed {
			todo = append(todo, p)
		}
	}
	locked := slices.Clone(todo)
	sort.Slice(locked, func(i, j int) bool { return locked[i].Path < locked[j].Path })
	for _, p := range locked {
		if p.Create {
			if err := os.MkdirAll(filepath.Dir(p.Path), 0o755); err != nil {
				return err
			}
		}
		unlock, err := flagfile.Lock(p.Path)
		if err != nil {
			return err
		}
		defer unlock()
	}
	for _, p := range todo {
		if p.Create {
			if _, err := os.Lstat(p.Path); err == nil {
				return fmt.Errorf("%s: %w; nothing was written, run the command again", p.Path, flagfile.ErrConflict)
			}
			continue
		}
		cur, err := flagfile.ReadFile(p.Path, 0)
		if err != nil {
			return err
		}
		if flagfile.Hash(cur) != p.oldHash {
			return fmt.Errorf("%s: %w; nothing was written, run the command again", p.Path, flagfile.ErrConflict)
		}
	}
	for i, p := range todo {
		if err := flagfile.WriteFile(p.Path, p.Data); err != nil {
			for _, done := range todo[:i] {
				if done.Create {
					os.Remove(done.Path)
				} else {
					flagfile.WriteFile(done.Path, done.old)
				}
			}
			return err
		}
	}
	return nil
}
