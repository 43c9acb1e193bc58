package flagfile

// Times of ramps and schedules: parsing with a required zone, and writing for
// files and for people.

import (
	"fmt"
	"math/bits"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// mulDiv returns a·b/c rounded down, in 128 bits; it saturates when the
// quotient does not fit.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return ^uint64(0)
	}
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// mulDivCeil is mulDiv rounded up.
func mulDivCeil(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return ^uint64(0)
	}
	q, rem := bits.Div64(hi, lo, c)
	if rem != 0 {
		q++
	}
	return q
}

// FormatTime writes t as RFC 3339 in its own zone ("2026-12-24T18:00:00+01:00",
// "Z" for UTC), as flag files hold it.
func FormatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// HumanTime writes t for people, in its own zone: "2026-12-14 09:00 UTC",
// "2026-12-24 18:00 +01:00" (seconds only when not zero).
func HumanTime(t time.Time) string {
	layout := "2006-01-02 15:04"
	if t.Second() != 0 || t.Nanosecond() != 0 {
		layout = "2006-01-02 15:04:05.999999999"
	}
	s := t.Format(layout)
	if _, off := t.Zone(); off == 0 {
		return s + " UTC"
	}
	return s + " " + t.Format("-07:00")
}

// ParseTime parses an RFC 3339 time with an explicit zone: "2026-12-07T09:00:00Z"
// or "2026-12-24T18:00:00+01:00". A time without a zone is refused, with a
// message saying how to write one: a flag file is read on machines in many zones.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if _, ok := parseYMD(s); ok {
		return time.Time{}, fmt.Errorf("time %q has no time of day and no zone; write %sT00:00:00Z (UTC) or with an offset such as %sT00:00:00+01:00", s, s, s)
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			w := t.Format("2006-01-02T15:04:05")
			return time.Time{}, fmt.Errorf("time %q has no zone; add Z for UTC (%sZ) or an offset such as %s+01:00", s, w, w)
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999 Z07:00", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Time{}, fmt.Errorf("bad time %q: write RFC 3339, e.g. %s", s, FormatTime(t))
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q: write RFC 3339 with a zone, e.g. 2026-12-07T09:00:00Z or 2026-12-24T18:00:00+01:00", s)
}

// parseTimeNode parses a time-valued scalar.
func parseTimeNode(n *node) (time.Time, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!timestamp" && n.Tag != "!!str" {
		return time.Time{}, fmt.Errorf("expected a time such as 2026-12-07T09:00:00Z, found %s", describe(n))
	}
	return ParseTime(n.Value)
}
