package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/eval"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// EvalOptions are the inputs of `flagctl eval`.
type EvalOptions struct {
	Name    string
	Actor   string
	Groups  []string
	Explain bool
	Output  string
	// All evaluates every flag, in every environment or the ones --env names.
	All bool
	// At evaluates at this time (RFC 3339 with a zone) instead of now: ramps and
	// schedules take their value then.
	At string
}

// EvalJSON is the -o json shape of `flagctl eval`. Score is present when an actor
// was given.
type EvalJSON struct {
	Flag    string   `json:"flag" yaml:"flag"`
	Env     string   `json:"env" yaml:"env"`
	Enabled bool     `json:"enabled" yaml:"enabled"`
	Gate    string   `json:"gate" yaml:"gate"`
	Key     string   `json:"key,omitempty" yaml:"key,omitempty"`
	Score   *float64 `json:"score,omitempty" yaml:"score,omitempty"`
	// Percentage is the deciding percentage gate's share, as a fraction (0.25).
	Percentage *float64 `json:"percentage,omitempty" yaml:"percentage,omitempty"`
	Reason     string   `json:"reason" yaml:"reason"`
	// At is the time evaluated at; Timeline the flag's ramp/schedule state then.
	At       string `json:"at,omitempty" yaml:"at,omitempty"`
	Timeline string `json:"timeline,omitempty" yaml:"timeline,omitempty"`
}

// NewCmdEval builds `flagctl eval NAME`.
func NewCmdEval(f *Factory, runF func(*EvalOptions) error) *cobra.Command {
	opts := &EvalOptions{}
	cmd := &cobra.Command{
		Use:   "eval NAME",
		Short: "Evaluate a flag for an actor and groups; prints true or false",
		Long: `Evaluates the flag with the same code services use (pkg/eval) and prints true or
false as the first line. --explain adds the gate that decided and the actor's score.
--all shows what an actor sees: every flag, its result and the gate that decided,
in every environment side by side (or in those --env names).`,
		Example: `  flagctl eval new_checkout_enabled --env production --actor user:42 --group beta_testers --explain
  flagctl eval --all --actor user:42 --group beta_testers
  flagctl eval --all --actor user:42 --env production -o json`,
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			switch {
			case opts.All && len(args) > 0:
				return flagErrorf("give a flag NAME or --all, not both")
			case opts.All && opts.Explain:
				return flagErrorf("--all always says which gate decided; drop --explain")
			case !opts.All && len(args) != 1:
				return flagErrorf("expected the flag NAME (or --all), got %d arguments", len(args))
			}
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if err := checkFormat("output", opts.Output, "text", "json", "yaml"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return evalRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Actor, "actor", "", "actor ID, e.g. user:42")
	cmd.Flags().StringArrayVar(&opts.Groups, "group", nil, "`group` the subject is in (repeatable; comma- or newline-separated); without --actor only group gates, the boolean and percentage_of_time apply")
	cmd.Flags().BoolVar(&opts.Explain, "explain", false, "say which gate decided, and the actor's score")
	cmd.Flags().BoolVar(&opts.All, "all", false, "every flag, with the gate that decided, in every environment (or those --env names) side by side")
	cmd.Flags().StringVar(&opts.At, "at", "", "evaluate at this time (RFC 3339 with a zone) instead of now, for ramps and schedules")
	outputFlag(cmd, &opts.Output, "text", "json", "yaml")
	return cmd
}

func evalRun(f *Factory, opts *EvalOptions) error {
	var a eval.Actor
	groups, err := splitIDs("group", opts.Groups)
	if err != nil {
		return err
	}
	if opts.Actor != "" || len(groups) > 0 {
		a = eval.Subject{ID: opts.Actor, Groups: groups}
	}
	at := f.Now()
	if opts.At != "" {
		if at, err = parseTimeFlag("at", opts.At, f.Now); err != nil {
			return err
		}
	}
	if opts.All {
		return evalAllRun(f, opts, a, groups, at)
	}
	_, t, err := f.oneEnv()
	if err != nil {
		return err
	}
	l, err := load(t)
	if err != nil {
		return err
	}
	if l.File.Flag(opts.Name) == nil {
		return unknownFlag(opts.Name, l)
	}
	d := eval.New(l.File, eval.Clock(eval.NewFakeClock(at))).Explain(opts.Name, a)
	switch opts.Output {
	case "json":
		return writeJSON(f.IO.Out, evalJSON(d, l.name(), opts.At, at))
	case "yaml":
		return writeYAML(f.IO.Out, evalJSON(d, l.name(), opts.At, at))
	}
	fmt.Fprintln(f.IO.Out, d.Enabled)
	if opts.Explain {
		fmt.Fprintf(f.IO.Out, "env:   %s\ngate:  %s\n", l.name(), d)
		if opts.At != "" {
			fmt.Fprintf(f.IO.Out, "at:    %s\n", flagfile.FormatTime(at))
		}
		if d.HasScore {
			fmt.Fprintf(f.IO.Out, "score: %.5f (%s for %s)\n", d.Score, opts.Actor, opts.Name)
		}
		if note := unusedGates(l.File.Flag(opts.Name).At(at), opts.Actor != "", len(groups) > 0); note != "" {
			fmt.Fprintf(f.IO.Out, "note:  %s\n", note)
		}
	}
	return nil
}

// unusedGates says which gates of fl an evaluation without an actor (and
// without groups) skips, so "no gate open" is not read as "off for everyone".
func unusedGates(fl *flagfile.Flag, actor, grouped bool) string {
	if actor {
		return ""
	}
	var skipped []string
	if len(fl.Actors) > 0 {
		skipped = append(skipped, "actor gates")
	}
	if len(fl.Groups) > 0 && !grouped {
		skipped = append(skipped, "group gates")
	}
	if fl.PercentageOfActors > 0 {
		skipped = append(skipped, "percentage_of_actors")
	}
	if len(skipped) == 0 {
		return ""
	}
	how := "pass --actor ID"
	if len(fl.Groups) > 0 && !grouped {
		how += " (and --group G)"
	}
	return fmt.Sprintf("without --actor, these gates do not apply: %s; %s", strings.Join(skipped, ", "), how)
}
