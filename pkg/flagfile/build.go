package flagfile

import (
	"bytes"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

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
	// Sized once: a 10,000-flag file would otherwise grow the map and the
	// slice a dozen times.
	if len(m.Content) > 0 {
		f.byName = make(map[string]*Flag, len(m.Content)/2)
		f.Flags = make([]*Flag, 0, len(m.Content)/2)
	}
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
