package stale

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/flagctl/flagctl/pkg/goident"
	"github.com/flagctl/flagctl/pkg/history"
	"github.com/flagctl/flagctl/pkg/refscan"
)

// DefaultPatterns find the flag names code checks: Go's Enabled/EnabledFor,
// OpenFeature's BooleanValue, and quoted *_enabled tokens in any language.
// Group 1 is the name.
func DefaultPatterns() []string {
	return []string{
		`(?:Enabled|EnabledFor)\(\s*"([a-z][a-z0-9_]*)"`,
		`BooleanValue\([^,()]*,\s*"([a-z][a-z0-9_]*)"`,
		"[\"'`]([a-z][a-z0-9_]*_enabled)[\"'`]",
	}
}

// CompilePatterns compiles reference patterns; each needs a group for the name.
func CompilePatterns(pats []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, p := range pats {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %v", p, err)
		}
		if re.NumSubexp() < 1 {
			return nil, fmt.Errorf("pattern %q: needs a group for the flag name, like (\\w+)", p)
		}
		out = append(out, re)
	}
	return out, nil
}

// Scan finds the references to the environments' flags in files: each name as a
// whole token, the Go identifiers `flagctl generate go` gives them (collision
// suffixes included, see goident.Assign), extra names (counted like defined
// ones), and every name a pattern captures.
func Scan(files []string, envs []Env, patterns []*regexp.Regexp, extra []string) *refscan.Result {
	names, _ := Definitions(envs)
	ids, _ := goident.Assign(names)
	aliases := map[string]string{}
	for n, id := range ids {
		if id != n {
			aliases[id] = n
		}
	}
	all := append([]string(nil), names...)
	for _, e := range extra {
		if _, ok := ids[e]; !ok {
			all = append(all, e)
		}
	}
	return refscan.Scan(files, refscan.Options{
		Names: all, Aliases: aliases, Patterns: patterns,
		SkipPrefix: []byte(goident.GeneratedHeader),
	})
}

// Sources says which files to scan for references.
type Sources struct {
	// Root is the project root; relative Src entries and globs are relative to it.
	Root string
	// Src are the directories to scan ("." when empty).
	Src []string
	// FlagDir holds the flag files, never scanned.
	FlagDir string
	// Include, when set, limits the scan to files matching one of its globs;
	// Exclude leaves out files matching one. A glob without a slash matches the
	// base name; "dir/**" matches everything below dir.
	Include, Exclude []string
}

// SourceFiles lists the files to scan: `git ls-files` (tracked, and untracked
// but not ignored) inside a repository, a directory walk outside one (r nil);
// never the flag files, vendored trees (vendor, node_modules, third_party), or
// what Exclude names; only what Include names when it is set. A git failure is
// returned (a *history.GitError), never replaced by a walk.
func SourceFiles(r *history.Repo, s Sources) ([]string, error) {
	var all []string
	flagDir, _ := filepath.Abs(s.FlagDir)
	src := s.Src
	if len(src) == 0 {
		src = []string{"."}
	}
	for _, d := range src {
		root := d
		if !filepath.IsAbs(root) {
			root = filepath.Join(s.Root, d)
		}
		if r != nil {
			files, err := r.ListFiles(root)
			if err != nil {
				return nil, err
			}
			all = append(all, files...)
			continue
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				all = append(all, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range all {
		abs, _ := filepath.Abs(p)
		rel := Rel(s.Root, abs)
		if seen[abs] || strings.HasPrefix(abs, flagDir+string(filepath.Separator)) || vendored(rel) ||
			len(s.Include) > 0 && !matchAny(s.Include, rel) || matchAny(s.Exclude, rel) {
			continue
		}
		if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
			continue
		}
		seen[abs] = true
		out = append(out, abs)
	}
	sort.Strings(out)
	return out, nil
}

func vendored(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "vendor" || part == "node_modules" || part == "third_party" {
			return true
		}
	}
	return false
}

// matchAny matches a slash path against globs.
func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if prefix, ok := strings.CutSuffix(g, "/**"); ok && (rel == prefix || strings.HasPrefix(rel, prefix+"/")) {
			return true
		}
		target := rel
		if !strings.Contains(g, "/") {
			target = path.Base(rel)
		}
		if ok, _ := path.Match(g, target); ok {
			return true
		}
	}
	return false
}
