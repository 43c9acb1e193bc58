package serve

import (
	"strconv"
	"unicode/utf8"

	"github.com/flagctl/flagctl/pkg/eval"
)

// The response models of openapi.yaml, encoded by hand: the hot path appends
// to a pooled buffer instead of reflecting over structs.

// OFREP reasons.
const (
	reasonTargetingMatch = "TARGETING_MATCH" // an actor or group gate decided
	reasonSplit          = "SPLIT"           // a percentage gate decided
	reasonStatic         = "STATIC"          // the boolean gate (or a test override)
	reasonDefault        = "DEFAULT"         // no gate open: flagctl's default, false
	reasonDisabled       = "DISABLED"        // no gate of the flag can be open
)

// reason maps the deciding gate to an OFREP reason.
func reason(d eval.Decision, switchedOff bool) string {
	switch d.Gate {
	case eval.GateActor, eval.GateGroup:
		return reasonTargetingMatch
	case eval.GatePercentageOfActors, eval.GatePercentageOfTime:
		return reasonSplit
	case eval.GateBoolean, eval.GateOverride:
		return reasonStatic
	}
	if switchedOff {
		return reasonDisabled
	}
	return reasonDefault
}

// appendEvaluation appends an evaluationSuccess:
// {"key","value","reason","variant","metadata":{"gate","version"[,"lastGood"]}}.
func appendEvaluation(b []byte, d eval.Decision, switchedOff bool, version string) []byte {
	b = append(b, `{"key":`...)
	b = appendString(b, d.Flag)
	if d.Enabled {
		b = append(b, `,"value":true,"reason":"`...)
	} else {
		b = append(b, `,"value":false,"reason":"`...)
	}
	b = append(b, reason(d, switchedOff)...)
	if d.Enabled {
		b = append(b, `","variant":"on","metadata":{"gate":"`...)
	} else {
		b = append(b, `","variant":"off","metadata":{"gate":"`...)
	}
	b = append(b, d.Gate.String()...)
	b = append(b, `","version":"`...)
	b = append(b, version...)
	b = append(b, '"')
	if d.LastGood {
		b = append(b, `,"lastGood":true`...)
	}
	return append(b, "}}"...)
}

// appendFailure appends an evaluationFailure or flagNotFound (key != "") or a
// bulkEvaluationFailure / generalErrorResponse (key == "", code may be "").
func appendFailure(b []byte, key, code, details string) []byte {
	b = append(b, '{')
	if key != "" {
		b = append(b, `"key":`...)
		b = appendString(b, key)
		b = append(b, ',')
	}
	if code != "" {
		b = append(b, `"errorCode":"`...)
		b = append(b, code...)
		b = append(b, `",`...)
	}
	b = append(b, `"errorDetails":`...)
	b = appendString(b, details)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping like encoding/json
// (including <, > and &, and invalid UTF-8 as U+FFFD).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, `\u202`...)
				b = append(b, hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendInt appends n in decimal.
func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }
