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
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{nclass: 1}
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if m.class[p[i]] == 0 {
				m.class[p[i]] = uint8(m.nclass)
				m.nclass++
			}
		}
	}
	// Trie.
	type node struct {
		next map[uint8]int32
		fail int32
		out  []int
	}
	nodes := []node{{next: map[uint8]int32{}}}
	for pi, p := range patterns {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := m.class[p[i]]
			n, ok := nodes[s].next[c]
			if !ok {
				n = int32(len(nodes))
				nodes = append(nodes, node{next: map[uint8]int32{}})
				nodes[s].next[c] = n
			}
			s = n
		}
		nodes[s].out = append(nodes[s].out, pi)
		m.lens = append(m.lens, len(p))
	}
	// Breadth-first: failure links and the full transition table.
	m.delta = make([]int32, len(nodes)*m.nclass)
	queue := []int32{}
	for c := 1; c < m.nclass; c++ {
		if n, ok := nodes[0].next[uint8(c)]; ok {
			m.delta[c] = n
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 1; c < m.nclass; c++ {
			if n, ok := nodes[s].next[uint8(c)]; ok {
				nodes[n].fail = m.delta[int(f)*m.nclass+c]
				m.delta[int(s)*m.nclass+c] = n
				queue = append(queue, n)
			} else {
				m.delta[int(s)*m.nclass+c] = m.delta[int(f)*m.nclass+c]
			}
		}
	}
	// Renumber states breadth-first: the shallow states, where a scan spends
	// nearly all its time, then share cache lines.
	order := make([]int32, 0, len(nodes))
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		for c := 1; c < m.nclass; c++ {
			if n, ok := nodes[order[i]].next[uint8(c)]; ok {
				order = append(order, n)
			}
		}
	}
	renum := make([]int32, len(nodes))
	for newID, old := range order {
		renum[old] = int32(newID)
	}
	delta := make([]int32, len(m.delta))
	m.outputs = make([][]int, len(nodes))
	for old := range nodes {
		n := renum[old]
		m.outputs[n] = nodes[old].out
		for c := 0; c < m.nclass; c++ {
			delta[int(n)*m.nclass+c] = renum[m.delta[old*m.nclass+c]]
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

// scan calls fn(pattern, end) for every occurrence; end is the offset just past
// the match.
func (m *matcher) scan(data []byte, fn func(pattern, end int)) {
	delta, class := m.delta, &m.class
	nc := int32(m.nclass)
	off := int32(0) // the current state's row
	for i := 0; i < len(data); i++ {
		off = delta[off+int32(class[data[i]])]
		if off < 0 {
			off = ^off
			for _, p := range m.outputs[off/nc] {
				fn(p, i+1)
			}
		}
	}
}
