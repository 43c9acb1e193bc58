package cmd

import (
	"sort"

	"github.com/flagctl/flagctl/pkg/refscan"
	"github.com/flagctl/flagctl/pkg/stale"
)

// codeRefs lists where code refers to flag, as `flagctl stale --refs` finds
// it: the files pkg/stale scans (git's list inside a repository, tracked and
// untracked but not ignored; a walk outside one; never the flag files,
// vendored trees or generated code; the stale.src, stale.include and
// stale.exclude settings applied), the name as a token, the Go identifier
// `flagctl generate go` gives it and the stale.patterns captures. files are
// the environment files that still define flag (for the identifier). It also
// returns how many files it scanned.
func codeRefs(c *Config, files []*loaded, flag string) ([]refscan.Ref, int, error) {
	s, err := loadStaleConfig(c)
	if err != nil {
		return nil, 0, err
	}
	patterns, err := stale.CompilePatterns(s.patterns)
	if err != nil {
		return nil, 0, usageErr("stale.patterns: %v", err)
	}
	r, err := staleRepo(c.Root)
	if err != nil {
		return nil, 0, err
	}
	src, err := stale.SourceFiles(r, s.sources)
	if err != nil {
		return nil, 0, fileErr(err)
	}
	envs := make([]stale.Env, len(files))
	for i, l := range files {
		envs[i] = stale.Env{Name: l.name(), Path: l.Path, Expect: l.Expect, File: l.File}
	}
	scan := stale.Scan(src, envs, patterns, []string{flag})
	return refsTo(scan, flag), scan.Files, nil
}

// refsTo is every reference to name in a scan: where it stands as a token (or
// as its Go identifier) and where a pattern captured it, sorted by file and
// line, once per line.
func refsTo(scan *refscan.Result, name string) []refscan.Ref {
	refs := append([]refscan.Ref(nil), scan.Refs[name]...)
	for _, ref := range scan.Checked {
		if ref.Flag == name {
			refs = append(refs, ref)
		}
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].File != refs[j].File {
			return refs[i].File < refs[j].File
		}
		return refs[i].Line < refs[j].Line
	})
	out := refs[:0]
	for i, ref := range refs {
		if i > 0 && ref.File == refs[i-1].File && ref.Line == refs[i-1].Line {
			continue
		}
		out = append(out, ref)
	}
	return out
}
