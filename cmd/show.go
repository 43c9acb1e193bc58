package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `flagctl show`.
type ShowOptions struct {
	Name   string
	Output string
}

// ShowJSON is the -o json shape of `flagctl show`: the flag in every environment
// (null where it is not defined), environments in promotion order.
type ShowJSON struct {
	Name         string               `json:"name" yaml:"name"`
	Environments []string             `json:"environments" yaml:"environments"`
	Envs         map[string]*FlagJSON `json:"envs" yaml:"envs"`
}

// NewCmdShow builds `flagctl show NAME`.
func NewCmdShow(f *Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	cmd := &cobra.Command{
		Use:               "show NAME",
		Short:             "Show every gate and the metadata of one flag, all environments side by side",
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if err := checkFormat("output", opts.Output, "text", "json", "yaml"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return showRun(f, opts)
		},
	}
	outputFlag(cmd, &opts.Output, "text", "json", "yaml")
	return cmd
}

func showRun(f *Factory, opts *ShowOptions) error {
	_, files, err := f.loadEnvs(true)
	if err != nil {
		return err
	}
	out := ShowJSON{Name: opts.Name, Envs: map[string]*FlagJSON{}}
	found := false
	for _, l := range files {
		out.Environments = append(out.Environments, l.name())
		out.Envs[l.name()] = nil
		if fl := l.File.Flag(opts.Name); fl != nil {
			j := flagJSON(fl, f.Now())
			out.Envs[l.name()] = &j
			found = true
		}
	}
	if !found {
		return unknownFlag(opts.Name, files...)
	}
	switch opts.Output {
	case "json":
		return writeJSON(f.IO.Out, out)
	case "yaml":
		return writeYAML(f.IO.Out, out)
	}
	// Rows: metadata, then every gate any environment has.
	actors, groups := map[string]bool{}, map[string]bool{}
	for _, j := range out.Envs {
		if j == nil {
			continue
		}
		for id := range j.Actors {
			actors[id] = true
		}
		for g := range j.Groups {
			groups[g] = true
		}
	}
	type row struct {
		label string
		cell  func(j *FlagJSON) string
	}
	onOff := func(v bool, ok bool) string {
		if !ok {
			return "-"
		}
		if v {
			return f.IO.green("on")
		}
		return f.IO.red("off")
	}
	rows := []row{
		{"description", func(j *FlagJSON) string { return dash(j.Description) }},
		{"owner", func(j *FlagJSON) string { return dash(j.Owner) }},
		{"kind", func(j *FlagJSON) string { return dash(j.Kind) }},
		{"created", func(j *FlagJSON) string { return dash(j.Created) }},
		{"expires", func(j *FlagJSON) string { return dash(j.Expires) }},
		{"boolean", func(j *FlagJSON) string {
			if j.Boolean == nil {
				return "-"
			}
			return onOff(*j.Boolean, true)
		}},
	}
	for _, id := range sortedKeys(actors) {
		rows = append(rows, row{"actor " + id, func(j *FlagJSON) string { v, ok := j.Actors[id]; return onOff(v, ok) }})
	}
	for _, g := range sortedKeys(groups) {
		rows = append(rows, row{"group " + g, func(j *FlagJSON) string { v, ok := j.Groups[g]; return onOff(v, ok) }})
	}
	rows = append(rows,
		row{"percentage_of_actors", func(j *FlagJSON) string { return dash(j.PercentageOfActors) }},
		row{"percentage_of_time", func(j *FlagJSON) string { return dash(j.PercentageOfTime) }},
	)
	for _, j := range out.Envs {
		if j != nil && j.Ramp != "" {
			rows = append(rows, row{"ramp", func(j *FlagJSON) string { return dash(j.Ramp) }})
			break
		}
	}
	for _, j := range out.Envs {
		if j != nil && j.Bucketing != "" {
			rows = append(rows, row{"bucketing", func(j *FlagJSON) string { return dash(j.Bucketing) }})
			break
		}
	}
	rows = append(rows, row{"state", func(j *FlagJSON) string { return j.State }})
	fmt.Fprintln(f.IO.Out, opts.Name)
	t := newTable(f.IO.Out)
	t.row(append([]string{""}, upper(out.Environments)...)...)
	for _, r := range rows {
		cells := []string{r.label}
		for _, e := range out.Environments {
			if j := out.Envs[e]; j != nil {
				cells = append(cells, r.cell(j))
			} else {
				cells = append(cells, "(missing)")
			}
		}
		t.row(cells...)
	}
	if err := t.flush(); err != nil {
		return err
	}
	return showTimelines(f, out) // ramps and schedules (schedule.go)
}
