// Package ruletest reads rule-test files: evaluation contexts and the result each
// should give, kept next to the flag files (<dir>/tests/*.yaml) and run in CI by
// `flagctl test`.
package ruletest

import (
	"bytes"
	"errors"
	"io"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// Want is a case's expected result.
type Want int

// The expected results. WantRandom accepts a result drawn by a
// percentage_of_time gate.
const (
	WantFalse Want = iota
	WantTrue
	WantRandom
)

// String returns "true", "false" or "random".
func (w Want) String() string { return [...]string{"false", "true", "random"}[w] }

// Case is one rule test.
type Case struct {
	Name string
	// Envs are the environments to check; empty means every environment.
	Envs   []string
	Flag   string
	Actor  string
	Groups []string
	Want   Want
	// At is the time to evaluate at, for ramps and schedules; zero means now.
	At time.Time
	// Pos is the position of the case in its file; FlagPos and EnvPos those of
	// its flag and env values.
	Pos, FlagPos, EnvPos flagfile.Pos
}

// File is a parsed test file.
type File struct {
	Path  string
	Cases []*Case
}

var caseKeys = []string{"name", "env", "flag", "actor", "groups", "want", "at"}

// Parse reads a version-1 test file. Every problem is reported, as a sorted
// flagfile.ErrorList.
func Parse(path string, data []byte) (*File, error) {
	var errs flagfile.ErrorList
	pos := func(n *yaml.Node) flagfile.Pos { return flagfile.Pos{File: path, Line: n.Line, Column: n.Column} }
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			errs.Add(flagfile.Pos{File: path, Line: 1, Column: 1}, "", "file is empty; a test file starts with \"version: 1\"")
			return nil, errs.Err()
		}
		errs.Add(flagfile.Pos{File: path, Line: 1, Column: 1}, "", "invalid YAML: %v", err)
		return nil, errs.Err()
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		errs.Add(flagfile.Pos{File: path, Line: 1, Column: 1}, "", "a test file is a mapping with version and tests")
		return nil, errs.Err()
	}
	f := &File{Path: path}
	root := doc.Content[0]
	var version, tests *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "version":
			version = v
		case "tests":
			tests = v
		default:
			errs.Add(pos(k), "", "unknown key %q%s", k.Value, flagfile.DidYouMean(k.Value, []string{"version", "tests"}))
		}
	}
	switch {
	case version == nil:
		errs.Add(pos(root), "", "version is missing; add \"version: 1\"")
	case version.Tag != "!!int" || version.Value != "1":
		errs.Add(pos(version), "", "version must be 1, found %q", version.Value)
	}
	if tests == nil {
		errs.Add(pos(root), "", "tests is missing; add a list of cases under \"tests:\"")
		return nil, errs.Err()
	}
	if tests.Kind != yaml.SequenceNode {
		errs.Add(pos(tests), "", "tests must be a list of cases")
		return nil, errs.Err()
	}
	for _, item := range tests.Content {
		if item.Kind != yaml.MappingNode {
			errs.Add(pos(item), "", "a test case is a mapping with name, flag and want")
			continue
		}
		c := &Case{Pos: pos(item)}
		seen := map[string]bool{}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			if seen[k.Value] {
				errs.Add(pos(k), "", "duplicate key %q", k.Value)
				continue
			}
			seen[k.Value] = true
			str := func() (string, bool) {
				if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
					errs.Add(pos(v), "", "%s must be a string", k.Value)
					return "", false
				}
				return v.Value, true
			}
			switch k.Value {
			case "name":
				c.Name, _ = str()
			case "flag":
				c.Flag, _ = str()
				c.FlagPos = pos(v)
			case "actor":
				c.Actor, _ = str()
			case "env":
				c.EnvPos = pos(v)
				if v.Kind == yaml.SequenceNode {
					for _, e := range v.Content {
						if e.Kind != yaml.ScalarNode || e.Tag != "!!str" {
							errs.Add(pos(e), "", "env must be an environment name or a list of them")
							continue
						}
						c.Envs = append(c.Envs, e.Value)
					}
				} else if s, ok := str(); ok {
					c.Envs = []string{s}
				}
			case "groups":
				if v.Kind != yaml.SequenceNode {
					errs.Add(pos(v), "", "groups must be a list of group names")
					continue
				}
				for _, g := range v.Content {
					if g.Kind != yaml.ScalarNode || g.Tag != "!!str" || g.Value == "" {
						errs.Add(pos(g), "", "a group is a non-empty string")
						continue
					}
					c.Groups = append(c.Groups, g.Value)
				}
			case "at":
				if v.Kind != yaml.ScalarNode {
					errs.Add(pos(v), "", "at must be a time such as 2026-12-24T18:00:00+01:00")
					continue
				}
				t, err := flagfile.ParseTime(v.Value)
				if err != nil {
					errs.Add(pos(v), "", "at: %v", err)
					continue
				}
				c.At = t
			case "want":
				switch {
				case v.Kind == yaml.ScalarNode && v.Tag == "!!bool" && v.Value == "true":
					c.Want = WantTrue
				case v.Kind == yaml.ScalarNode && v.Tag == "!!bool" && v.Value == "false":
					c.Want = WantFalse
				case v.Kind == yaml.ScalarNode && v.Value == "random" && v.Style == 0:
					c.Want = WantRandom
				default:
					errs.Add(pos(v), "", "want must be true, false or random, found %q", v.Value)
				}
			default:
				errs.Add(pos(k), "", "unknown key %q in a test case%s", k.Value, flagfile.DidYouMean(k.Value, caseKeys))
			}
		}
		for _, req := range []string{"name", "flag", "want"} {
			if !seen[req] {
				errs.Add(pos(item), "", "test case is missing %q", req)
			}
		}
		f.Cases = append(f.Cases, c)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}
