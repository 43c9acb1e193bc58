package importer

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// unleashExport is the part of Unleash's export (src/lib/openapi/spec/
// export-result-schema.ts) that flagctl reads.
type unleashExport struct {
	Features []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Type        string `json:"type"`
		CreatedAt   string `json:"createdAt"`
	} `json:"features"`
	FeatureStrategies   []unleashStrategy `json:"featureStrategies"`
	FeatureEnvironments []struct {
		FeatureName string            `json:"featureName"`
		Environment string            `json:"environment"`
		Enabled     bool              `json:"enabled"`
		Variants    []json.RawMessage `json:"variants"`
	} `json:"featureEnvironments"`
	FeatureTags []struct {
		FeatureName string `json:"featureName"`
		TagType     string `json:"tagType"`
		TagValue    string `json:"tagValue"`
	} `json:"featureTags"`
}

// unleashStrategy is one strategy of a feature in the exported environment.
type unleashStrategy struct {
	Name        string            `json:"name"`
	FeatureName string            `json:"featureName"`
	Environment string            `json:"environment"`
	Parameters  map[string]any    `json:"parameters"`
	Constraints []json.RawMessage `json:"constraints"`
	Segments    []json.RawMessage `json:"segments"`
	Disabled    bool              `json:"disabled"`
}

// unleashKinds maps Unleash's feature types to flagctl kinds.
var unleashKinds = map[string]flagfile.Kind{
	"release": flagfile.KindRelease, "experiment": flagfile.KindExperiment,
	"operational": flagfile.KindOps, "kill-switch": flagfile.KindOps, "permission": flagfile.KindPermission,
}

// ReadUnleash translates an Unleash export into flags per environment (the
// export's featureEnvironments; env, when set, picks one, and is where
// features without an environment go). A feature disabled in an environment
// is off there. Enabled without enabled strategies, it is on (Unleash sends SDKs
// no disabled strategy). Otherwise its strategies open it: default → on for everyone,
// userWithId → actor gates, flexibleRollout → percentage of actors (reported:
// Unleash buckets with MurmurHash3, so cohorts change; stickiness random →
// percentage of time) and 100% → on. Strategies with constraints or segments,
// other strategy types and variants are reported and left out. Description,
// type (as kind), createdAt and an "owner" tag are kept.
func ReadUnleash(source string, data []byte, env string) (*Result, error) {
	doc := &jsonDoc{data: data}
	var ex unleashExport
	if err := decodeJSON(source, data, &ex); err != nil {
		return nil, err
	}
	if ex.Features == nil {
		return nil, sourceErr(source, "1:1", "\"features\" is missing: is this an Unleash export (features, featureStrategies, featureEnvironments)?")
	}
	res := NewResult(source)
	type key struct{ feature, env string }
	enabled := map[key]bool{}
	envsOf := map[string][]string{}
	var envOrder, all []string
	seenEnv := map[string]bool{}
	for _, fe := range ex.FeatureEnvironments {
		if !seenEnv[fe.Environment] {
			seenEnv[fe.Environment] = true
			all = append(all, fe.Environment)
		}
	}
	if env != "" && len(all) > 0 && !seenEnv[env] {
		return nil, sourceErr(source, "", "no environment %s in the export (it has %s)", env, strings.Join(all, ", "))
	}
	seenEnv = map[string]bool{}
	for i, fe := range ex.FeatureEnvironments {
		if env != "" && fe.Environment != env {
			continue
		}
		if fe.FeatureName == "" || fe.Environment == "" {
			return nil, sourceErr(source, doc.pos("featureEnvironments", strconv.Itoa(i)), "featureEnvironments entry without featureName or environment")
		}
		enabled[key{fe.FeatureName, fe.Environment}] = fe.Enabled
		envsOf[fe.FeatureName] = append(envsOf[fe.FeatureName], fe.Environment)
		if !seenEnv[fe.Environment] {
			seenEnv[fe.Environment] = true
			envOrder = append(envOrder, fe.Environment)
		}
		if len(fe.Variants) > 0 {
			res.Report(source+":"+doc.pos("featureEnvironments", strconv.Itoa(i), "variants"), fe.Environment, unleashName(fe.FeatureName), "variants not imported: flagctl flags are booleans")
		}
	}
	if len(envOrder) == 0 {
		if env == "" {
			return nil, sourceErr(source, "", "the export names no environment (featureEnvironments); choose one with --env")
		}
		envOrder = []string{env}
	}
	flags := map[key]*flagfile.Flag{}
	featureNames := make([]string, len(ex.Features))
	for i, f := range ex.Features {
		featureNames[i] = f.Name
	}
	taken, imported := validNames(featureNames), map[string]bool{}
	models := map[key]*FlipperGates{}
	exact := map[key]bool{}
	for i, f := range ex.Features {
		if f.Name == "" {
			return nil, sourceErr(source, doc.pos("features", strconv.Itoa(i)), "feature without a name")
		}
		name, same := FlagName(f.Name)
		if prev, dup := taken[name]; dup && (prev != f.Name || imported[name]) {
			res.Report(source+":"+doc.pos("features", strconv.Itoa(i), "name"), "", name, "feature %q becomes %q, like feature %q; not imported: rename one of them first", f.Name, name, prev)
			continue
		}
		taken[name], imported[name] = f.Name, true
		envs := envsOf[f.Name]
		if len(envs) == 0 {
			envs = envOrder[:1]
			if len(ex.FeatureEnvironments) > 0 {
				envs = nil // not in the chosen environment
			}
		}
		for _, e := range envs {
			k := key{f.Name, e}
			fl := &flagfile.Flag{Name: name, Description: f.Description, Kind: unleashKinds[f.Type], Boolean: ptr(false)}
			if t, err := time.Parse(time.RFC3339, f.CreatedAt); err == nil {
				fl.Created = flagfile.DateOf(t.UTC())
			}
			for _, tag := range ex.FeatureTags {
				if tag.FeatureName == f.Name && (tag.TagType == "owner" || tag.TagType == "team") {
					fl.Owner = tag.TagValue
				}
			}
			if !same {
				res.Report(source+":"+doc.pos("features", strconv.Itoa(i), "name"), e, name, "Unleash feature %q is imported as %q (flag names are lower-case letters, digits and _): change the name in code", f.Name, name)
			}
			flags[k], models[k], exact[k] = fl, &FlipperGates{Actors: map[string]bool{}}, true
			res.Add(e, fl, nil)
		}
	}
	for i, s := range ex.FeatureStrategies {
		at := func(path ...string) string {
			return source + ":" + doc.pos(append([]string{"featureStrategies", strconv.Itoa(i)}, path...)...)
		}
		envs := envsOf[s.FeatureName]
		if s.Environment != "" {
			envs = []string{s.Environment}
		} else if len(envs) == 0 && len(ex.FeatureEnvironments) == 0 {
			envs = envOrder[:1]
		}
		for _, e := range envs {
			k := key{s.FeatureName, e}
			fl := flags[k]
			if fl == nil || s.Disabled || (len(ex.FeatureEnvironments) > 0 && !enabled[k]) {
				continue // disabled strategy, or feature off here: the strategy never runs
			}
			m := models[k]
			if len(s.Constraints) > 0 || len(s.Segments) > 0 {
				res.Report(at("constraints"), e, fl.Name, "%s strategy with constraints or segments not imported: flagctl has no rules; use actor and group gates", s.Name)
				exact[k] = false
				continue
			}
			switch s.Name {
			case "default":
				fl.Boolean, m.Boolean = ptr(true), true
			case "userWithId":
				ids, _ := s.Parameters["userIds"].(string)
				for _, id := range strings.Split(ids, ",") {
					if id = strings.TrimSpace(id); id != "" && !m.Actors[id] {
						fl.Actors = append(fl.Actors, flagfile.Gate{ID: id, Enabled: true})
						m.Actors[id] = true
					}
				}
			case "flexibleRollout":
				rollout, err := unleashNumber(s.Parameters["rollout"])
				if err != nil || rollout < 0 || rollout > 100 {
					return nil, sourceErr(source, doc.pos("featureStrategies", strconv.Itoa(i), "parameters", "rollout"), "flexibleRollout: rollout must be a number from 0 to 100")
				}
				stick, _ := s.Parameters["stickiness"].(string)
				p := flagfile.Percent(math.Round(rollout * 1000))
				switch {
				case rollout == 0:
				case rollout >= 100:
					fl.Boolean, m.Boolean = ptr(true), true
				case fl.PercentageOfActors != 0 || fl.PercentageOfTime != 0:
					res.Report(at("parameters", "rollout"), e, fl.Name, "a second flexibleRollout (%v%%) not imported: a flagctl flag has one percentage gate", rollout)
					exact[k] = false
				case stick == "random":
					fl.PercentageOfTime = p
					m.PctTime = strconv.FormatFloat(rollout, 'f', -1, 64)
				default:
					fl.PercentageOfActors = p
					res.Report(at("parameters", "rollout"), e, fl.Name, "flexibleRollout %v%% imported as percentage_of_actors %s: Unleash buckets with MurmurHash3 (stickiness %q), so which actors are in changes", rollout, p, stick)
					exact[k] = false
				}
			default:
				res.Report(at("name"), e, fl.Name, "strategy %q not imported: flagctl knows default, userWithId and flexibleRollout", s.Name)
				exact[k] = false
			}
		}
	}
	for k, fl := range flags {
		if len(ex.FeatureEnvironments) > 0 && enabled[k] && !unleashHasStrategy(ex.FeatureStrategies, k.feature, k.env) {
			fl.Boolean, models[k].Boolean = ptr(true), true // enabled without strategies: on
		}
		if exact[k] {
			if res.Models[k.env] == nil {
				res.Models[k.env] = map[string]Model{}
			}
			res.Models[k.env][fl.Name] = models[k]
		}
	}
	return res, nil
}

// unleashHasStrategy reports whether feature has an enabled strategy in env (a
// strategy without an environment counts in every one). Unleash does not send
// disabled strategies to SDKs, which answer an enabled feature without
// strategies as on.
func unleashHasStrategy(ss []unleashStrategy, feature, env string) bool {
	for _, s := range ss {
		if s.FeatureName == feature && !s.Disabled && (s.Environment == "" || s.Environment == env) {
			return true
		}
	}
	return false
}

func unleashName(n string) string {
	name, _ := FlagName(n)
	return name
}

// unleashNumber reads a parameter written as a string ("50") or a number.
func unleashNumber(v any) (float64, error) {
	switch x := v.(type) {
	case string:
		return strconv.ParseFloat(strings.TrimSpace(x), 64)
	case float64:
		return x, nil
	}
	return 0, errNotNumber
}
