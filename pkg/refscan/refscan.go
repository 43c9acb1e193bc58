package refscan

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"runtime"
	"sort"
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
	// Patterns find names that code checks; group 1 is the name. They run only on
	// lines that contain one of Triggers.
	Patterns []*regexp.Regexp
	Triggers []string
	// SkipPrefix: files that start with it are not scanned (generated code).
	SkipPrefix []byte
	// Workers is the number of files scanned at once (default GOMAXPROCS).
	Workers int
}

// Result is what Scan found.
type Result struct {
	// Refs holds the references of each defined flag (by its name, aliases
	// included), sorted by file and line.
	Refs map[string][]Ref
	// Checked holds every name a pattern captured, defined or not.
	Checked []Ref
	// Files is the number of files scanned (skipped ones excluded).
	Files int
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
	tokens = append(tokens, opts.Triggers...)
	m := newMatcher(tokens)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type fileResult struct {
		refs    []Ref
		checked []Ref
		scanned bool
	}
	results := make([]fileResult, len(files))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte // reused: nothing keeps a reference to file contents
			for i := range next {
				data, err := readInto(files[i], buf)
				buf = data[:0]
				if err != nil || isBinary(data) || len(opts.SkipPrefix) > 0 && bytes.HasPrefix(data, opts.SkipPrefix) {
					continue
				}
				r := &results[i]
				r.scanned = true
				lines := lineCounter{data: data}
				lastTriggerLine := -1
				m.scan(data, func(p, end int) {
					start := end - len(tokens[p])
					if p < nTokens {
						if !boundary(data, start, end) {
							return
						}
						r.refs = append(r.refs, Ref{Flag: target[p], File: files[i], Line: lines.at(start)})
						return
					}
					line := lines.at(start)
					if line == lastTriggerLine {
						return
					}
					lastTriggerLine = line
					text := lines.text(start)
					seen := map[string]bool{}
					for _, re := range opts.Patterns {
						for _, sm := range re.FindAllSubmatch(text, -1) {
							if len(sm) > 1 && !seen[string(sm[1])] {
								seen[string(sm[1])] = true
								r.checked = append(r.checked, Ref{Flag: string(sm[1]), File: files[i], Line: line})
							}
						}
					}
				})
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

func sortRefs(refs []Ref) {
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].File != refs[j].File {
			return refs[i].File < refs[j].File
		}
		return refs[i].Line < refs[j].Line
	})
}

// readInto reads a whole file into buf's storage, growing it when needed.
func readInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return buf[:0], err
	}
	size := int(st.Size()) + 1 // one more byte to see EOF in one read
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
	}
	buf = buf[:0]
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) { // the file grew
			buf = append(buf, 0)[:len(buf)]
		}
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
	if off < c.off { // matches arrive in order of their end; rewind if needed
		c.off, c.line = 0, 0
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line + 1
}

// text returns the line that contains off.
func (c *lineCounter) text(off int) []byte {
	start := bytes.LastIndexByte(c.data[:off], '\n') + 1
	end := bytes.IndexByte(c.data[off:], '\n')
	if end < 0 {
		return c.data[start:]
	}
	return c.data[start : off+end]
}
