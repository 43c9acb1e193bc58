package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// flipperFeature is one feature of a Flipper export (version 1). Values are
// strings or null; expression is a nested object.
type flipperFeature struct {
	Boolean            *string         `json:"boolean"`
	Expression         json.RawMessage `json:"expression"`
	Actors             []string        `json:"actors"`
	Groups             []string        `json:"groups"`
	PercentageOfActors *string         `json:"percentage_of_actors"`
	PercentageOfTime   *string         `json:"percentage_of_time"`
	// unknown lists gates this version of flagctl does not know.
	unknown []string
}

// flipperGateKeys are the gates a version-1 export writes for every feature.
var flipperGateKeys = []string{"boolean", "expression", "actors", "groups", "percentage_of_actors", "percentage_of_time"}

// ReadFlipper translates a Flipper export (lib/flipper/exporters/json/v1.rb)
// into flags for env. Every flag carries "bucketing: flipper", so its
// percentage_of_actors keeps Flipper's cohorts. Expression gates, a
// percentage of time next to a percentage of actors, unknown gates and
// renamed features are reported.
func ReadFlipper(source string, data []byte, env string) (*Result, error) {
	doc := &jsonDoc{data: data}
	features, ok := decodeFlipperFast(data)
	if !ok {
		var err error
		if features, err = decodeFlipper(source, doc); err != nil {
			return nil, err
		}
	}
	names := make([]string, 0, len(features))
	for name := range features {
		names = append(names, name)
	}
	sort.Strings(names)
	res := NewResult(source)
	taken := validNames(names)
	for _, name := range names {
		fl, model, err := flipperFlag(source, doc, res, env, name, features[name])
		if err != nil {
			return nil, err
		}
		if prev, dup := taken[fl.Name]; dup && prev != name {
			res.Report(source+":"+doc.pos("features", name), env, fl.Name, "feature %q becomes flag %q, like feature %q; not imported: rename one of them in Flipper first", name, fl.Name, prev)
			continue
		}
		taken[fl.Name] = name
		res.Add(env, fl, model)
	}
	for _, name := range names {
		for _, g := range features[name].Groups {
			res.addGroup(g)
		}
	}
	return res, nil
}

// decodeFlipperFast decodes a well-formed export in one pass; anything
// unexpected (a type, an unknown key, trailing data) leaves it to
// decodeFlipper, which says where.
func decodeFlipperFast(data []byte) (map[string]*flipperFeature, bool) {
	var top struct {
		Version  json.Number                `json:"version"`
		Features map[string]*flipperFeature `json:"features"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil || top.Version != "1" || top.Features == nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	for _, f := range top.Features {
		if f == nil {
			return nil, false
		}
	}
	return top.Features, true
}

// decodeFlipper decodes an export gate by gate, with positioned errors.
func decodeFlipper(source string, doc *jsonDoc) (map[string]*flipperFeature, error) {
	var top map[string]json.RawMessage
	if err := decodeJSON(source, doc.data, &top); err != nil {
		return nil, err
	}
	if top == nil {
		return nil, sourceErr(source, "1:1", "a Flipper export is an object with \"version\" and \"features\"")
	}
	rawVersion, ok := top["version"]
	if !ok {
		return nil, sourceErr(source, "1:1", "\"version\" is missing; is this a Flipper export (Flipper.export)?")
	}
	var version json.Number
	if err := json.Unmarshal(rawVersion, &version); err != nil || version.String() != "1" {
		return nil, sourceErr(source, doc.pos("version"), "unsupported export version %s; flagctl reads Flipper's version 1 exports", strings.TrimSpace(string(rawVersion)))
	}
	rawFeatures, ok := top["features"]
	if !ok {
		return nil, sourceErr(source, "1:1", "\"features\" is missing; a Flipper export has {\"version\": 1, \"features\": {...}}")
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(rawFeatures, &raw); err != nil {
		return nil, sourceErr(source, doc.pos("features"), "\"features\" must be an object of feature names to gates, each an object")
	}
	out := make(map[string]*flipperFeature, len(raw))
	for key, gates := range raw {
		bad := func(gate, format string, args ...any) error {
			return sourceErr(source, doc.pos("features", key, gate), format, args...)
		}
		if gates == nil {
			return nil, bad("", "feature %q must be an object of gates", key)
		}
		f := &flipperFeature{Expression: gates["expression"]}
		str := func(gate string) (*string, error) {
			raw, ok := gates[gate]
			if !ok || string(raw) == "null" {
				return nil, nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, bad(gate, "%s must be a string or null, found %s", gate, raw)
			}
			return &s, nil
		}
		list := func(gate string) ([]string, error) {
			raw, ok := gates[gate]
			if !ok || string(raw) == "null" {
				return nil, nil
			}
			var l []string
			if err := json.Unmarshal(raw, &l); err != nil {
				return nil, bad(gate, "%s must be a list of strings, found %s", gate, raw)
			}
			return l, nil
		}
		var err error
		if f.Boolean, err = str("boolean"); err != nil {
			return nil, err
		}
		if f.PercentageOfActors, err = str("percentage_of_actors"); err != nil {
			return nil, err
		}
		if f.PercentageOfTime, err = str("percentage_of_time"); err != nil {
			return nil, err
		}
		if f.Actors, err = list("actors"); err != nil {
			return nil, err
		}
		if f.Groups, err = list("groups"); err != nil {
			return nil, err
		}
		for k, v := range gates {
			if !slices.Contains(flipperGateKeys, k) && string(v) != "null" && string(v) != "[]" {
				f.unknown = append(f.unknown, k)
			}
		}
		sort.Strings(f.unknown)
		out[key] = f
	}
	return out, nil
}

func flipperFlag(source string, doc *jsonDoc, res *Result, env, key string, feat *flipperFeature) (*flagfile.Flag, Model, error) {
	name, same := FlagName(key)
	at := func(gate string) string { return source + ":" + doc.pos("features", key, gate) }
	bad := func(gate, format string, args ...any) error {
		return sourceErr(source, doc.pos("features", key, gate), format, args...)
	}
	if !same {
		msg := "Flipper feature %q is imported as %q (flag names are lower-case letters, digits and _): change the name in code"
		if pa := feat.PercentageOfActors; pa != nil {
			if f, err := flipperNumber(*pa); err == nil && f > 0 {
				msg += "; percentage-of-actors cohorts change with the name"
			}
		}
		res.Report(at(""), env, name, msg, key, name)
	}
	for _, k := range feat.unknown {
		res.Report(at(k), env, name, "unknown Flipper gate %q not imported", k)
	}
	for gate, l := range map[string][]string{"actors": feat.Actors, "groups": feat.Groups} {
		for i, id := range l {
			if strings.TrimSpace(id) == "" {
				return nil, nil, sourceErr(source, doc.pos("features", key, gate, strconv.Itoa(i)), "%s: empty entry; remove it from Flipper", gate)
			}
		}
	}
	fl := &flagfile.Flag{Name: name, Bucketing: flagfile.BucketingFlipper}
	model := &FlipperGates{Feature: key, Actors: map[string]bool{}, Groups: map[string]bool{}}
	switch {
	case feat.Boolean == nil || *feat.Boolean == "false":
		fl.Boolean = ptr(false)
	case *feat.Boolean == "true":
		fl.Boolean, model.Boolean = ptr(true), true
	default:
		return nil, nil, bad("boolean", "boolean must be \"true\", \"false\" or null, found %q", *feat.Boolean)
	}
	for _, id := range feat.Actors {
		if !model.Actors[id] {
			fl.Actors = append(fl.Actors, flagfile.Gate{ID: id, Enabled: true})
			model.Actors[id] = true
		}
	}
	for _, g := range feat.Groups {
		if !model.Groups[g] {
			fl.Groups = append(fl.Groups, flagfile.Gate{ID: g, Enabled: true})
			model.Groups[g] = true
		}
	}
	if feat.PercentageOfActors != nil {
		pa := *feat.PercentageOfActors
		f, err := flipperNumber(pa)
		if err != nil {
			return nil, nil, bad("percentage_of_actors", "percentage_of_actors %q: %v", pa, err)
		}
		model.PctActors = pa
		if f > 0 {
			p, exact := flipperActorsPercent(f)
			fl.PercentageOfActors = p
			if !exact {
				res.Report(at("percentage_of_actors"), env, name, "percentage_of_actors %s%% has more precision than flagctl keeps: written as %s, some actors change cohort", pa, p)
			}
		}
	}
	if feat.PercentageOfTime != nil {
		pt := *feat.PercentageOfTime
		f, err := flipperNumber(pt)
		if err != nil {
			return nil, nil, bad("percentage_of_time", "percentage_of_time %q: %v", pt, err)
		}
		model.PctTime = pt
		if f > 0 {
			p, exact := percentOf(f)
			switch {
			case fl.PercentageOfActors != 0:
				res.Report(at("percentage_of_time"), env, name, "percentage_of_time %s%% not imported: a flagctl flag has one percentage gate and percentage_of_actors %s is kept", pt, fl.PercentageOfActors)
			case !exact:
				fl.PercentageOfTime = p
				res.Report(at("percentage_of_time"), env, name, "percentage_of_time %s%% rounded to %s", pt, p)
			default:
				fl.PercentageOfTime = p
			}
		}
	}
	if raw := feat.Expression; len(raw) > 0 && string(raw) != "null" {
		res.Report(at("expression"), env, name, "expression gate %s not imported: flagctl has no expressions; use actor or group gates", compactJSON(raw))
	}
	return fl, model, nil
}

// flipperNumber reads a percentage as Ruby's String#to_f would for a well-formed
// number, refusing anything else.
func flipperNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errNotNumber
	}
	return f, nil
}

type constError string

func (e constError) Error() string { return string(e) }

const errNotNumber = constError("not a number; Flipper writes percentages such as \"25\" or \"12.345\"")

// flipperActorsPercent picks the flagctl percentage whose Flipper bucket limit
// equals the source's (so exactly the same actors are in), and reports whether
// there is one.
func flipperActorsPercent(f float64) (flagfile.Percent, bool) {
	if f >= 100 {
		return flagfile.PercentMax, true
	}
	limit := uint32(math.Ceil(f * 1000))
	// The percentage as written first, so 2.007 stays 2.007% (its limit is
	// 2008, like 2.008%'s).
	for _, p := range []uint32{uint32(math.Round(f * 1000)), limit, limit - 1} {
		if p > 0 && p <= uint32(flagfile.PercentMax) && eval.FlipperLimit(flagfile.Percent(p)) == limit {
			return flagfile.Percent(p), true
		}
	}
	p := flagfile.Percent(max(1, min(uint32(math.Round(f*1000)), uint32(flagfile.PercentMax))))
	return p, false
}

// percentOf converts a 0-100 percentage to flagctl's thousandths of a percent,
// reporting whether that was exact.
func percentOf(f float64) (flagfile.Percent, bool) {
	if f >= 100 {
		return flagfile.PercentMax, f == 100
	}
	v := math.Round(f * 1000)
	p := flagfile.Percent(max(1, v))
	return p, math.Abs(v-f*1000) < 1e-6 && v >= 1
}

func ptr(b bool) *bool { return &b }

// compactJSON renders raw JSON on one line, at most 120 characters.
func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	s := b.String()
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
