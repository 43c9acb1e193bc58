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

// build validates the node tree and builds the model.
// reuse, when set, maps key nodes to flags built from them before (parseFlags).
func build(path string, data []byte, lines []int, doc *node, opts ParseOptions, reuse map[*node]*Flag) (*File, error) {
	pos := func(line, col int) Pos { return Pos{File: path, Line: line, Column: col} }
	fileErr := func(p Pos, kind error, format string, args ...any) error {
		return ErrorList{{Pos: p, Kind: kind, Msg: fmt.Sprintf(format, args...)}}
	}
	f := &File{Path: path, src: data, lines: lines, crlf: bytes.Contains(data, []byte("\r\n")), byName: map[string]*Flag{}}
	if len(doc.Content) == 0 || doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null" {
		return nil, fileErr(pos(1, 1), nil, "file is empty; a flag file starts with \"version: 1\"")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fileErr(pos(root.Line, root.Column), nil, "a flag file is a mapping with version, environment and flags; found %s", describe(root))
	}
	f.root = root
	var errs ErrorList
	seen := map[string]bool{}
	var versionNode *node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		p := pos(k.Line, k.Column)
		if seen[k.Value] {
			errs.Add(p, "", "duplicate key %q; remove one of them", k.Value)
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "version":
			versionNode = v
		case "environment":
			if s, ok := scalarString(v); !ok {
				errs.Add(pos(v.Line, v.Column), "", "environment must be a string, found %s", describe(v))
			} else if !ValidEnvName(s) {
				errs.Add(pos(v.Line, v.Column), "", "bad environment name %q: use lower-case letters, digits, '-' and '_', starting with a letter", s)
			} else {
				f.Environment = s
			}
		case "flags":
			f.flagsKey, f.flagsNode = k, v
		default:
			errs.Add(p, "", "unknown key %q%s", k.Value, DidYouMean(k.Value, topKeys))
		}
	}
	switch {
	case versionNode == nil:
		errs = append(errs, &Error{Pos: pos(root.Line, root.Column), Msg: "version is missing; add \"version: 1\" as the first line"})
	case versionNode.Kind != yaml.ScalarNode || versionNode.Tag != "!!int":
		errs.Add(pos(versionNode.Line, versionNode.Column), "", "version must be the number 1, found %s", describe(versionNode))
	default:
		n, err := strconv.Atoi(versionNode.Value)
		switch {
		case err == nil && n > Version:
			return nil, fileErr(pos(versionNode.Line, versionNode.Column), ErrNewerVersion, "version %d: written by a newer flagctl (this one reads version %d); upgrade flagctl", n, Version)
		case err != nil || n != Version:
			errs.Add(pos(versionNode.Line, versionNode.Column), "", "version must be 1, found %s", versionNode.Value)
		default:
			f.Version = n
		}
	}
	if opts.Env != "" && f.Environment != "" && f.Environment != opts.Env {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "environment" {
				v := root.Content[i+1]
				errs.Add(pos(v.Line, v.Column), "", "environment is %q but the file is for %q; write \"environment: %s\" or move the file", f.Environment, opts.Env, opts.Env)
			}
		}
	}
	if opts.Env != "" && !seen["environment"] {
		errs.Add(pos(root.Line, root.Column), "", "environment is missing; add \"environment: %s\"", opts.Env)
	}
	if f.flagsNode != nil {
		switch {
		case f.flagsNode.Kind == yaml.MappingNode:
			f.parseFlags(pos, reuse)
		case f.flagsNode.Kind == yaml.ScalarNode && f.flagsNode.Tag == "!!null":
			// "flags:" with nothing: no flags.
		default:
			errs.Add(pos(f.flagsNode.Line, f.flagsNode.Column), "", "flags must be a mapping of flag names, found %s", describe(f.flagsNode))
		}
	} else if versionNode != nil {
		errs.Add(pos(root.Line, root.Column), "", "flags is missing; add \"flags: {}\"")
	}
	if len(errs) > 0 {
		errs.Sort()
		for _, fl := range f.Flags {
			errs = append(errs, fl.Problems...)
		}
		errs.Sort()
		return nil, errs
	}
	return f, f.Problems().Err()
}

// parseFlags builds and validates the flags. reuse maps key nodes to flags
// already built from the same nodes (spliceFast); such a flag is only checked
// for a duplicate name, and copied before a problem is added to it.
func (f *File) parseFlags(pos func(l, c int) Pos, reuse map[*node]*Flag) {
	m := f.flagsNode
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if fl, ok := reuse[k]; ok {
			if prev, dup := f.byName[k.Value]; dup {
				c := *fl
				c.Problems = append(ErrorList(nil), fl.Problems...)
				c.Problems.Add(c.Pos, c.Name, "duplicate flag %q (first defined at line %d); remove one of them", k.Value, prev.Pos.Line)
				fl = &c
			} else {
				f.byName[k.Value] = fl
			}
			f.Flags = append(f.Flags, fl)
			continue
		}
		fl := &Flag{Name: k.Value, Pos: pos(k.Line, k.Column), key: k, value: v}
		f.Flags = append(f.Flags, fl)
		if !ValidFlagName(k.Value) {
			fl.Problems.Add(fl.Pos, fl.Name, "bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", k.Value)
		}
		if prev, dup := f.byName[k.Value]; dup {
			fl.Problems.Add(fl.Pos, fl.Name, "duplicate flag %q (first defined at line %d); remove one of them", k.Value, prev.Pos.Line)
		} else {
			f.byName[k.Value] = fl
		}
		fl.parseValue(v, pos)
	}
}

func (fl *Flag) parseValue(v *node, pos func(l, c int) Pos) {
	add := func(n *node, format string, args ...any) {
		fl.Problems.Add(pos(n.Line, n.Column), fl.Name, format, args...)
	}
	if v.Kind == yaml.ScalarNode {
		if b, msg := parseBool(v); msg == "" {
			fl.Boolean, fl.Shorthand = &b, true
		} else if v.Tag == "!!null" {
			add(v, "flag %q has no value; write \"%s: false\" or give it gates", fl.Name, fl.Name)
		} else {
			add(v, "flag %q must be true, false or a mapping of gates; %s", fl.Name, msg)
		}
		return
	}
	if v.Kind != yaml.MappingNode {
		add(v, "flag %q must be true, false or a mapping of gates, found %s", fl.Name, describe(v))
		return
	}
	var seenKnown uint32          // bit i: flagKeys[i] seen
	var seenOther map[string]bool // unknown keys, rare
	var pctNode [2]*node
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		dup := false
		if r := keyRank(k.Value); r < len(flagKeys) {
			dup = seenKnown&(1<<r) != 0
			seenKnown |= 1 << r
		} else {
			if seenOther == nil {
				seenOther = map[string]bool{}
			}
			dup = seenOther[k.Value]
			seenOther[k.Value] = true
		}
		if dup {
			add(k, "duplicate key %q in flag %q; remove one of them", k.Value, fl.Name)
			continue
		}
		str := func() (string, bool) {
			s, ok := scalarString(val)
			if !ok {
				add(val, "%s must be a string, found %s; quote it", k.Value, describe(val))
			}
			return s, ok
		}
		switch k.Value {
		case "description":
			fl.Description, _ = str()
		case "owner":
			fl.Owner, _ = str()
		case "kind":
			if s, ok := str(); ok {
				fl.Kind = Kind(s)
				if !validKind(fl.Kind) {
					add(val, "unknown kind %q; use one of release, experiment, ops, permission%s", s, DidYouMean(s, kindNames()))
				}
			}
		case "created", "expires":
			d, ok := parseDateNode(val)
			if !ok {
				add(val, "%s: bad date %q; write YYYY-MM-DD, e.g. 2027-01-15", k.Value, val.Value)
			} else if k.Value == "created" {
				fl.Created = d
			} else {
				fl.Expires = d
			}
		case "enabled":
			b, msg := parseBool(val)
			if msg != "" {
				add(val, "enabled: %s", msg)
			} else {
				fl.Boolean = &b
			}
		case "actors", "groups":
			gates := fl.parseGates(k.Value, val, add)
			if k.Value == "actors" {
				fl.Actors = gates
			} else {
				fl.Groups = gates
			}
		case "percentage_of_actors", "percentage_of_time":
			idx := 0
			if k.Value == "percentage_of_time" {
				idx = 1
			}
			pctNode[idx] = k
			if val.Kind == yaml.MappingNode { // a ramp (ramp.go)
				r := parseRamp(k.Value, val, add)
				if r != nil {
					r.Pos = pos(k.Line, k.Column)
				}
				if idx == 0 {
					fl.RampOfActors = r
				} else {
					fl.RampOfTime = r
				}
				continue
			}
			if val.Kind != yaml.ScalarNode || val.Tag == "!!null" || val.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				add(val, "%s must be a percentage such as 25%% or 0.25, found %s", k.Value, describe(val))
				continue
			}
			p, err := ParsePercent(val.Value)
			if err != nil {
				add(val, "%s: %v", k.Value, err)
			} else if idx == 0 {
				fl.PercentageOfActors = p
			} else {
				fl.PercentageOfTime = p
			}
		case "schedule": // schedule.go
			fl.parseSchedule(val, pos, add)
		case "bucketing":
			if s, ok := str(); ok {
				b, err := ParseBucketing(s)
				if err != nil {
					add(val, "%v", err)
				} else {
					fl.Bucketing = b
				}
			}
		default:
			add(k, "unknown key %q in flag %q%s", k.Value, fl.Name, DidYouMean(k.Value, flagKeys))
		}
	}
	if pctNode[0] != nil && pctNode[1] != nil {
		add(pctNode[1], "flag %q sets both percentage_of_actors and percentage_of_time; keep one", fl.Name)
	}
	if !fl.Created.IsZero() && !fl.Expires.IsZero() && fl.Expires.Before(fl.Created) {
		for i := 0; i+1 < len(v.Content); i += 2 {
			if v.Content[i].Value == "expires" {
				add(v.Content[i+1], "expires %s is before created %s; fix one of the dates", fl.Expires, fl.Created)
				break
			}
		}
	}
}

func (fl *Flag) parseGates(key string, v *node, add func(*node, string, ...any)) []Gate {
	what := "actor ID"
	if key == "groups" {
		what = "group name"
	}
	if v.Kind != yaml.MappingNode {
		add(v, "%s must be a mapping of %s to true/false, found %s", key, what, describe(v))
		return nil
	}
	gates := make([]Gate, 0, len(v.Content)/2)
	var seen map[string]bool // for long lists; short ones are scanned
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		id, ok := scalarString(k)
		if k.Kind != yaml.ScalarNode || k.Tag == "!!null" {
			add(k, "%s: a %s must be a string", key, what)
			continue
		}
		if !ok {
			id = k.Value
		}
		if strings.TrimSpace(id) == "" {
			add(k, "%s: empty %s; remove the entry or name it", key, what)
			continue
		}
		dup := false
		if len(v.Content) <= 32 {
			_, dup = findGate(gates, id)
		} else {
			if seen == nil {
				seen = make(map[string]bool, len(v.Content)/2)
			}
			dup = seen[id]
			seen[id] = true
		}
		if dup {
			add(k, "%s: duplicate %s %q; remove one of them", key, what, id)
			continue
		}
		b, msg := parseBool(val)
		if msg != "" {
			add(val, "%s %q: %s", what, id, msg)
			continue
		}
		gates = append(gates, Gate{ID: id, Enabled: b})
	}
	return gates
}

// parseBool accepts exactly the plain scalars true and false. The message says how
// to fix anything else.
func parseBool(n *node) (bool, string) {
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		switch n.Value {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
	}
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on", "y":
			return false, fmt.Sprintf("%q is not a boolean here; write true (unquoted)", n.Value)
		case "false", "no", "off", "n":
			return false, fmt.Sprintf("%q is not a boolean here; write false (unquoted)", n.Value)
		}
	}
	return false, fmt.Sprintf("expected true or false, found %s", describe(n))
}

func parseDateNode(n *node) (Date, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!timestamp" && n.Tag != "!!str") {
		return Date{}, false
	}
	d, err := ParseDate(n.Value)
	return d, err == nil
}

func scalarString(n *node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", false
	}
	return n.Value, true
}

func validKind(k Kind) bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

func describe(n *node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!timestamp":
			return "the date " + n.Value
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected node"
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

// lineStarts returns the byte offset where each line begins.
func lineStarts(data []byte) []int {
	out := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			out = append(out, i+1)
		}
	}
	return out
}

// lineCol converts a byte offset to a 1-based line and rune column.
func lineCol(data []byte, lines []int, off int) (int, int) {
	l := 0
	for l+1 < len(lines) && lines[l+1] <= off {
		l++
	}
	return l + 1, utf8.RuneCount(data[lines[l]:off]) + 1
}

func firstRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// controlChar returns the offset of the first character YAML does not allow in
// a document (a control character other than tab, LF and CR, or a
// non-character), or -1. data is valid UTF-8.
func controlChar(data []byte) int {
	for i := 0; i < len(data); {
		c := data[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r >= 0x80 && r <= 0x9f && r != 0x85 || r >= 0xd800 && r <= 0xdfff || r == 0xfffe || r == 0xffff {
			return i
		}
		i += size
	}
	return -1
}

// oddLineBreak returns the offset of the first line break other than LF or CRLF
// (YAML also breaks lines at CR, NEL, LS and PS), or -1.
func oddLineBreak(data []byte) int {
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\r':
			if i+1 >= len(data) || data[i+1] != '\n' {
				return i
			}
		case 0xc2:
			if i+1 < len(data) && data[i+1] == 0x85 {
				return i
			}
		case 0xe2:
			if i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9) {
				return i
			}
		}
	}
	return -1
}

// tabIndents returns the line and column of the first tab in the leading
// whitespace of each line that has one.
func tabIndents(data []byte, lines []int) [][2]int {
	var out [][2]int
	for i, start := range lines {
		for j := start; j < len(data); j++ {
			c := data[j]
			if c == '\t' {
				out = append(out, [2]int{i + 1, j - start + 1})
				break
			}
			if c != ' ' {
				break
			}
		}
	}
	return out
}
