package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/history"
)

// ListOptions are the inputs of `flagctl list`.
type ListOptions struct {
	Output  string
	AllEnvs bool
}

// ListJSON is the -o json shape of `flagctl list`: one entry per flag, with its
// state in each environment listed (null where it is not defined).
type ListJSON struct {
	Environments []string       `json:"environments" yaml:"environments"`
	Flags        []ListFlagJSON `json:"flags" yaml:"flags"`
}

// ListFlagJSON is one flag of ListJSON.
type ListFlagJSON struct {
	Name string               `json:"name" yaml:"name"`
	Envs map[string]*FlagJSON `json:"envs" yaml:"envs"`
}

// NewCmdList builds `flagctl list`.
func NewCmdList(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List flags with a one-line state each (one environment, or all side by side)",
		Long: `Lists the flags of one environment (--env, default_env or the only one) or, with
--all-envs or when no environment is chosen, of every environment side by side.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat("output", opts.Output, "text", "json", "yaml"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(f, opts)
		},
	}
	outputFlag(cmd, &opts.Output, "text", "json", "yaml")
	cmd.Flags().BoolVarP(&opts.AllEnvs, "all-envs", "A", false, "every environment side by side")
	return cmd
}

func listRun(f *Factory, opts *ListOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	var ts []target
	if t, err := c.OneEnv(); err == nil && !opts.AllEnvs {
		ts = []target{t}
	} else if ts, err = c.AllEnvs(false); err != nil {
		return err
	}
	files, err := loadAll(ts)
	if err != nil {
		return err
	}
	out := ListJSON{}
	index := map[string]int{}
	for _, l := range files {
		out.Environments = append(out.Environments, l.name())
		for _, fl := range l.File.Flags {
			i, ok := index[fl.Name]
			if !ok {
				i = len(out.Flags)
				index[fl.Name] = i
				out.Flags = append(out.Flags, ListFlagJSON{Name: fl.Name, Envs: map[string]*FlagJSON{}})
			}
			j := flagJSON(fl, f.Now())
			out.Flags[i].Envs[l.name()] = &j
		}
	}
	for i := range out.Flags {
		for _, e := range out.Environments {
			if _, ok := out.Flags[i].Envs[e]; !ok {
				out.Flags[i].Envs[e] = nil
			}
		}
	}
	switch opts.Output {
	case "json":
		return writeJSON(f.IO.Out, out)
	case "yaml":
		return writeYAML(f.IO.Out, out)
	}
	t := newTable(f.IO.Out)
	if len(files) == 1 {
		t.row("FLAG", "KIND", "OWNER", "STATE ("+out.Environments[0]+")")
		for _, fl := range out.Flags {
			j := fl.Envs[out.Environments[0]]
			t.row(fl.Name, dash(j.Kind), dash(j.Owner), j.State)
		}
		return t.flush()
	}
	t.row(append([]string{"FLAG"}, upper(out.Environments)...)...)
	for _, fl := range out.Flags {
		cells := []string{fl.Name}
		for _, e := range out.Environments {
			if j := fl.Envs[e]; j != nil {
				cells = append(cells, history.EscapeControl(j.State))
			} else {
				cells = append(cells, f.IO.red("(missing)"))
			}
		}
		t.rawRow(cells...)
	}
	return t.flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func upper(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToUpper(s)
	}
	return out
}
