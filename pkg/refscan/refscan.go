package refscan

import (
	"bytes"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Ref is one reference: a flag name (or a name a pattern captured) at a line.
type Ref struct {
	Flag string `json:"flag"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// Options configure Scan.
type Options struct {
	// Names are the defined flag names. A name counts where it stands as a whole
	// token (not inside a longer identifier).
	Names []string
	// Aliases maps other tokens to a flag name, e.g. the identifiers that
	// `flagctl generate go` writes (NewCheckoutEnabled → new_checkout_enabled).
	Aliases map[string]string
	// Patterns find names that code checks; group 1 is the name, and a match may
	// span lines (a call split after its parenthesis); the reference is the line
	// of the name. Each pattern runs only near the literals every one of its
	// matches contains (see Literals), found in the same pass as the names; a
	// pattern without a usable literal runs on the whole of every file.
	Patterns []*regexp.Regexp
	// SkipPrefix: files that start with it are not scanned (generated code).
	SkipPrefix []byte
	// Workers is the number of files scanned at once (default twice GOMAXPROCS,
	// so a worker waiting in a system call leaves its processor to another).
	Workers int
}

// MaxSpan is how far past its literal a pattern match may extend across lines
// (bytes; the window is then completed to the end of its line).
const MaxSpan = 1024

// Result is what Scan found.
type Result struct {
	// Refs holds the references of each defined flag (by its name, aliases
	// included), sorted by file and line.
	Refs map[string][]Ref
	// Checked holds every name a pattern captured, defined or not, once per
	// name and line.
	Checked []Ref
	// Files is the number of files scanned (skipped ones excluded).
	Files int
}

// compiled is a pattern with what the scan needs to know about it.
type compiled struct {
	re *regexp.Regexp
	// anchored is re anchored where its literal sits: at the start (litPrefix)
	// or the end (litSuffix), so one attempt at the literal decides.
	anchored *regexp.Regexp
	where    int
	multi    bool // can match a line break
}

func compile(re *regexp.Regexp) (compiled, []string) {
	c := compiled{re: re, multi: spansLines(re)}
	lits, where := literalsOf(re)
	c.where = where
	var err error
	switch where {
	case litPrefix:
		c.anchored, err = regexp.Compile(`^(?:` + re.String() + `)`)
	case litSuffix:
		c.anchored, err = regexp.Compile(`(?:` + re.String() + `)$`)
	}
	if err != nil { // cannot happen for a valid re; search unanchored then
		c.where, c.anchored = litInner, nil
	}
	return c, lits
}

// Scan reads every file once and finds the references. Unreadable files are
// skipped; binary files (a NUL byte in the first 8 KiB) too.
func Scan(files []string, opts Options) *Result {
	tokens := append([]string(nil), opts.Names...)
	target := append([]string(nil), opts.Names...)
	for alias, name := range opts.Aliases {
		tokens = append(tokens, alias)
		target = append(target, name)
	}
	nTokens := len(tokens)
	// Pattern literals join the automaton; litPats[i] lists the patterns that
	// token nTokens+i triggers.
	var pats []compiled
	var everywhere []int // patterns without a usable literal
	var litPats [][]int
	litIndex := map[string]int{}
	for pi, re := range opts.Patterns {
		c, lits := compile(re)
		pats = append(pats, c)
		if lits == nil {
			everywhere = append(everywhere, pi)
			continue
		}
		for _, l := range lits {
			li, ok := litIndex[l]
			if !ok {
				li = len(litPats)
				litIndex[l] = li
				litPats = append(litPats, nil)
				tokens = append(tokens, l)
			}
			litPats[li] = append(litPats[li], pi)
		}
	}
	m := newMatcher(tokens)
	workers := opts.Workers
	if workers <= 0 {
		workers = 2 * runtime.GOMAXPROCS(0)
	}
	type fileResult struct {
		refs    []Ref
		checked []Ref
		scanned bool
	}
	results := make([]fileResult, len(files))
	// known interns captured names that are defined (most are), so recording
	// one allocates nothing.
	known := make(map[string]string, len(opts.Names))
	for _, n := range opts.Names {
		known[n] = n
	}
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte // reused: nothing keeps a reference to file contents
			searched := make([]int, len(pats))
			pm := patternMatcher{names: known}
			// The references of all this worker's files share one growing
			// slice (each file keeps its own window of it), so a file costs no
			// allocation of its own.
			var refs []Ref
			for i := range next {
				data, err := readInto(files[i], buf)
				buf = data[:0]
				if err != nil || isBinary(data) || len(opts.SkipPrefix) > 0 && bytes.HasPrefix(data, opts.SkipPrefix) {
					continue
				}
				r := &results[i]
				r.scanned = true
				refStart := len(refs)
				lines := lineCounter{data: data}
				pm.reset(data, files[i])
				for p := range searched {
					searched[p] = -1
				}
				m.scan(data, func(p, end int) {
					start := end - len(tokens[p])
					if p < nTokens {
						if !boundary(data, start, end) {
							return
						}
						refs = append(refs, Ref{Flag: target[p], File: files[i], Line: lines.at(start)})
						return
					}
					for _, pi := range litPats[p-nTokens] {
						if start < searched[pi] {
							continue // this region was searched for pi already
						}
						searched[pi] = pm.near(pats[pi], start, end)
					}
				})
				for _, pi := range everywhere {
					pm.find(pats[pi].re, 0, len(data), -1, -1)
				}
				r.refs = refs[refStart:len(refs):len(refs)]
				checked := pm.done()
				r.checked = checked[:len(checked):len(checked)]
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	res := &Result{Refs: map[string][]Ref{}}
	for _, r := range results {
		if r.scanned {
			res.Files++
		}
		for _, ref := range r.refs {
			res.Refs[ref.Flag] = append(res.Refs[ref.Flag], ref)
		}
		res.Checked = append(res.Checked, r.checked...)
	}
	for _, refs := range res.Refs {
		sortRefs(refs)
	}
	sortRefs(res.Checked)
	return res
}

// patternMatcher runs patterns on regions of one file and collects the names
// they capture, once per name and line.
type patternMatcher struct {
	data  []byte
	file  string
	lines lineCounter
	out   []Ref
	names map[string]string // interned names
}

// reset starts a new file.
func (pm *patternMatcher) reset(data []byte, file string) {
	pm.data, pm.file, pm.lines = data, file, lineCounter{data: data}
	pm.out = pm.out[len(pm.out):] // the previous file keeps its window
	if cap(pm.out) < 64 {
		pm.out = make([]Ref, 0, 4096)
	}
}

// near searches around a literal of p found at [start, end) and returns the
// offset before which later literals of p need no search of their own. A
// prefix literal is where a match starts: one anchored attempt from it, over
// the rest of its line (and up to MaxSpan bytes further when p can span
// lines). A suffix literal is where a match ends. Otherwise the literal's line
// is searched, and when no match there contains the literal and p can span
// lines, up to MaxSpan bytes further.
func (pm *patternMatcher) near(p compiled, start, end int) int {
	data := pm.data
	switch p.where {
	case litPrefix:
		to := lineEnd(data, end)
		if p.multi {
			to = lineEnd(data, min(len(data), end+MaxSpan))
		}
		if sm := p.anchored.FindSubmatchIndex(data[start:to]); sm != nil {
			pm.record(start, sm)
			return start + max(sm[1], 1)
		}
		return start + 1
	case litSuffix:
		from := bytes.LastIndexByte(data[:start], '\n') + 1
		if p.multi {
			back := max(0, start-MaxSpan)
			from = bytes.LastIndexByte(data[:back], '\n') + 1
		}
		if sm := p.anchored.FindSubmatchIndex(data[from:end]); sm != nil {
			pm.record(from, sm)
		}
		return end
	}
	ls := bytes.LastIndexByte(data[:start], '\n') + 1
	le := lineEnd(data, end)
	if covEnd := pm.find(p.re, ls, le, start, end); covEnd >= 0 {
		return covEnd
	}
	if p.multi {
		pm.find(p.re, ls, lineEnd(data, min(len(data), end+MaxSpan)), start, end)
	}
	return le
}

func lineEnd(data []byte, off int) int {
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(data)
}

// find records every match of re in data[from:to]. It returns the end of the
// first match that contains [litStart, litEnd), or -1.
func (pm *patternMatcher) find(re *regexp.Regexp, from, to, litStart, litEnd int) int {
	covEnd := -1
	for _, sm := range re.FindAllSubmatchIndex(pm.data[from:to], -1) {
		if covEnd < 0 && from+sm[0] <= litStart && from+sm[1] >= litEnd {
			covEnd = from + sm[1]
		}
		pm.record(from, sm)
	}
	return covEnd
}

// done returns the names found in the file, sorted by line and name, each
// (name, line) once.
func (pm *patternMatcher) done() []Ref {
	out := pm.out
	if len(out) < 2 {
		return out
	}
	slices.SortFunc(out, func(a, b Ref) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Flag, b.Flag)
	})
	k := 1
	for i := 1; i < len(out); i++ {
		if out[i] != out[k-1] {
			out[k] = out[i]
			k++
		}
	}
	return out[:k]
}

// record notes the name a match captured (sm is relative to from), once per
// name and line: matches arrive in order of their literal, so a repeat on the
// same line is among the last entries.
func (pm *patternMatcher) record(from int, sm []int) {
	if len(sm) < 4 || sm[2] < 0 {
		return
	}
	name := pm.data[from+sm[2] : from+sm[3]]
	line := pm.lines.at(from + sm[2])
	for i := len(pm.out) - 1; i >= 0 && pm.out[i].Line >= line-1; i-- {
		if pm.out[i].Line == line && pm.out[i].Flag == string(name) {
			return
		}
	}
	flag, ok := pm.names[string(name)]
	if !ok {
		flag = string(name)
	}
	pm.out = append(pm.out, Ref{Flag: flag, File: pm.file, Line: line})
}

// sortRefs sorts by file, then line. Results usually arrive sorted (files
// given in order, each scanned front to back), so that is checked first.
func sortRefs(refs []Ref) {
	cmp := func(a, b Ref) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	}
	if !slices.IsSortedFunc(refs, cmp) {
		slices.SortStableFunc(refs, cmp)
	}
}

func isIdent(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// boundary reports whether data[start:end] is a whole token.
func boundary(data []byte, start, end int) bool {
	return (start == 0 || !isIdent(data[start-1])) && (end >= len(data) || !isIdent(data[end]))
}

func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0
}

// lineCounter turns increasing offsets into 1-based line numbers.
type lineCounter struct {
	data []byte
	off  int // offsets before this are counted
	line int // newlines before off
}

func (c *lineCounter) at(off int) int {
	if off < c.off { // matches arrive in order of their end; step back if needed
		c.line -= bytes.Count(c.data[off:c.off], []byte{'\n'})
		c.off = off
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line + 1
}
