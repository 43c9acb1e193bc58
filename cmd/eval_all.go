package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// EvalAllJSON is the -o json shape of `flagctl eval --all`: what one actor sees,
// every flag in every environment (an environment that does not define a flag
// is left out of its envs).
type EvalAllJSON struct {
	Actor        string            `json:"actor,omitempty" yaml:"actor,omitempty"`
	Groups       []string          `json:"groups,omitempty" yaml:"groups,omitempty"`
	Environments []string          `json:"environments" yaml:"environments"`
	Flags        []EvalAllFlagJSON `json:"flags" yaml:"flags"`
}

// EvalAllFlagJSON is one flag of EvalAllJSON.
type EvalAllFlagJSON struct {
	Flag string               `json:"flag" yaml:"flag"`
	Envs map[string]*EvalJSON `json:"envs" yaml:"envs"`
}

// evalAllRun evaluates every flag for the actor, in every environment (or the
// ones --env names), side by side, at time at (ramps and schedules).
func evalAllRun(f *Factory, opts *EvalOptions, a eval.Actor, groups []string, at time.Time) error {
	_, files, err := f.loadEnvs(true)
	if err != nil {
		return err
	}
	order, _ := firstDefinitions(files)
	out := EvalAllJSON{Actor: opts.Actor, Groups: groups, Flags: []EvalAllFlagJSON{}}
	evs := make([]*eval.Evaluator, len(files))
	for i, l := range files {
		out.Environments = append(out.Environments, l.name())
		evs[i] = eval.New(l.File, eval.Clock(eval.NewFakeClock(at)))
	}
	for _, name := range order {
		row := EvalAllFlagJSON{Flag: name, Envs: map[string]*EvalJSON{}}
		for i, l := range files {
			if l.File.Flag(name) == nil {
				continue
			}
			row.Envs[l.name()] = evalJSON(evs[i].Explain(name, a), l.name(), opts.At, at)
		}
		out.Flags = append(out.Flags, row)
	}
	switch opts.Output {
	case "json":
		return writeJSON(f.IO.Out, out)
	case "yaml":
		return writeYAML(f.IO.Out, out)
	}
	who := "a check without an actor"
	if opts.Actor != "" {
		who = "actor " + opts.Actor
	}
	if len(groups) > 0 {
		who += ", groups " + strings.Join(groups, ", ")
	}
	when := ""
	if opts.At != "" {
		when = " at " + flagfile.FormatTime(at)
	}
	fmt.Fprintf(f.IO.Out, "what %s sees%s:\n", who, when)
	t := newTable(f.IO.Out)
	head := []string{"FLAG"}
	for _, e := range out.Environments {
		head = append(head, strings.ToUpper(e))
	}
	t.row(head...)
	for _, row := range out.Flags {
		cells := []string{row.Flag}
		for _, e := range out.Environments {
			cells = append(cells, evalCell(row.Envs[e]))
		}
		t.row(cells...)
	}
	return t.flush()
}

// evalJSON is the JSON shape of one decision; when --at was given (atFlag), it
// names the time evaluated at.
func evalJSON(d eval.Decision, env, atFlag string, at time.Time) *EvalJSON {
	j := &EvalJSON{Flag: d.Flag, Env: env, Enabled: d.Enabled, Gate: d.Gate.String(), Key: d.Key, Reason: d.String(), Timeline: d.Timeline}
	if atFlag != "" {
		j.At = flagfile.FormatTime(at)
	}
	if d.HasScore {
		j.Score = &d.Score
	}
	if d.Gate == eval.GatePercentageOfActors || d.Gate == eval.GatePercentageOfTime {
		j.Percentage = &d.Percentage
	}
	return j
}

// evalCell is a decision in a table cell: "on (actor user:42)", "off (no gate
// open)", "-" where the environment does not define the flag.
func evalCell(j *EvalJSON) string {
	if j == nil {
		return "-"
	}
	why, _, _ := strings.Cut(j.Reason, " → ")
	state := "off"
	if j.Enabled {
		state = "on"
	}
	return state + " (" + why + ")"
}
