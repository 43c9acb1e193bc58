// Package refscan finds references to flag names in source trees: one pass per
// file with an Aho-Corasick automaton over every name and the literals of the
// reference patterns, in parallel across files. A pattern runs only where one
// of its literals occurs (anchored there when the literal starts or ends every
// match), and its matches may span lines.
//
//	res := refscan.Scan(files, refscan.Options{Names: names, Patterns: patterns})
//	res.Refs["new_checkout_enabled"] // every file:line that names the flag
//	res.Checked                      // every name a pattern captured, defined or not
package refscan

// matcher is an Aho-Corasick automaton compiled to a DFA over byte classes.
// Bytes that occur in no pattern share class 0, which always leads back to the
// root, so the table stays small.
type matcher struct {
	class   [256]uint8
	nclass  int
	delta   []int32 // state*nclass + class -> next state
	outputs [][]int // state -> pattern indexes ending here (with suffixes)
	lens    []int   // pattern index -> length
	pre     *prefilter
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{nclass: 1, pre: newPrefilter(patterns)}
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if m.class[p[i]] == 0 {
				m.class[p[i]] = uint8(m.nclass)
				m.nclass++
			}
		}
	}
	// Trie, as a table: trie[node*nc+class] is the child (0: none; the root
	// is nobody's child).
	nc := m.nclass
	trie := make([]int32, nc)
	out := [][]int{nil}
	for pi, p := range patterns {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int(m.class[p[i]])
			n := trie[int(s)*nc+c]
			if n == 0 {
				n = int32(len(out))
				out = append(out, nil)
				for k := 0; k < nc; k++ {
					trie = append(trie, 0)
				}
				trie[int(s)*nc+c] = n
			}
			s = n
		}
		out[s] = append(out[s], pi)
		m.lens = append(m.lens, len(p))
	}
	nodes := len(out)
	// Breadth-first: failure links and the full transition table.
	fail := make([]int32, nodes)
	m.delta = make([]int32, nodes*nc)
	queue := []int32{}
	for c := 1; c < nc; c++ {
		if n := trie[c]; n != 0 {
			m.delta[c] = n
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := fail[s]
		out[s] = append(out[s], out[f]...)
		for c := 1; c < nc; c++ {
			if n := trie[int(s)*nc+c]; n != 0 {
				fail[n] = m.delta[int(f)*nc+c]
				m.delta[int(s)*nc+c] = n
				queue = append(queue, n)
			} else {
				m.delta[int(s)*nc+c] = m.delta[int(f)*nc+c]
			}
		}
	}
	// Renumber states breadth-first: the shallow states, where a scan spends
	// nearly all its time, then share cache lines.
	order := make([]int32, 0, nodes)
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		for c := 1; c < nc; c++ {
			if n := trie[int(order[i])*nc+c]; n != 0 {
				order = append(order, n)
			}
		}
	}
	renum := make([]int32, nodes)
	for newID, old := range order {
		renum[old] = int32(newID)
	}
	delta := make([]int32, len(m.delta))
	m.outputs = make([][]int, nodes)
	for old := 0; old < nodes; old++ {
		n := renum[old]
		m.outputs[n] = out[old]
		for c := 0; c < nc; c++ {
			delta[int(n)*nc+c] = renum[m.delta[old*nc+c]]
		}
	}
	m.delta = delta
	// Store each target as its row offset (state*nclass), so the scan loop needs
	// no multiplication, and mark transitions into states with output by
	// complementing them, so it tests one sign instead of loading an output list.
	for i, t := range m.delta {
		off := t * int32(m.nclass)
		if len(m.outputs[t]) > 0 {
			off = ^off
		}
		m.delta[i] = off
	}
	return m
}

// scan calls fn(pattern, end) for every occurrence, in order of end; end is
// the offset just past the match. With a prefilter, the automaton runs only
// on the windows around the prefilter's bytes (every occurrence contains one),
// continuing its state across windows that touch; where the bytes turn out to
// be dense, it runs on the rest of the data.
func (m *matcher) scan(data []byte, fn func(pattern, end int)) {
	pf := m.pre
	if pf == nil {
		m.run(data, 0, len(data), 0, fn)
		return
	}
	var next [maxPrefilterBytes]int
	for k, b := range pf.bytes {
		next[k] = indexFrom(data, 0, b)
	}
	n := len(pf.bytes)
	pos, off := 0, int32(0) // scanned up to pos, in state off
	candidates := 0
	for {
		p := len(data)
		for k := 0; k < n; k++ {
			p = min(p, next[k])
		}
		if p == len(data) {
			return
		}
		ws, we := max(p-pf.maxLen+1, 0), min(p+pf.maxLen, len(data))
		if ws > pos {
			pos, off = ws, 0 // nothing between can be part of a match
		}
		if we > pos {
			off = m.run(data, pos, we, off, fn)
			pos = we
		}
		for k := 0; k < n; k++ {
			if next[k] == p {
				next[k] = indexFrom(data, p+1, pf.bytes[k])
			}
		}
		// Dense: more than one candidate per 16 bytes so far.
		if candidates++; candidates > 64 && candidates*16 > p {
			m.run(data, pos, len(data), off, fn)
			return
		}
	}
}

// run steps the automaton over data[from:to] from state row off and returns
// the state row it ends in.
func (m *matcher) run(data []byte, from, to int, off int32, fn func(pattern, end int)) int32 {
	delta, class := m.delta, &m.class
	nc := int32(m.nclass)
	for i := from; i < to; i++ {
		off = delta[off+int32(class[data[i]])]
		if off < 0 {
			off = ^off
			for _, p := range m.outputs[off/nc] {
				fn(p, i+1)
			}
		}
	}
	return off
}
