// Package flagfile owns the flagctl file model: it parses a version-1 flag file with
// positions, validates it, edits it while keeping comments and layout, formats it
// canonically and writes it atomically under an advisory lock.
package flagfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Version is the flag file format version this package reads and writes.
const Version = 1

// MaxFileSize is the largest flag file Parse accepts (16 MiB).
const MaxFileSize = 16 << 20

var (
	envNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
)

// ValidFlagName reports whether name is a legal flag name (^[a-z][a-z0-9_]{0,99}$).
func ValidFlagName(name string) bool {
	if len(name) == 0 || len(name) > 100 || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ValidEnvName reports whether name is a legal environment name
// (^[a-z][a-z0-9_-]{0,62}$). Anything else, such as "../x", is refused.
func ValidEnvName(name string) bool { return envNameRE.MatchString(name) }

// Kind is the lifecycle kind of a flag.
type Kind string

// The flag kinds. The zero Kind means "not set".
const (
	KindRelease    Kind = "release"
	KindExperiment Kind = "experiment"
	KindOps        Kind = "ops"
	KindPermission Kind = "permission"
)

// Kinds lists every valid kind.
var Kinds = []Kind{KindRelease, KindExperiment, KindOps, KindPermission}

// Date is a calendar date (YYYY-MM-DD). The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	d, ok := parseYMD(s)
	if !ok {
		return Date{}, fmt.Errorf("bad date %q: write YYYY-MM-DD, e.g. 2027-01-15", s)
	}
	return d, nil
}

// parseYMD parses an existing calendar date written YYYY-MM-DD.
func parseYMD(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) || !isDigits(s[8:]) {
		return Date{}, false
	}
	d := Date{atoi(s[:4]), time.Month(atoi(s[5:7])), atoi(s[8:])}
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || DateOf(d.Time()) != d {
		return Date{}, false
	}
	return d, true
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// Percent is a percentage in thousandths of a percent: 25% is 25000 and 100% is
// 100000. The zero Percent means "gate not set".
type Percent uint32

// PercentMax is 100%.
const PercentMax Percent = 100000

// ParsePercent parses "25%", "68.5%" (up to 3 decimals) or a fraction "0.25" (up to
// 5 decimals). The range is 0 < p <= 100%.
func ParsePercent(s string) (Percent, error) {
	s = strings.TrimSpace(s)
	var v uint64
	var ok bool
	if num, isPct := strings.CutSuffix(s, "%"); isPct {
		v, ok = parseDecimal(strings.TrimSpace(num), 3)
		if !ok {
			return 0, fmt.Errorf("bad percentage %q: write a number with at most 3 decimals followed by %%, e.g. 25%% or 68.5%%", s)
		}
	} else {
		v, ok = parseDecimal(s, 5)
		if !ok {
			return 0, fmt.Errorf("bad percentage %q: write 25%% or a fraction such as 0.25", s)
		}
		if v > 100000 {
			if n, err := strconv.Atoi(s); err == nil && n <= 100 {
				frac := fmt.Sprintf("0.%02d", n)
				if n == 100 {
					frac = "1.0"
				}
				return 0, fmt.Errorf("bad percentage %q: a bare number is a fraction of 1; write %d%% or %s", s, n, frac)
			}
			return 0, fmt.Errorf("percentage %q out of range: a fraction must be greater than 0 and at most 1", s)
		}
	}
	if v == 0 || v > 100000 {
		return 0, fmt.Errorf("percentage %q out of range: it must be greater than 0%% and at most 100%%", s)
	}
	return Percent(v), nil
}

// parseDecimal parses a non-negative decimal with at most prec decimals and returns
// it scaled by 10^prec.
func parseDecimal(s string, prec int) (uint64, bool) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") || len(frac) > prec || len(intPart) > 7 {
		return 0, false
	}
	if hasDot && frac == "" {
		return 0, false
	}
	var v uint64
	for _, c := range intPart {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	for i := 0; i < prec; i++ {
		v *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v += uint64(c - '0')
		}
	}
	return v, true
}

// Float returns the percentage as a fraction of 1 (25% → 0.25).
func (p Percent) Float() float64 { return float64(p) / float64(PercentMax) }

// String formats the percentage in canonical form: "25%", "68.5%", "0.125%".
func (p Percent) String() string {
	s := strconv.FormatUint(uint64(p)/1000, 10)
	if f := uint64(p) % 1000; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%03d", f), "0")
	}
	return s + "%"
}

// Gate is one actor or group gate: an ID (actor ID or group name) and whether it
// enables or disables the flag.
type Gate struct {
	ID      string
	Enabled bool
}

// Flag is one flag of a file: metadata and gates. A nil Boolean means the boolean
// gate is not set.
type Flag struct {
	Name        string
	Description string
	Owner       string
	Kind        Kind
	Created     Date
	Expires     Date

	Boolean            *bool
	Actors             []Gate // in file order
	Groups             []Gate // in file order
	PercentageOfActors Percent
	PercentageOfTime   Percent
	// RampOfActors and RampOfTime, when set, are a percentage gate that changes
	// with time (the matching plain percentage is then 0); see Ramp.
	RampOfActors, RampOfTime *Ramp
	// Schedule lists dated changes of the gates, in time order; see ScheduleEntry.
	Schedule []ScheduleEntry
	// Bucketing is how percentage_of_actors picks its actors (BucketingDefault:
	// flagctl's SHA-256 score). It is kept when the percentage changes.
	Bucketing Bucketing

	// Shorthand is true when the flag is written as a bare boolean.
	Shorthand bool
	// Pos is the position of the flag's name.
	Pos Pos
	// Problems lists validation errors inside this flag; a flag with problems is
	// not evaluated from this file (see eval.Watch).
	Problems ErrorList

	key, value *node
}

// BooleanOn reports whether the boolean gate is set and true.
func (f *Flag) BooleanOn() bool { return f.Boolean != nil && *f.Boolean }

// HasGates reports whether any gate is set.
func (f *Flag) HasGates() bool {
	return f.Boolean != nil || len(f.Actors) > 0 || len(f.Groups) > 0 ||
		f.PercentageOfActors != 0 || f.PercentageOfTime != 0 || f.Timed()
}

// Actor returns the actor gate for id.
func (f *Flag) Actor(id string) (on, ok bool) { return findGate(f.Actors, id) }

// Group returns the group gate for name.
func (f *Flag) Group(name string) (on, ok bool) { return findGate(f.Groups, name) }

func findGate(gs []Gate, id string) (on, ok bool) {
	for _, g := range gs {
		if g.ID == id {
			return g.Enabled, true
		}
	}
	return false, false
}

// Clone returns a deep copy of the flag without its source positions.
func (f *Flag) Clone() *Flag {
	c := *f
	if f.Boolean != nil {
		b := *f.Boolean
		c.Boolean = &b
	}
	c.Actors = append([]Gate(nil), f.Actors...)
	c.Groups = append([]Gate(nil), f.Groups...)
	c.RampOfActors, c.RampOfTime = f.RampOfActors.Clone(), f.RampOfTime.Clone()
	if f.Schedule != nil {
		c.Schedule = make([]ScheduleEntry, len(f.Schedule))
		for i, e := range f.Schedule {
			c.Schedule[i] = e.Clone()
		}
	}
	c.Problems = nil
	c.key, c.value = nil, nil
	return &c
}

// File is a parsed flag file: the model plus the source and node tree it came from,
// which edits use to splice bytes.
type File struct {
	// Path is the name used in error positions.
	Path        string
	Version     int
	Environment string
	// Flags are in file order.
	Flags []*Flag

	src       []byte
	lines     []int // byte offset of the start of each line (0-based index)
	crlf      bool
	root      *node // the top-level mapping
	flagsKey  *node
	flagsNode *node
	byName    map[string]*Flag
	// fast is true when the file was read by the fast parser (its subset has
	// no multi-line scalars, flow collections or anchors).
	fast bool
	// inText marks the lines (0-based) that continue the text of a scalar
	// spanning several lines; computed on first use (see isComment).
	inText map[int]bool
}

// Source returns the bytes the file was parsed from. Callers must not modify them.
func (f *File) Source() []byte { return f.src }

// Flag returns the flag called name, or nil.
func (f *File) Flag(name string) *Flag { return f.byName[name] }

// Names returns the flag names in file order.
func (f *File) Names() []string {
	out := make([]string, len(f.Flags))
	for i, fl := range f.Flags {
		out[i] = fl.Name
	}
	return out
}

// Problems returns every flag-level problem of the file, sorted.
func (f *File) Problems() ErrorList {
	var l ErrorList
	for _, fl := range f.Flags {
		l = append(l, fl.Problems...)
	}
	l.Sort()
	return l
}
