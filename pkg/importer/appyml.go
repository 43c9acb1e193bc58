package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// AppYMLEnvs are the top-level keys of an application.yml that are environment
// blocks (when their value is a mapping); every other top-level key is a
// default. ReadAppYML's extra environments add to them.
var AppYMLEnvs = []string{"development", "test", "staging", "production"}

// DefaultAppYMLKeys selects the keys imported as flags: by convention, feature
// flags end in _enabled.
const DefaultAppYMLKeys = `_enabled$`

// constModel is a flag that answers the same for everyone.
type constModel bool

// Decide returns the constant.
func (c constModel) Decide(string, func(string) bool) (bool, bool) { return bool(c), false }

// ReadAppYML translates a Rails-style application.yml (18F/identity-idp's
// IdentityConfig): top-level keys are defaults, the blocks development:, test:,
// staging: and production: (and any of extraEnvs) override them, deep-merged.
// Every key matching keys whose merged value is an unquoted true or false
// becomes a flag in each environment; other matching keys — strings, numbers,
// quoted booleans ('true'), YAML 1.1 words (yes, on) — are listed, not guessed.
// With only set, only those environments are imported; a file without
// environment blocks imports its defaults into only[0].
func ReadAppYML(source string, data []byte, keys *regexp.Regexp, extraEnvs, only []string) (*Result, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, sourceErr(source, "1:1", "empty file")
		}
		return nil, yamlSourceErr(source, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, sourceErr(source, "1:1", "application.yml must be a mapping of settings (and environment blocks)")
	}
	isEnv := map[string]bool{}
	for _, e := range append(append([]string(nil), AppYMLEnvs...), extraEnvs...) {
		isEnv[e] = true
	}
	type entry struct {
		key   string
		value *yaml.Node
		keyN  *yaml.Node
	}
	var defaults []entry
	blocks := map[string][]entry{}
	var envOrder []string
	top, err := yamlPairs(source, doc.Content[0])
	if err != nil {
		return nil, err
	}
	for _, kv := range top {
		if isEnv[kv.key] && kv.value.Kind == yaml.MappingNode {
			pairs, err := yamlPairs(source, kv.value)
			if err != nil {
				return nil, err
			}
			for _, p := range pairs {
				blocks[kv.key] = append(blocks[kv.key], entry{p.key, p.value, p.keyNode})
			}
			if _, seen := blocks[kv.key]; !seen {
				blocks[kv.key] = nil
			}
			envOrder = append(envOrder, kv.key)
			continue
		}
		defaults = append(defaults, entry{kv.key, kv.value, kv.keyNode})
	}
	if len(only) > 0 {
		var keep []string
		for _, e := range envOrder {
			for _, o := range only {
				if e == o {
					keep = append(keep, e)
				}
			}
		}
		if len(envOrder) == 0 {
			keep = only[:1]
		} else if len(keep) == 0 {
			return nil, sourceErr(source, "", "no environment block %s (the file has %s)", strings.Join(only, ", "), strings.Join(envOrder, ", "))
		}
		envOrder = keep
	}
	if len(envOrder) == 0 {
		return nil, sourceErr(source, "", "no environment blocks (%s); name the environment the defaults go to with --env", strings.Join(AppYMLEnvs, ", "))
	}
	res := NewResult(source)
	pos := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d:%d", source, n.Line, n.Column) }
	for _, env := range envOrder {
		// The merged value of each key: the environment's block wins.
		merged := map[string]entry{}
		var order []string
		for _, list := range [][]entry{defaults, blocks[env]} {
			for _, e := range list {
				if _, ok := merged[e.key]; !ok {
					order = append(order, e.key)
				}
				merged[e.key] = e
			}
		}
		taken := validNames(order)
		for _, key := range order {
			if !keys.MatchString(key) {
				continue
			}
			e := merged[key]
			on, why := yamlBool(e.value)
			if why != "" {
				res.Report(pos(e.value), env, key, "%s is %s: not a boolean, not imported", key, why)
				continue
			}
			name, same := FlagName(key)
			if prev, dup := taken[name]; dup && prev != key {
				res.Report(pos(e.keyN), env, name, "key %q becomes %q, like key %q; not imported", key, name, prev)
				continue
			}
			taken[name] = key
			if !same {
				res.Report(pos(e.keyN), env, name, "key %q is imported as %q (flag names are lower-case letters, digits and _)", key, name)
			}
			res.Add(env, &flagfile.Flag{Name: name, Boolean: ptr(on), Shorthand: true}, constModel(on))
		}
	}
	return res, nil
}

// yamlBool accepts an unquoted true or false (any case, as Psych does); why
// describes anything else.
func yamlBool(n *yaml.Node) (bool, string) {
	if n.Kind == yaml.ScalarNode {
		quoted := n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0
		lower := strings.ToLower(n.Value)
		switch {
		case !quoted && n.Tag == "!!bool" && (lower == "true" || lower == "false"):
			return lower == "true", ""
		case quoted && (lower == "true" || lower == "false"):
			return false, fmt.Sprintf("the quoted string %s (a string in Ruby; write %s unquoted to make it a flag)", yamlQuote(n), lower)
		case !quoted && (lower == "yes" || lower == "no" || lower == "on" || lower == "off"):
			return false, fmt.Sprintf("%s (a YAML 1.1 boolean to Ruby, a string to YAML 1.2; write true or false)", n.Value)
		case n.Tag == "!!null":
			return false, "empty"
		case n.Tag == "!!int" || n.Tag == "!!float":
			return false, "the number " + n.Value
		}
		return false, "the string " + yamlQuote(n)
	}
	if n.Kind == yaml.MappingNode {
		return false, "a mapping"
	}
	return false, "a list"
}

func yamlQuote(n *yaml.Node) string {
	v := n.Value
	if len(v) > 60 {
		v = v[:57] + "..."
	}
	return fmt.Sprintf("%q", v)
}

type yamlPair struct {
	key     string
	keyNode *yaml.Node
	value   *yaml.Node
}

// yamlPairs returns a mapping's entries with aliases resolved and merge keys
// (<<: *defaults) expanded, later keys overriding merged ones.
func yamlPairs(source string, m *yaml.Node) ([]yamlPair, error) {
	return (&yamlMerger{source: source, done: map[*yaml.Node][]yamlPair{}, busy: map[*yaml.Node]bool{}}).pairs(m)
}

// yamlMerger expands each mapping once (a merge chain stays linear) and
// refuses a mapping that merges itself.
type yamlMerger struct {
	source string
	done   map[*yaml.Node][]yamlPair
	busy   map[*yaml.Node]bool
}

func (y *yamlMerger) pairs(m *yaml.Node) ([]yamlPair, error) {
	if p, ok := y.done[m]; ok {
		return p, nil
	}
	if y.busy[m] {
		return nil, sourceErr(y.source, fmt.Sprintf("%d:%d", m.Line, m.Column), "a merge key (<<) includes the mapping it is in")
	}
	y.busy[m] = true
	defer delete(y.busy, m)
	source := y.source
	var out []yamlPair
	index := map[string]int{}
	set := func(p yamlPair, override bool) {
		if i, ok := index[p.key]; ok {
			if override {
				out[i] = p
			}
			return
		}
		index[p.key] = len(out)
		out = append(out, p)
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolveAlias(m.Content[i+1])
		if k.Tag == "!!merge" || k.Value == "<<" && k.Style == 0 {
			if v.Kind == yaml.SequenceNode {
				for _, c := range v.Content {
					merges = append(merges, resolveAlias(c))
				}
			} else {
				merges = append(merges, v)
			}
			continue
		}
		set(yamlPair{k.Value, k, v}, true)
	}
	for _, mm := range merges {
		if mm.Kind != yaml.MappingNode {
			return nil, sourceErr(source, fmt.Sprintf("%d:%d", mm.Line, mm.Column), "a merge key (<<) must name a mapping")
		}
		pairs, err := y.pairs(mm)
		if err != nil {
			return nil, err
		}
		for _, p := range pairs {
			set(p, false)
		}
	}
	y.done[m] = out
	return out, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

var yamlErrLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlSourceErr(source string, err error) error {
	if m := yamlErrLineRE.FindStringSubmatch(err.Error()); m != nil {
		return sourceErr(source, m[1], "not valid YAML: %s", m[2])
	}
	return sourceErr(source, "", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
}
