// Package jsonschema is a small JSON Schema (draft 2020-12) validator covering
// the keywords flagctl's own schemas use: $ref (local), type, const, enum,
// pattern, minLength, properties, additionalProperties, propertyNames, required,
// items, oneOf, not, exclusiveMinimum, minimum, maximum, minItems, minProperties. Tests use it to check that the
// schemas and the Go validators agree; it is not a general validator.
package jsonschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Schema is a compiled schema document.
type Schema struct {
	root map[string]any
}

// Compile parses a schema document.
func Compile(data []byte) (*Schema, error) {
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	return &Schema{root: root}, nil
}

// FromYAML converts a YAML document to the JSON data model: mappings with string
// keys, sequences, strings (timestamps stay strings, as editors read YAML 1.2),
// float64 numbers, booleans and nil.
func FromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return FromYAML(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := FromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		var out []any
		for _, c := range n.Content {
			v, err := FromYAML(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int", "!!float":
			var f float64
			err := n.Decode(&f)
			return f, err
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("unsupported YAML node at line %d", n.Line)
}

// Validate returns nil when v is valid, or the first violation found.
func (s *Schema) Validate(v any) error { return s.check(s.root, v, "") }

func (s *Schema) check(sch map[string]any, v any, at string) error {
	if ref, ok := sch["$ref"].(string); ok {
		target, err := s.resolve(ref)
		if err != nil {
			return err
		}
		if err := s.check(target, v, at); err != nil {
			return err
		}
	}
	if t, ok := sch["type"]; ok && !typeMatches(t, v) {
		return fmt.Errorf("%s: %v is not of type %v", at, v, t)
	}
	if c, ok := sch["const"]; ok && !equal(c, v) {
		return fmt.Errorf("%s: %v is not %v", at, v, c)
	}
	if e, ok := sch["enum"].([]any); ok {
		found := false
		for _, x := range e {
			found = found || equal(x, v)
		}
		if !found {
			return fmt.Errorf("%s: %v is not one of %v", at, v, e)
		}
	}
	if str, ok := v.(string); ok {
		if p, ok := sch["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			return fmt.Errorf("%s: %q does not match %s", at, str, p)
		}
		if m, ok := sch["minLength"].(float64); ok && utf8.RuneCountInString(str) < int(m) {
			return fmt.Errorf("%s: %q is too short", at, str)
		}
	}
	if num, ok := v.(float64); ok {
		if m, ok := sch["exclusiveMinimum"].(float64); ok && num <= m {
			return fmt.Errorf("%s: %v <= %v", at, num, m)
		}
		if m, ok := sch["maximum"].(float64); ok && num > m {
			return fmt.Errorf("%s: %v > %v", at, num, m)
		}
		if m, ok := sch["minimum"].(float64); ok && num < m {
			return fmt.Errorf("%s: %v < %v", at, num, m)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := sch["properties"].(map[string]any)
		if m, ok := sch["minProperties"].(float64); ok && len(obj) < int(m) {
			return fmt.Errorf("%s: fewer than %v properties", at, m)
		}
		for _, r := range asList(sch["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				return fmt.Errorf("%s: %q is required", at, r)
			}
		}
		for k, val := range obj {
			if pn, ok := sch["propertyNames"].(map[string]any); ok {
				if err := s.check(pn, k, at+"/"+k+"(name)"); err != nil {
					return err
				}
			}
			if ps, ok := props[k].(map[string]any); ok {
				if err := s.check(ps, val, at+"/"+k); err != nil {
					return err
				}
				continue
			}
			switch ap := sch["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: property %q is not allowed", at, k)
				}
			case map[string]any:
				if err := s.check(ap, val, at+"/"+k); err != nil {
					return err
				}
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if m, ok := sch["minItems"].(float64); ok && len(arr) < int(m) {
			return fmt.Errorf("%s: fewer than %v items", at, m)
		}
		if items, ok := sch["items"].(map[string]any); ok {
			for i, x := range arr {
				if err := s.check(items, x, fmt.Sprintf("%s/%d", at, i)); err != nil {
					return err
				}
			}
		}
	}
	if one, ok := sch["oneOf"].([]any); ok {
		n := 0
		for _, sub := range one {
			if s.check(sub.(map[string]any), v, at) == nil {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: %v matches %d of oneOf, want exactly 1", at, v, n)
		}
	}
	if not, ok := sch["not"].(map[string]any); ok && s.check(not, v, at) == nil {
		return fmt.Errorf("%s: %v matches a \"not\" schema", at, v)
	}
	return nil
}

func (s *Schema) resolve(ref string) (map[string]any, error) {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	var cur any = s.root
	for _, part := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("bad $ref %q", ref)
		}
		cur = m[part]
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("bad $ref %q", ref)
	}
	return m, nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func typeMatches(t any, v any) bool {
	for _, name := range append(asList(t), t) {
		n, _ := name.(string)
		switch n {
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "null":
			if v == nil {
				return true
			}
		}
	}
	return false
}

func equal(a, b any) bool { return reflect.DeepEqual(a, b) }
