// Package importer moves flags from other feature-flag systems into flagctl flag
// files: FunWithFlags (Redis, PostgreSQL, CSV), Flipper exports, Rails
// application.yml, flagd and Unleash. Each source has its own reader that turns
// the source into a Result — translated flags per environment plus a report of
// everything that could not be translated exactly — and Plan/Write put a
// Result into flag files through pkg/flagfile.
package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Result is what a reader made of a source.
type Result struct {
	// Source names the source in reports: "export.json", "redis://h:6379/0".
	Source string
	// Envs lists the environments that have flags, in the order they came.
	Envs []string
	// Flags holds the translated flags of each environment, in source order.
	Flags map[string][]*flagfile.Flag
	// Issues lists every source item that was not translated exactly.
	Issues []Issue
	// Groups lists every group name the source mentions, sorted (--verify
	// checks each).
	Groups []string
	// Models holds, per environment and flag, the source's own semantics
	// (nil when the source has no exact semantics to check, e.g. flagd).
	Models map[string]map[string]Model
}

// Issue is one source item that was not translated exactly.
type Issue struct {
	// Where is the item's position in the source: "export.json:12:7" or
	// "fun_with_flags:search".
	Where string
	// Env and Flag are the environment and flag the item belongs to ("" when
	// none).
	Env, Flag string
	// Msg says what was lost or changed and what to do about it.
	Msg string
}

// String renders the issue on one line: "WHERE: FLAG [ENV]: MSG".
func (i Issue) String() string {
	var b strings.Builder
	b.WriteString(i.Where)
	b.WriteString(": ")
	if i.Flag != "" {
		b.WriteString(i.Flag)
		if i.Env != "" {
			b.WriteString(" [" + i.Env + "]")
		}
		b.WriteString(": ")
	}
	b.WriteString(i.Msg)
	return b.String()
}

// NewResult returns an empty Result for source.
func NewResult(source string) *Result {
	return &Result{Source: source, Flags: map[string][]*flagfile.Flag{}, Models: map[string]map[string]Model{}}
}

// Add records a translated flag for env, with the source's semantics (m may be
// nil).
func (r *Result) Add(env string, fl *flagfile.Flag, m Model) {
	if _, ok := r.Flags[env]; !ok {
		r.Envs = append(r.Envs, env)
	}
	r.Flags[env] = append(r.Flags[env], fl)
	if m != nil {
		if r.Models[env] == nil {
			r.Models[env] = map[string]Model{}
		}
		r.Models[env][fl.Name] = m
	}
	for _, g := range fl.Groups {
		r.addGroup(g.ID)
	}
}

func (r *Result) addGroup(name string) {
	i := sort.SearchStrings(r.Groups, name)
	if i < len(r.Groups) && r.Groups[i] == name {
		return
	}
	r.Groups = append(r.Groups, "")
	copy(r.Groups[i+1:], r.Groups[i:])
	r.Groups[i] = name
}

// Report records an issue.
func (r *Result) Report(where, env, flag, format string, args ...any) {
	r.Issues = append(r.Issues, Issue{Where: where, Env: env, Flag: flag, Msg: fmt.Sprintf(format, args...)})
}

// Lossy reports whether anything was not translated exactly.
func (r *Result) Lossy() bool { return len(r.Issues) > 0 }

// Len returns the number of translated flags over every environment.
func (r *Result) Len() int {
	n := 0
	for _, fls := range r.Flags {
		n += len(fls)
	}
	return n
}

// SourceError is bad input: the source and the position in it, what is wrong and
// how to fix it. A reader returning one has produced nothing to write.
type SourceError struct {
	// Source names the file, URL or table.
	Source string
	// Pos is the position inside the source: "12:7" (line:column) or a key,
	// row or field; "" when the whole source is meant.
	Pos string
	Msg string
}

// Error renders "SOURCE:POS: MSG" ("SOURCE: MSG" without a position).
func (e *SourceError) Error() string {
	if e.Pos == "" {
		return e.Source + ": " + e.Msg
	}
	return e.Source + ":" + e.Pos + ": " + e.Msg
}

func sourceErr(source, pos, format string, args ...any) error {
	return &SourceError{Source: source, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// validNames returns the names that are valid flag names as they are, each
// mapped to itself: the importers claim them before any renamed name, so that a
// renamed feature ("A", "Dark-Mode") never takes the place of the feature that
// already has that name ("a", "dark_mode"); the renamed one is reported.
func validNames(names []string) map[string]string {
	taken := map[string]string{}
	for _, n := range names {
		if flagfile.ValidFlagName(n) {
			taken[n] = n
		}
	}
	return taken
}

// FlagName turns a source's feature name into a valid flagctl flag name:
// lower case, runs of other characters as "_", a leading letter. ok is false
// when the name had to change.
func FlagName(name string) (string, bool) {
	if flagfile.ValidFlagName(name) {
		return name, true
	}
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			under = false
		case !under && b.Len() > 0:
			b.WriteByte('_')
			under = true
		}
	}
	out := strings.TrimRight(b.String(), "_")
	if out == "" || out[0] < 'a' || out[0] > 'z' {
		out = "f_" + out
	}
	if len(out) > 100 {
		out = strings.TrimRight(out[:100], "_")
	}
	return out, false
}

// MaxSourceSize is the largest source file a reader accepts (256 MiB): a
// 10,000-flag export is a few megabytes.
const MaxSourceSize = 256 << 20
