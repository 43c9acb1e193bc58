package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/eval"
)

// EvalOptions are the inputs of `flagctl eval`.
type EvalOptions struct {
	Name    string
	Actor   string
	Groups  []string
	Explain bool
	Output  string
}

// EvalJSON is the -o json shape of `flagctl eval`. Score is present when an actor
// was given.
type EvalJSON struct {
	Flag    string   `json:"flag"`
	Env     string   `json:"env"`
	Enabled bool     `json:"enabled"`
	Gate    string   `json:"gate"`
	Key     string   `json:"key,omitempty"`
	Score   *float64 `json:"score,omitempty"`
	Reason  string   `json:"reason"`
}

// NewCmdEval builds `flagctl eval NAME`.
func NewCmdEval(f *Factory, runF func(*EvalOptions) error) *cobra.Command {
	opts := &EvalOptions{}
	cmd := &cobra.Command{
		Use:   "eval NAME",
		Short: "Evaluate a flag for an actor and groups; prints true or false",
		Long: `Evaluates the flag with the same code services use (pkg/eval) and prints true or
false as the first line. --explain adds the gate that decided and the actor's score.`,
		Example:           `  flagctl eval new_checkout_enabled --env production --actor user:42 --group beta_testers --explain`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if err := checkFormat("output", opts.Output, "text", "json"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return evalRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Actor, "actor", "", "actor ID, e.g. user:42")
	cmd.Flags().StringSliceVar(&opts.Groups, "group", nil, "group the actor is in (repeatable, comma-separated); without --actor only group gates, the boolean and percentage_of_time apply")
	cmd.Flags().BoolVar(&opts.Explain, "explain", false, "say which gate decided, and the actor's score")
	outputFlag(cmd, &opts.Output, "text", "json")
	return cmd
}

func evalRun(f *Factory, opts *EvalOptions) error {
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
	var a eval.Actor
	groups := splitIDs(opts.Groups)
	if opts.Actor != "" || len(groups) > 0 {
		a = eval.Subject{ID: opts.Actor, Groups: groups}
	}
	d := eval.New(l.File).Explain(opts.Name, a)
	if opts.Output == "json" {
		j := EvalJSON{Flag: opts.Name, Env: l.name(), Enabled: d.Enabled, Gate: d.Gate.String(), Key: d.Key, Reason: d.String()}
		if d.HasScore {
			j.Score = &d.Score
		}
		return writeJSON(f.IO.Out, j)
	}
	fmt.Fprintln(f.IO.Out, d.Enabled)
	if opts.Explain {
		fmt.Fprintf(f.IO.Out, "env:   %s\ngate:  %s\n", l.name(), d)
		if d.HasScore {
			fmt.Fprintf(f.IO.Out, "score: %.5f (%s for %s)\n", d.Score, opts.Actor, opts.Name)
		}
	}
	return nil
}
