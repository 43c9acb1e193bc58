package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// flagdFlag is one flag definition (open-feature/flagd docs/schema/v0/flags.json).
type flagdFlag struct {
	State          string                     `json:"state"`
	Variants       map[string]json.RawMessage `json:"variants"`
	DefaultVariant *string                    `json:"defaultVariant"`
	Targeting      json.RawMessage            `json:"targeting"`
	Metadata       map[string]json.RawMessage `json:"metadata"`
}

// ReadFlagd translates a flagd flag definition file into flags for env.
// Boolean flags (every variant true or false) are imported: state and
// defaultVariant give the boolean gate; targeting that is exactly a
// "fractional" split between a true and a false variant becomes
// percentage_of_actors (reported: flagd buckets with MurmurHash3, so cohorts
// change). Other targeting, DISABLED flags (flagd answers the caller's
// default), non-boolean flags and $evaluators are reported.
func ReadFlagd(source string, data []byte, env string) (*Result, error) {
	doc := &jsonDoc{data: data}
	var top struct {
		Flags      map[string]json.RawMessage `json:"flags"`
		Evaluators map[string]json.RawMessage `json:"$evaluators"`
	}
	if err := decodeJSON(source, data, &top); err != nil {
		return nil, err
	}
	if top.Flags == nil {
		return nil, sourceErr(source, "1:1", "\"flags\" is missing: a flagd file is {\"flags\": {KEY: {\"state\": ..., \"variants\": ..., \"defaultVariant\": ...}}}")
	}
	res := NewResult(source)
	for name := range top.Evaluators {
		res.Report(source+":"+doc.pos("$evaluators", name), env, "", "$evaluators.%s not imported: flagctl has no shared rules", name)
	}
	keys := make([]string, 0, len(top.Flags))
	for k := range top.Flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	taken := validNames(keys)
	for _, key := range keys {
		at := func(path ...string) string { return source + ":" + doc.pos(append([]string{"flags", key}, path...)...) }
		var fd flagdFlag
		if err := json.Unmarshal(top.Flags[key], &fd); err != nil {
			return nil, sourceErr(source, doc.pos("flags", key), "flag %q: %v", key, jsonTypeMsg(err))
		}
		name, same := FlagName(key)
		if prev, dup := taken[name]; dup && prev != key {
			res.Report(at(), env, name, "flag %q becomes %q, like flag %q; not imported", key, name, prev)
			continue
		}
		if fd.State != "ENABLED" && fd.State != "DISABLED" {
			return nil, sourceErr(source, doc.pos("flags", key, "state"), "flag %q: state must be \"ENABLED\" or \"DISABLED\", found %q", key, fd.State)
		}
		values := map[string]bool{}
		boolean := len(fd.Variants) > 0
		for v, raw := range fd.Variants {
			var b bool
			if err := json.Unmarshal(raw, &b); err != nil {
				boolean = false
				break
			}
			values[v] = b
		}
		if !boolean {
			res.Report(at("variants"), env, name, "not a boolean flag (variants %s): not imported", compactJSON(mustJSON(fd.Variants)))
			continue
		}
		taken[name] = key
		if !same {
			res.Report(at(), env, name, "flagd flag %q is imported as %q (flag names are lower-case letters, digits and _): change the key in code", key, name)
		}
		fl := &flagfile.Flag{Name: name, Boolean: ptr(false)}
		if d, ok := fd.Metadata["description"]; ok {
			json.Unmarshal(d, &fl.Description)
		}
		if o, ok := fd.Metadata["owner"]; ok {
			json.Unmarshal(o, &fl.Owner)
		}
		exact := true
		switch {
		case fd.State == "DISABLED":
			res.Report(at("state"), env, name, "DISABLED: flagd answers the caller's default; imported as off")
			exact = false
		case fd.DefaultVariant == nil:
			res.Report(at("defaultVariant"), env, name, "no defaultVariant: flagd answers the caller's default; imported as off")
			exact = false
		default:
			on, ok := values[*fd.DefaultVariant]
			if !ok {
				return nil, sourceErr(source, doc.pos("flags", key, "defaultVariant"), "flag %q: defaultVariant %q is not one of its variants", key, *fd.DefaultVariant)
			}
			fl.Boolean = ptr(on)
		}
		if t := fd.Targeting; len(t) > 0 && string(t) != "{}" && string(t) != "null" && fd.State == "ENABLED" {
			exact = false
			if p, ok := flagdFractional(t, values); ok && p == 0 {
				fl.Boolean = ptr(false)
				res.Report(at("targeting"), env, name, "fractional split gives every actor a false variant: imported as off")
			} else if ok {
				fl.PercentageOfActors = p
				fl.Boolean = ptr(false)
				res.Report(at("targeting"), env, name, "fractional split imported as percentage_of_actors %s: flagd buckets with MurmurHash3, so which actors are in changes", p)
			} else {
				res.Report(at("targeting"), env, name, "targeting %s not imported: flagctl has no rules; use actor and group gates", compactJSON(t))
			}
		}
		var model Model
		if exact {
			model = constModel(fl.BooleanOn())
		}
		res.Add(env, fl, model)
	}
	return res, nil
}

// flagdFractional reads targeting that is only {"fractional": [bucketBy?,
// [variant, weight]...]} and returns the share of the true variants.
func flagdFractional(t json.RawMessage, values map[string]bool) (flagfile.Percent, bool) {
	var top map[string][]json.RawMessage
	if err := json.Unmarshal(t, &top); err != nil || len(top) != 1 || top["fractional"] == nil {
		return 0, false
	}
	var on, total float64
	for i, raw := range top["fractional"] {
		var entry []json.RawMessage
		if err := json.Unmarshal(raw, &entry); err != nil {
			if i == 0 {
				continue // the bucketBy expression
			}
			return 0, false
		}
		if len(entry) < 1 || len(entry) > 2 {
			return 0, false
		}
		var variant string
		if err := json.Unmarshal(entry[0], &variant); err != nil {
			return 0, false
		}
		v, ok := values[variant]
		if !ok {
			return 0, false
		}
		w := 1.0
		if len(entry) == 2 {
			if err := json.Unmarshal(entry[1], &w); err != nil || w < 0 {
				return 0, false
			}
		}
		total += w
		if v {
			on += w
		}
	}
	if total == 0 || on == 0 {
		return 0, total > 0 && on == 0
	}
	return flagfile.Percent(min(max(math.Round(on/total*100000), 1), 100000)), true
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

func jsonTypeMsg(err error) string {
	var te *json.UnmarshalTypeError
	if ok := asTypeErr(err, &te); ok {
		return fmt.Sprintf("%s: expected %s, found a JSON %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return err.Error()
}

func asTypeErr(err error, te **json.UnmarshalTypeError) bool {
	e, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = e
	}
	return ok
}
