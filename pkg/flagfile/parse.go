package flagfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ParseOptions refine Parse. The zero value checks nothing beyond the format.
type ParseOptions struct {
	// Env, when set, is the environment the file must declare (the file was found
	// through dir/ENV.yaml).
	Env string
	// Strict makes File.Apply (and Update) refuse to edit a file with any problem.
	// By default an edit goes ahead when every problem lies in a flag the edit
	// does not touch; the problems stay, byte for byte, on the returned File.
	Strict bool
}

// topKeys and flagKeys are in canonical order.
var (
	topKeys  = []string{"version", "environment", "flags"}
	flagKeys = []string{"description", "owner", "kind", "created", "expires", "enabled",
		"actors", "groups", "percentage_of_actors", "percentage_of_time", "bucketing", "schedule"}
)

func keyRank(key string) int {
	for i, k := range flagKeys {
		if k == key {
			return i
		}
	}
	return len(flagKeys)
}

// Parse parses and validates a version-1 flag file. path is used in error
// positions only.
//
// A file-level problem (unreadable YAML, wrong version, size, more than one
// document, anchors, non-UTF-8, tab indentation, a malformed top level) returns a
// nil *File and an error; wherever the file can still be read (anchors, a second
// document, tabs read as spaces) the list holds every other problem too. Problems inside individual flags are collected on each
// Flag (Flag.Problems); Parse then returns the File together with an ErrorList of
// every problem, sorted by position. A nil error means the file is fully valid.
func Parse(path string, data []byte, opts ParseOptions) (*File, error) {
	pos := func(line, col int) Pos { return Pos{File: path, Line: line, Column: col} }
	fileErr := func(p Pos, kind error, format string, args ...any) error {
		return ErrorList{{Pos: p, Kind: kind, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > MaxFileSize {
		return nil, fileErr(pos(0, 0), ErrTooLarge, "file is %d bytes, over the %d MiB limit; split flags across environments or remove stale flags", len(data), MaxFileSize>>20)
	}
	lines := lineStarts(data)
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		l, c := lineCol(data, lines, off)
		return nil, fileErr(pos(l, c), nil, "file is not valid UTF-8 (byte 0x%02x); save it as UTF-8", data[off])
	}
	if off := controlChar(data); off >= 0 {
		l, c := lineCol(data, lines, off)
		return nil, fileErr(pos(l, c), nil, "control character %U is not allowed in a flag file; remove it", firstRune(data[off:]))
	}
	if off := oddLineBreak(data); off >= 0 {
		l, c := lineCol(data, lines, off)
		return nil, fileErr(pos(l, c), nil, "unsupported line break (a lone carriage return or a Unicode line separator); save the file with LF or CRLF line endings")
	}
	if tabs := tabIndents(data, lines); len(tabs) > 0 {
		var list ErrorList
		for _, lc := range tabs {
			list.Add(pos(lc[0], lc[1]), "", "tab used for indentation; YAML indents with spaces only")
		}
		list = append(list, problemsBesideTabs(path, data, lines, tabs, opts)...)
		return nil, list.Err()
	}
	doc, fast, soft, hide, err := decode(path, data, lines)
	if err != nil {
		return nil, err
	}
	f, err := build(path, data, lines, doc, opts, nil)
	if f != nil && fast {
		f.fast = true
		f.inText = map[int]bool{} // the fast path's subset has no multi-line scalars
	}
	if len(soft) == 0 {
		return f, err
	}
	// Anchors or a second document: every other problem is reported with them.
	return nil, append(soft, visible(err, hide, nil)...).Err()
}

// visible returns the errors in err (an ErrorList, or nil) except those at a
// position in hide or on a line in skipLines.
func visible(err error, hide map[[2]int]bool, skipLines map[int]bool) ErrorList {
	var list, out ErrorList
	errors.As(err, &list)
	for _, e := range list {
		if !hide[[2]int{e.Pos.Line, e.Pos.Column}] && !skipLines[e.Pos.Line] {
			out = append(out, e)
		}
	}
	return out
}

// problemsBesideTabs reads a file whose indentation has tabs with each such tab
// taken as 2, 4 or 8 spaces, and returns the problems (of the reading with the
// fewest) on lines without tabs, whose positions are unchanged. It returns
// nothing when no reading parses.
func problemsBesideTabs(path string, data []byte, lines []int, tabs [][2]int, opts ParseOptions) ErrorList {
	tabLine := map[int]bool{}
	for _, lc := range tabs {
		tabLine[lc[0]] = true
	}
	var best ErrorList
	found := false
	for _, w := range []int{2, 4, 8} {
		var cp []byte
		for i, start := range lines {
			end := len(data)
			if i+1 < len(lines) {
				end = lines[i+1]
			}
			j := start
			for ; j < end && (data[j] == ' ' || data[j] == '\t'); j++ {
				if data[j] == '\t' {
					cp = append(cp, strings.Repeat(" ", w)...)
				} else {
					cp = append(cp, ' ')
				}
			}
			cp = append(cp, data[j:end]...)
		}
		cl := lineStarts(cp)
		doc, _, soft, hide, err := decode(path, cp, cl)
		if err != nil {
			continue
		}
		_, err = build(path, cp, cl, doc, opts, nil)
		got := append(visible(soft, nil, tabLine), visible(err, hide, tabLine)...)
		if !found || len(got) < len(best) {
			best, found = got, true
		}
	}
	return best
}

// decode returns the document's node tree: from the fast path when the file is in
// its subset, else from yaml.v3, refusing anything but exactly one document.
func decode(path string, data []byte, lines []int) (doc *node, fast bool, soft ErrorList, hide map[[2]int]bool, err error) {
	if doc, ok := fastParse(data, lines); ok {
		return doc, true, nil, nil, nil // the fast path refuses anchors, aliases and merge keys
	}
	pos := func(line, col int) Pos { return Pos{File: path, Line: line, Column: col} }
	fileErr := func(p Pos, format string, args ...any) ErrorList {
		return ErrorList{{Pos: p, Msg: fmt.Sprintf(format, args...)}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var y yaml.Node
	if err := dec.Decode(&y); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, false, nil, nil, fileErr(pos(1, 1), "file is empty; a flag file starts with \"version: 1\"")
		}
		return nil, false, nil, nil, yamlError(path, data, lines, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, false, nil, nil, yamlError(path, data, lines, err)
		}
		soft = append(soft, fileErr(pos(extra.Line, 1), "more than one YAML document; a flag file holds exactly one (remove the extra \"---\")")...)
	}
	// Anchors, aliases and merge keys: each is reported, and the problems they
	// cause where they stand (an alias is not a flag value) are not repeated.
	hide = map[[2]int]bool{}
	lastLine := 0
	for _, n := range findAnchors(&y, nil) {
		hide[[2]int{n.Line, n.Column}] = true
		if n.Line == lastLine {
			continue // "<<: *base" is one problem
		}
		lastLine = n.Line
		soft = append(soft, fileErr(pos(n.Line, n.Column), "anchors, aliases and merge keys are not allowed in flag files; write the values out")...)
	}
	return fromYAML(&y), false, soft, hide, nil
}

// findAnchors appends every node with an anchor, every alias and every merge
// key under n to out.
func findAnchors(n *yaml.Node, out []*yaml.Node) []*yaml.Node {
	if n.Anchor != "" || n.Kind == yaml.AliasNode || n.Tag == "!!merge" {
		out = append(out, n)
	}
	for _, c := range n.Content {
		out = findAnchors(c, out)
	}
	return out
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError converts a yaml.v3 syntax error into a positioned error: at the
// broken construct when syntaxProblem finds it, else at yaml.v3's line.
func yamlError(path string, data []byte, lines []int, err error) error {
	msg := err.Error()
	line := 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	if l, c, text, ok := syntaxProblem(data, lines, msg); ok {
		return ErrorList{{Pos: Pos{File: path, Line: l, Column: c}, Msg: text}}
	}
	return ErrorList{{Pos: Pos{File: path, Line: line, Column: 1}, Msg: "invalid YAML: " + msg}}
}
