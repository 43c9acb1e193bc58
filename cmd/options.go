package cmd

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// checkOptionValues is the one check every verb's options go through before the
// verb runs (the root's PersistentPreRunE). A string option given an empty or
// blank value is a usage error: it never falls back to the no-option action
// (`disable F --actor ""` must not turn F off for everyone). Values must be valid
// UTF-8; list options (--actor, --group, --envs, --enable-in, …) must not contain
// an empty item or a control character (see listItems).
func checkOptionValues(cmd *cobra.Command) error {
	var err error
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if err != nil {
			return
		}
		switch fl.Value.Type() {
		case "string":
			err = checkValue(fl.Name, fl.Value.String())
		case "stringSlice", "stringArray":
			sv, ok := fl.Value.(pflag.SliceValue)
			if !ok {
				return
			}
			vals := sv.GetSlice()
			if len(vals) == 0 {
				err = flagErrorf("--%s: empty value; give a value or leave the option out", fl.Name)
				return
			}
			_, err = listItems(fl.Name, vals)
		}
	})
	return err
}

// checkValue refuses an empty, blank or non-UTF-8 option value, and control
// characters (a newline in `eval --actor`) anywhere but in free text.
func checkValue(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return flagErrorf("--%s: empty value; give a value or leave the option out", name)
	}
	if !utf8.ValidString(v) {
		return flagErrorf("--%s %q: not valid UTF-8", name, v)
	}
	if i := strings.IndexFunc(v, unicode.IsControl); i >= 0 && name != "description" {
		return flagErrorf("--%s %q: control character %U", name, v, []rune(v[i:])[0])
	}
	return nil
}

// listItems splits the values of a repeatable list option: each value is a list
// of lines (blank lines are skipped, so --actor "$(cat ids.txt)" takes every
// line), and each line a comma-separated list; items are trimmed. A value with
// no item, an empty item between commas, invalid UTF-8 or a control character
// is a usage error naming the option.
func listItems(name string, in []string) ([]string, error) {
	opt := "--" + name
	if strings.HasPrefix(name, "FLAGCTL_") { // a variable, not an option
		opt = name
	}
	var out []string
	for _, s := range in {
		if !utf8.ValidString(s) {
			return nil, flagErrorf("%s %q: not valid UTF-8", opt, s)
		}
		n := len(out)
		for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			for _, p := range strings.Split(line, ",") {
				p = strings.TrimSpace(p)
				if p == "" {
					return nil, flagErrorf("%s %q: empty item in the list", opt, s)
				}
				if i := strings.IndexFunc(p, unicode.IsControl); i >= 0 {
					return nil, flagErrorf("%s %q: control character %U in %q", opt, s, []rune(p[i:])[0], p)
				}
				out = append(out, p)
			}
		}
		if len(out) == n {
			return nil, flagErrorf("%s: empty value; give a value or leave the option out", opt)
		}
	}
	return out, nil
}

// splitIDs returns the items of the list option --name (see listItems). Run
// functions call it even though checkOptionValues has checked the values, so
// that options built in code are held to the same rules.
// splitActorsGroups splits the --actor and --group lists of an edit verb.
func splitActorsGroups(actors, groups []string) ([]string, []string, error) {
	a, err := splitIDs("actor", actors)
	if err != nil {
		return nil, nil, err
	}
	g, err := splitIDs("group", groups)
	return a, g, err
}

func splitIDs(name string, in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	return listItems(name, in)
}

// metadataFlags adds the metadata options create and set share (--description,
// --owner, --kind with its completion, --expires); kind starts as kindDefault.
func metadataFlags(cmd *cobra.Command, description, owner, kind *string, kindDefault string, expires *string) {
	fl := cmd.Flags()
	fl.StringVar(description, "description", "", "what the flag is for")
	fl.StringVar(owner, "owner", "", "team or person responsible for removing it")
	fl.StringVar(kind, "kind", kindDefault, "release|experiment|ops|permission")
	fl.StringVar(expires, "expires", "", "date after which the flag is stale (YYYY-MM-DD)")
	kinds := make([]string, len(flagfile.Kinds))
	for i, k := range flagfile.Kinds {
		kinds[i] = string(k)
	}
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(kinds, cobra.ShellCompDirectiveNoFileComp))
}
