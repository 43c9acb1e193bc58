package refscan

import "bytes"

// prefilter lets a scan skip text that cannot hold a pattern: every pattern
// contains one of a few bytes that are rare in source code, found with
// bytes.IndexByte (vectorised); the automaton runs only on windows around
// them.
type prefilter struct {
	bytes  []byte // at most maxPrefilterBytes
	maxLen int    // the longest pattern
}

const maxPrefilterBytes = 4

// byteFreq is a rough frequency rank of bytes in source code: higher is more
// common. Only the order matters.
var byteFreq = func() [256]uint8 {
	var f [256]uint8
	for b := 0; b < 256; b++ {
		f[b] = 5 // rare punctuation, control bytes, UTF-8
	}
	set := func(chars string, v uint8) {
		for i := 0; i < len(chars); i++ {
			f[chars[i]] = v
		}
	}
	set("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 30)
	set("0123456789{}[]-'*+<>!&|#@$%?^~`\\", 25)
	set("bcdfghjkmpquvwxyz\t.(),\"_=;/:", 60)
	set(" etaoinsrl\n", 100)
	return f
}()

// newPrefilter picks the bytes greedily (rarest per pattern covered first);
// nil when the patterns need a common byte or too many bytes.
func newPrefilter(patterns []string) *prefilter {
	pf := &prefilter{}
	uncovered := make([]string, 0, len(patterns))
	for _, p := range patterns {
		if p == "" {
			return nil
		}
		pf.maxLen = max(pf.maxLen, len(p))
		uncovered = append(uncovered, p)
	}
	for len(uncovered) > 0 {
		if len(pf.bytes) == maxPrefilterBytes {
			return nil
		}
		var count [256]int
		for _, p := range uncovered {
			var seen [256]bool
			for i := 0; i < len(p); i++ {
				if !seen[p[i]] {
					seen[p[i]] = true
					count[p[i]]++
				}
			}
		}
		best, bestScore := -1, 0.0
		for b := 0; b < 256; b++ {
			if count[b] == 0 {
				continue
			}
			if s := float64(byteFreq[b]) / float64(count[b]); best < 0 || s < bestScore {
				best, bestScore = b, s
			}
		}
		if byteFreq[best] >= 100 {
			return nil
		}
		pf.bytes = append(pf.bytes, byte(best))
		rest := uncovered[:0]
		for _, p := range uncovered {
			if bytes.IndexByte([]byte(p), byte(best)) < 0 {
				rest = append(rest, p)
			}
		}
		uncovered = rest
	}
	return pf
}

// indexFrom returns the offset of the first b in data at or after from, or
// len(data).
func indexFrom(data []byte, from int, b byte) int {
	if from >= len(data) {
		return len(data)
	}
	if i := bytes.IndexByte(data[from:], b); i >= 0 {
		return from + i
	}
	return len(data)
}
