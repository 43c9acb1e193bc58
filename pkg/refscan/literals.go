package refscan

import (
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// minLiteral is the shortest literal worth prefiltering on; a pattern whose
// best literal is shorter runs on the whole of every file.
const minLiteral = 3

// maxSet bounds the size of a literal set built from alternations and classes.
const maxSet = 64

// litInfo describes the literals of a regular expression: exact is the set of
// strings it matches when that set is small and finite (nil otherwise); req is
// a set of strings one of which occurs in every match (nil when unknown);
// prefix and suffix are sets one of which every match starts (ends) with.
type litInfo struct {
	exact, req, prefix, suffix []string
}

func pre(i litInfo) []string {
	if i.exact != nil {
		return i.exact
	}
	return i.prefix
}

func suf(i litInfo) []string {
	if i.exact != nil {
		return i.exact
	}
	return i.suffix
}

// cross returns every a+b, or nil when that set would be too large.
func cross(as, bs []string) []string {
	if len(as)*len(bs) > maxSet {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out
}

// Literals returns strings one of which occurs in every match of re (so a
// file, or a region, without any of them cannot match), or nil when re has no
// usable literal (shorter than 3 bytes, case-insensitive, or none at all).
// Every match starts with one of them when re has such a prefix, else ends
// with one when it has such a suffix.
func Literals(re *regexp.Regexp) []string {
	set, _ := literalsOf(re)
	return set
}

// Where a pattern's literal sits in its matches.
const (
	litInner  = iota // somewhere inside
	litPrefix        // every match starts with it
	litSuffix        // every match ends with it
)

func literalsOf(re *regexp.Regexp) ([]string, int) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil, litInner
	}
	i := literals(tree.Simplify())
	if p := pre(i); score(p) >= minLiteral {
		return p, litPrefix
	}
	if s := suf(i); score(s) >= minLiteral {
		return s, litSuffix
	}
	if set := best(i); score(set) >= minLiteral {
		return set, litInner
	}
	return nil, litInner
}

func best(i litInfo) []string {
	if i.exact != nil {
		return i.exact
	}
	return i.req
}

// score is the length of the shortest string of set (0 for none).
func score(set []string) int {
	if len(set) == 0 {
		return 0
	}
	m := len(set[0])
	for _, s := range set[1:] {
		m = min(m, len(s))
	}
	return m
}

// better picks the set that filters more: longer shortest string, then fewer strings.
func better(a, b []string) []string {
	sa, sb := score(a), score(b)
	if sb > sa || sb == sa && sb > 0 && len(b) < len(a) {
		return b
	}
	return a
}

func literals(re *syntax.Regexp) litInfo {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return litInfo{exact: []string{""}}
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return litInfo{}
		}
		return litInfo{exact: []string{string(re.Rune)}}
	case syntax.OpCharClass:
		var set []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if int(hi-lo)+len(set) >= 8 || hi > utf8.MaxRune {
				return litInfo{}
			}
			for r := lo; r <= hi; r++ {
				set = append(set, string(r))
			}
		}
		return litInfo{exact: set}
	case syntax.OpCapture:
		return literals(re.Sub[0])
	case syntax.OpPlus:
		i := literals(re.Sub[0])
		return litInfo{req: best(i), prefix: pre(i), suffix: suf(i)}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			i := literals(re.Sub[0])
			return litInfo{req: best(i), prefix: pre(i), suffix: suf(i)}
		}
		return litInfo{}
	case syntax.OpAlternate:
		var exact, req, prefix, suffix []string
		allExact, allReq, allPre, allSuf := true, true, true, true
		for _, sub := range re.Sub {
			i := literals(sub)
			if i.exact == nil || len(exact)+len(i.exact) > maxSet {
				allExact = false
			} else {
				exact = append(exact, i.exact...)
			}
			b := best(i)
			allReq = allReq && score(b) > 0
			req = append(req, b...)
			allPre = allPre && score(pre(i)) > 0
			prefix = append(prefix, pre(i)...)
			allSuf = allSuf && score(suf(i)) > 0
			suffix = append(suffix, suf(i)...)
		}
		if allExact {
			return litInfo{exact: exact}
		}
		var out litInfo
		if allReq {
			out.req = req
		}
		if allPre && len(prefix) <= maxSet {
			out.prefix = prefix
		}
		if allSuf && len(suffix) <= maxSet {
			out.suffix = suffix
		}
		return out
	case syntax.OpConcat:
		subs := make([]litInfo, len(re.Sub))
		for k, sub := range re.Sub {
			subs[k] = literals(sub)
		}
		cur := []string{""}
		allExact := true
		var pick, prefix []string
		first := true // still in the leading run of exact children
		for _, i := range subs {
			if i.exact != nil {
				if next := cross(cur, i.exact); next != nil {
					cur = next
					continue
				}
			}
			allExact = false
			// cur runs up to this child; extended by its prefix when it has one.
			lead := cur
			if p := pre(i); p != nil {
				if c := cross(cur, p); c != nil {
					lead = c
				}
			}
			if first {
				prefix = lead
				first = false
			}
			pick = better(pick, lead)
			pick = better(pick, best(i))
			cur = []string{""}
			if s := suf(i); s != nil {
				cur = s
			}
		}
		if allExact {
			return litInfo{exact: cur}
		}
		out := litInfo{req: better(pick, cur), suffix: cur}
		if score(prefix) > 0 {
			out.prefix = prefix
		}
		if score(cur) == 0 {
			out.suffix = nil
		}
		return out
	}
	return litInfo{}
}

// spansLines reports whether re can match a line break.
func spansLines(re *regexp.Regexp) bool {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return true
	}
	var walk func(*syntax.Regexp) bool
	walk = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpAnyChar:
			return true
		case syntax.OpLiteral:
			for _, c := range r.Rune {
				if c == '\n' {
					return true
				}
			}
		case syntax.OpCharClass:
			for i := 0; i+1 < len(r.Rune); i += 2 {
				if r.Rune[i] <= '\n' && '\n' <= r.Rune[i+1] {
					return true
				}
			}
		}
		for _, s := range r.Sub {
			if walk(s) {
				return true
			}
		}
		return false
	}
	return walk(tree.Simplify())
}
