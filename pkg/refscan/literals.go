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
// a set of strings one of which occurs in every match (nil when unknown).
type litInfo struct {
	exact []string
	req   []string
}

// Literals returns strings one of which occurs in every match of re (so a
// file, or a region, without any of them cannot match), or nil when re has no
// usable literal (shorter than 3 bytes, case-insensitive, or none at all).
func Literals(re *regexp.Regexp) []string {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	set := best(literals(tree.Simplify()))
	if score(set) < minLiteral {
		return nil
	}
	return set
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
		return litInfo{req: best(literals(re.Sub[0]))}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return litInfo{req: best(literals(re.Sub[0]))}
		}
		return litInfo{}
	case syntax.OpAlternate:
		var exact, req []string
		allExact, allReq := true, true
		for _, sub := range re.Sub {
			i := literals(sub)
			if i.exact == nil || len(exact)+len(i.exact) > maxSet {
				allExact = false
			} else {
				exact = append(exact, i.exact...)
			}
			b := best(i)
			if score(b) == 0 {
				allReq = false
			}
			req = append(req, b...)
		}
		if allExact {
			return litInfo{exact: exact}
		}
		if allReq {
			return litInfo{req: req}
		}
		return litInfo{}
	case syntax.OpConcat:
		cur := []string{""}
		allExact := true
		var pick []string
		for _, sub := range re.Sub {
			i := literals(sub)
			if i.exact != nil && len(cur)*len(i.exact) <= maxSet {
				next := make([]string, 0, len(cur)*len(i.exact))
				for _, a := range cur {
					for _, b := range i.exact {
						next = append(next, a+b)
					}
				}
				cur = next
				continue
			}
			allExact = false
			pick = better(pick, cur)
			pick = better(pick, best(i))
			cur = []string{""}
			if i.exact != nil {
				cur = i.exact
			}
		}
		if allExact {
			return litInfo{exact: cur}
		}
		return litInfo{req: better(pick, cur)}
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
