package cmd

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// configKey is one key of .flagctl.yaml: a value (Section nil) or a section
// with keys of its own.
type configKey struct {
	Section map[string]configKey
}

// configSchema is the one table of the keys .flagctl.yaml may hold; any other
// key is a usage error with its position and a suggestion. A verb with settings
// of its own adds its section here (serve:, import:, cleanup:, …), in
// alphabetical order among the sections.
func configSchema() map[string]configKey {
	value := configKey{}
	section := func(keys ...string) configKey {
		s := configKey{Section: map[string]configKey{}}
		for _, k := range keys {
			s.Section[k] = value
		}
		return s
	}
	stale := section("max_age", "src", "ignore", "include", "exclude", "patterns")
	stale.Section["severity"] = section(FindingExpired, FindingFullyOn, FindingDead, FindingUnreferenced, FindingUndefinedRef)
	serve := section("addr", "api_keys", "api_key_files", "cors_origins", "rate_limit", "rate_burst", "insecure_no_auth", "wait_for_files", "log_format")
	serve.Section["ui"] = section("users_file", "trusted_proxies", "proxy_roles", "protected", "read_only", "secure_cookies", "session_key_file", "insecure_no_auth")
	return map[string]configKey{
		// Settings every verb shares.
		"dir":          value,
		"environments": value,
		"default_env":  value,
		"file":         value,
		"lock_timeout": value,
		// Sections of verbs.
		"cleanup": section("calls"),
		"lint":    section("naming"),
		"serve":   serve,
		"stale":   stale,
	}
}

// configPositions are where settings sit in the config file, for errors.
type configPositions struct {
	path string
	// at maps a dotted key ("default_env") to the position of its value.
	at map[string]flagfile.Pos
	// envs are the positions of the items of environments:, in order.
	envs []flagfile.Pos
}

// pos formats the position of key's value as "file:line:col: ", or "" when the
// key is not in the file.
func (cp *configPositions) pos(key string) string {
	if cp == nil {
		return ""
	}
	if p, ok := cp.at[key]; ok {
		return p.String() + ": "
	}
	return ""
}

// checkConfigFile checks the keys of the config file against configSchema and
// returns where its settings are. Every unknown key is reported at once.
func checkConfigFile(path string, data []byte) (*configPositions, error) {
	cp := &configPositions{path: path, at: map[string]flagfile.Pos{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fileErr(fmt.Errorf("%s: %w", path, err))
	}
	if len(doc.Content) == 0 {
		return cp, nil // empty file
	}
	pos := func(n *yaml.Node) flagfile.Pos { return flagfile.Pos{File: path, Line: n.Line, Column: n.Column} }
	var errs flagfile.ErrorList
	var walk func(prefix string, n *yaml.Node, schema map[string]configKey)
	walk = func(prefix string, n *yaml.Node, schema map[string]configKey) {
		if n.Kind != yaml.MappingNode {
			what := "the file"
			if prefix != "" {
				what = strings.TrimSuffix(prefix, ".")
			}
			errs.Add(pos(n), "", "%s must be a mapping of keys (one of %s)", what, strings.Join(sortedNames(schema), ", "))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			spec, ok := schema[k.Value]
			if !ok {
				errs.Add(pos(k), "", "unknown key %q%s (known keys: %s)", prefix+k.Value, flagfile.DidYouMean(k.Value, sortedNames(schema)), strings.Join(sortedNames(schema), ", "))
				continue
			}
			cp.at[prefix+k.Value] = pos(v)
			if spec.Section != nil {
				walk(prefix+k.Value+".", v, spec.Section)
			}
			if prefix == "" && k.Value == "environments" && v.Kind == yaml.SequenceNode {
				for _, item := range v.Content {
					cp.envs = append(cp.envs, pos(item))
				}
			}
		}
	}
	walk("", doc.Content[0], configSchema())
	if err := errs.Err(); err != nil {
		return nil, usageErr("%w", err)
	}
	return cp, nil
}

func sortedNames(m map[string]configKey) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkEnvNames refuses a malformed or repeated environment name in a list;
// where says where the list came from.
func checkEnvNames(envs []string, where func(i int) string) error {
	seen := map[string]bool{}
	for i, e := range envs {
		if !flagfile.ValidEnvName(e) {
			return usageErr("%sbad environment name %q: use lower-case letters, digits, '-' and '_', starting with a letter", where(i), e)
		}
		if seen[e] {
			return usageErr("%senvironment %q is listed twice: every environment needs its own file", where(i), e)
		}
		seen[e] = true
	}
	return nil
}

// checkEnvChoice refuses an environment chosen by --env, FLAGCTL_ENV or
// default_env that is not one of the environments, so that no verb silently
// falls back to all of them or to another.
func (f *Factory) checkEnvChoice(c *Config, cp *configPositions) error {
	if len(c.Environments) > 0 && c.DefaultEnv != "" {
		if err := c.CheckEnv(c.DefaultEnv); err != nil {
			return usageErr("%sdefault_env: %w", cp.pos("default_env"), errors.Unwrap(err))
		}
	}
	if c.Env == "" || c.FlagFile != "" {
		return nil // with --file, the file's environment is checked instead
	}
	if len(c.Environments) == 0 {
		return nil // no project yet: verbs that need one say so
	}
	for _, e := range c.Envs {
		if err := c.CheckEnv(e); err != nil {
			return usageErr("%s: %w", c.envSource, errors.Unwrap(err))
		}
	}
	return nil
}

// fileTarget is the target of --file. With --env (or FLAGCTL_ENV) as well, the
// file must declare that environment: `--file F --env E` never silently ignores
// E, and the write re-checks it under the lock.
func (c *Config) fileTarget() (target, error) {
	if c.Env == "" {
		return target{Path: c.FlagFile}, nil
	}
	if err := c.oneEnvOnly(); err != nil {
		return target{}, err
	}
	data, err := flagfile.ReadFile(c.FlagFile, 0)
	if err != nil {
		return target{}, fileErr(err)
	}
	var head struct {
		Environment string `yaml:"environment"`
	}
	if yaml.Unmarshal(data, &head) == nil && head.Environment != c.Env {
		what := fmt.Sprintf("is for environment %q", head.Environment)
		if head.Environment == "" {
			what = "declares no environment"
		}
		return target{}, usageErr("--file %s %s, not %q (%s): drop %s, or name that environment's file", c.FlagFile, what, c.Env, c.envSource, c.envSource)
	}
	return target{Path: c.FlagFile, Expect: c.Env}, nil
}
