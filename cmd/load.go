package cmd

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// loaded is a parsed flag file with the bytes it came from.
type loaded struct {
	target
	File *flagfile.File
	Hash [32]byte
	// strict refuses an edit of the file while any flag in it has problems
	// (--strict); by default only the flags an edit touches must be sound.
	strict bool
}

// parseOpts are the options an edit of the file parses it with.
func (l *loaded) parseOpts() flagfile.ParseOptions {
	return flagfile.ParseOptions{Env: l.Expect, Strict: l.strict}
}

// name is how the file is labelled in output: its environment, else its path.
func (l *loaded) name() string {
	if l.Env != "" {
		return l.Env
	}
	if l.File != nil && l.File.Environment != "" {
		return l.File.Environment
	}
	return l.Path
}

// load reads and parses one target. Any problem is a file error (exit 3).
func load(t target) (*loaded, error) { return loadTarget(t, false) }

// loadTarget is load; with editable, a file whose problems all lie inside
// flags is returned with them (File.Problems): File.Apply refuses the edits
// that touch such a flag, and every edit with --strict.
func loadTarget(t target, editable bool) (*loaded, error) {
	data, err := flagfile.ReadFile(t.Path, 0)
	if errors.Is(err, fs.ErrNotExist) && t.Env != "" {
		return nil, fileErr(fmt.Errorf("%s: no flag file for environment %q; run \"flagctl init\" or create it: %w", t.Path, t.Env, err))
	}
	if err != nil {
		return nil, fileErr(err)
	}
	f, err := flagfile.Parse(t.Path, data, flagfile.ParseOptions{Env: t.Expect})
	if err != nil && (!editable || f == nil) {
		return nil, fileErr(err)
	}
	return &loaded{target: t, File: f, Hash: flagfile.Hash(data)}, nil
}

// oneEnv resolves the configuration and the single environment a verb works on.
func (f *Factory) oneEnv() (*Config, target, error) {
	c, err := f.Config()
	if err != nil {
		return nil, target{}, err
	}
	t, err := c.OneEnv()
	return c, t, err
}

// loadEnvs resolves the configuration and parses every environment file (only
// --env or --file when given and narrow is set).
func (f *Factory) loadEnvs(narrow bool) (*Config, []*loaded, error) {
	return f.loadEnvsFor(narrow, false, false)
}

// loadEnvsToEdit is loadEnvs for an edit: a file whose problems lie in flags
// the edit does not touch is loaded, and refused only with strict (--strict).
func (f *Factory) loadEnvsToEdit(narrow, strict bool) (*Config, []*loaded, error) {
	return f.loadEnvsFor(narrow, true, strict)
}

func (f *Factory) loadEnvsFor(narrow, editable, strict bool) (*Config, []*loaded, error) {
	c, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	ts, err := c.AllEnvs(narrow)
	if err != nil {
		return nil, nil, err
	}
	files, err := loadTargets(ts, editable)
	setStrict(files, strict)
	return c, files, err
}

// setStrict marks the files of an edit with --strict.
func setStrict(files []*loaded, strict bool) {
	for _, l := range files {
		l.strict = strict
	}
}

// loadAll parses every target; it fails (exit 3) if any file fails, so that
// multi-file edits change nothing unless every file is sound.
func loadAll(ts []target) ([]*loaded, error) { return loadTargets(ts, false) }

// loadEditable is loadAll for an edit (see loadTarget).
func loadEditable(ts []target) ([]*loaded, error) { return loadTargets(ts, true) }

// loadTargets parses the files concurrently (one goroutine per CPU); errors
// keep the targets' order.
func loadTargets(ts []target, editable bool) ([]*loaded, error) {
	files := make([]*loaded, len(ts))
	errs := make([]error, len(ts))
	each(len(ts), func(i int) { files[i], errs[i] = loadTarget(ts[i], editable) })
	if err := errors.Join(errs...); err != nil {
		return nil, fileErr(err)
	}
	return files, nil
}
