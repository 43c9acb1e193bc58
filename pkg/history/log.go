package history

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// ZeroID is the blob id git shows for "no file on this side".
const ZeroID = "0000000000000000000000000000000000000000"

// Commit is one commit that touched a flag file.
type Commit struct {
	Hash, Author, Email string
	// Date is the author date as git prints it (RFC 3339); Time is the same.
	Date string
	Time time.Time
	// Subject is the first line of the message, raw: escape it before printing
	// (see EscapeControl).
	Subject string
	// Changes are the flag files it changed, with their blob ids before and
	// after (ZeroID: the file did not exist on that side).
	Changes []BlobChange
	// Boundary is true when the commit is where a shallow clone's history is
	// cut: git shows every file as added there, whatever its real parent had.
	Boundary bool
}

// BlobChange is one file of a commit: its path relative to the repository root
// and its blob ids before and after.
type BlobChange struct {
	Path     string
	Old, New string
}

// LogOptions narrow a history walk.
type LogOptions struct {
	// Since and Until bound the commits by author date: YYYY-MM-DD (the whole
	// day), YYYY-MM-DDTHH:MM[:SS][zone], or "N units ago" (units: seconds,
	// minutes, hours, days, weeks, months, years). "" = unbounded. Anything else
	// is ErrBadDate.
	Since, Until string
}

var (
	dateTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$`)
	agoRe      = regexp.MustCompile(`^\d+[ .](second|minute|hour|day|week|month|year)s?[ .]ago$`)
)

// dateArg turns a Since/Until value into git's argument, or ErrBadDate. A bare
// date means the whole day (git alone would take it at the current time).
func dateArg(flag, v, clock string) (string, error) {
	if _, err := flagfile.ParseDate(v); err == nil {
		return flag + "=" + v + clock, nil
	}
	if dateTimeRe.MatchString(v) {
		layout := "2006-01-02T15:04"
		s := strings.Replace(v, " ", "T", 1)
		if len(s) >= 19 && s[16] == ':' {
			layout += ":05"
		}
		if _, err := time.Parse(layout, s[:len(layout)]); err == nil {
			return flag + "=" + v, nil
		}
	}
	if agoRe.MatchString(v) {
		return flag + "=" + v, nil
	}
	return "", fmt.Errorf("%s %q: %w; write YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS or \"2 weeks ago\"", flag, v, ErrBadDate)
}

// CheckDate reports whether v is a Since/Until value Log accepts (ErrBadDate,
// wrapped, when not).
func CheckDate(v string) error {
	_, err := dateArg("date", v, "")
	return err
}

// Log lists the non-merge commits that touched any of paths (relative to the
// root), newest first, with the blob ids of each path before and after. git's
// output is read NUL-separated, so subjects and names are data, never structure.
// A repository without commits yet (HEAD unborn) has no history: no commit,
// no error.
func (r *Repo) Log(paths []string, opts LogOptions) ([]Commit, error) {
	args := []string{"log", "-z", "--no-merges", "--raw", "--no-abbrev", "--no-renames",
		"--format=%H%x00%an%x00%ae%x00%aI%x00%s%x00"}
	for _, b := range []struct{ flag, v, clock string }{{"--since", opts.Since, "T00:00:00"}, {"--until", opts.Until, "T23:59:59"}} {
		if b.v == "" {
			continue
		}
		a, err := dateArg(b.flag, b.v, b.clock)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	args = append(args, "--")
	args = append(args, paths...)
	out, err := r.git(nil, args...)
	if err != nil {
		if r.unborn() {
			return nil, nil // git init, no commit yet: no history
		}
		return nil, err
	}
	commits, err := parseLog(string(out))
	if err != nil {
		return nil, err
	}
	bounds, err := r.boundaries()
	if err != nil {
		return nil, err
	}
	for i := range commits {
		commits[i].Boundary = bounds[commits[i].Hash]
	}
	return commits, nil
}

// parseLog reads `git log -z --raw` output in the format Log asks for: per
// commit five NUL-terminated header fields, then raw lines ":meta\0path\0".
func parseLog(out string) ([]Commit, error) {
	toks := strings.Split(out, "\x00")
	var commits []Commit
	for i := 0; i < len(toks); {
		t := strings.TrimPrefix(toks[i], "\n")
		switch {
		case t == "":
			i++
		case strings.HasPrefix(t, ":"):
			// :100644 100644 OLD NEW M, then the path as the next token.
			fs := strings.Fields(t)
			if len(commits) == 0 || len(fs) < 5 || i+1 >= len(toks) {
				return nil, fmt.Errorf("git log: unexpected raw line %q", t)
			}
			c := &commits[len(commits)-1]
			c.Changes = append(c.Changes, BlobChange{Path: toks[i+1], Old: fs[2], New: fs[3]})
			i += 2
		default:
			if i+5 > len(toks) {
				return nil, fmt.Errorf("git log: truncated commit header %q", t)
			}
			c := Commit{Hash: t, Author: toks[i+1], Email: toks[i+2], Date: toks[i+3], Subject: toks[i+4]}
			when, err := time.Parse(time.RFC3339, c.Date)
			if err != nil {
				return nil, fmt.Errorf("git log: commit %s: bad date %q", c.Hash, c.Date)
			}
			c.Time = when
			commits = append(commits, c)
			i += 5
		}
	}
	return commits, nil
}

// EscapeControl returns s with control characters (and invalid UTF-8) written
// as Go escapes, so a commit subject cannot move the cursor, recolour a
// terminal or start a new output line.
func EscapeControl(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			q := fmt.Sprintf("%q", string(r))
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EscapeJSON rewrites the characters EscapeControl escapes that encoding/json
// leaves raw (DEL, C1 controls, bidirectional overrides) as \uXXXX escapes.
// In JSON they can only occur inside strings, so the document decodes to the
// same values, but no raw control character reaches a terminal.
func EscapeJSON(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || r >= 0x80 && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
