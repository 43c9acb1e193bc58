package cmd

import "strings"

// envValue is --env: a string, where a repeated --env adds to the list
// (--env staging --env production is --env staging,production).
type envValue struct {
	s   string
	set bool
}

func (v *envValue) String() string { return v.s }
func (v *envValue) Type() string   { return "string" }
func (v *envValue) Set(s string) error {
	if v.set {
		s = v.s + "," + s
	}
	v.s, v.set = s, true
	return nil
}

// oneEnvOnly refuses --env naming several environments where a verb works on
// one (or, with --file, on that file).
func (c *Config) oneEnvOnly() error {
	if len(c.Envs) > 1 && c.FlagFile != "" {
		return usageErr("--file %s is one file, %s %s names %d environments: drop one of them", c.FlagFile, c.envSource, strings.Join(c.Envs, ","), len(c.Envs))
	}
	if len(c.Envs) > 1 {
		return usageErr("%s %s names %d environments; this command works on one environment", c.envSource, strings.Join(c.Envs, ","), len(c.Envs))
	}
	return nil
}

// uniq drops repeated items, keeping the first of each.
func uniq(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// splitEnvs fills Envs from Env ("staging,production", from --env a,b, a
// repeated --env or FLAGCTL_ENV); Env becomes the one name when there is one.
func (c *Config) splitEnvs() error {
	if c.Env == "" {
		return nil
	}
	envs, err := listItems(strings.TrimPrefix(c.envSource, "--"), []string{c.Env})
	if err != nil {
		return err
	}
	c.Envs = uniq(envs)
	if len(c.Envs) == 1 {
		c.Env = c.Envs[0]
	}
	return nil
}
