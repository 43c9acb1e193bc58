package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// PromoteOptions are the inputs of `flagctl promote`.
type PromoteOptions struct {
	Name   string
	From   string
	To     string
	All    bool
	DryRun bool
	Strict bool
}

// NewCmdPromote builds `flagctl promote`.
func NewCmdPromote(f *Factory, runF func(*PromoteOptions) error) *cobra.Command {
	opts := &PromoteOptions{}
	cmd := &cobra.Command{
		Use:   "promote [NAME] --from ENV --to ENV",
		Short: "Copy a flag's gates (not its metadata) from one environment to another",
		Long: `Copies every gate of the flag from --from to --to in one atomic edit; the
target's metadata stays. A flag missing in the target is added whole. --all
promotes every flag whose gates differ. --dry-run prints the change only.`,
		Example: `  flagctl promote new_checkout_enabled --from staging --to production
  flagctl promote --all --from staging --to production --dry-run`,
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			switch {
			case opts.All && len(args) > 0:
				return flagErrorf("give a flag NAME or --all, not both")
			case !opts.All && len(args) != 1:
				return flagErrorf("expected the flag NAME (or --all)")
			case opts.From == "" || opts.To == "":
				return flagErrorf("--from and --to are required")
			case opts.From == opts.To:
				return flagErrorf("--from and --to are the same environment")
			}
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return promoteRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "environment to copy the gates from")
	cmd.Flags().StringVar(&opts.To, "to", "", "environment to copy the gates to")
	cmd.Flags().BoolVar(&opts.All, "all", false, "promote every flag whose gates differ")
	dryRunFlag(cmd, &opts.DryRun)
	strictFlag(cmd, &opts.Strict)
	_ = cmd.RegisterFlagCompletionFunc("from", f.completeEnvs)
	_ = cmd.RegisterFlagCompletionFunc("to", f.completeEnvs)
	return cmd
}

func promoteRun(f *Factory, opts *PromoteOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	var files [2]*loaded
	for i, e := range []string{opts.From, opts.To} {
		if err := c.CheckEnv(e); err != nil {
			return err
		}
		if files[i], err = loadTarget(target{Env: e, Path: c.EnvPath(e), Expect: e}, true); err != nil {
			return err
		}
	}
	from, to := files[0], files[1]
	to.strict = opts.Strict
	var edits []flagfile.Edit
	var broken flagfile.ErrorList
	var brokenNames []string
	for _, fl := range from.File.Flags {
		if opts.Name != "" && fl.Name != opts.Name {
			continue
		}
		if len(fl.Problems) > 0 {
			// Its gates are not known for sure: copying them could carry a
			// mistake into the next environment.
			broken = append(broken, fl.Problems...)
			brokenNames = append(brokenNames, fl.Name)
			continue
		}
		have := to.File.Flag(fl.Name)
		switch {
		case have == nil:
			edits = append(edits, flagfile.AddFlag(fl))
		case !have.SameGates(fl):
			edits = append(edits, flagfile.SetGates(fl.Name, fl))
		}
	}
	if opts.Name != "" && from.File.Flag(opts.Name) == nil {
		return unknownFlag(opts.Name, from)
	}
	if len(broken) > 0 {
		hint := "fix it first"
		if opts.All {
			hint = "fix them first, or promote the other flags by name"
		}
		return fileErr(fmt.Errorf("%s has problems in %s, so its gates are not promoted (nothing written); %s:\n%s",
			strings.Join(brokenNames, ", "), from.name(), hint, f.relPaths(broken.Err().Error())))
	}
	return applyShowing(f, to, edits, opts.DryRun)
}

// applyShowing applies edits to one file (unless dryRun) and prints the semantic
// change.
func applyShowing(f *Factory, l *loaded, edits []flagfile.Edit, dryRun bool) error {
	if len(edits) == 0 {
		fmt.Fprintf(f.IO.Out, "%s: nothing to change\n", l.name())
		return nil
	}
	_, after, err := l.File.Apply(l.parseOpts(), edits...)
	if err != nil {
		return editErr(l.target, fmt.Errorf("%s: %w", f.displayPath(l.Path), err))
	}
	changes := flagdiff.Files(l.name(), l.File, after)
	if len(changes) == 0 {
		fmt.Fprintf(f.IO.Out, "%s: nothing to change\n", l.name())
		return nil
	}
	for _, ch := range changes {
		fmt.Fprintln(f.IO.Out, changeText(ch))
	}
	warnOthers(f, after)
	if dryRun {
		fmt.Fprintln(f.IO.Out, "(dry run: nothing written)")
		return nil
	}
	// The edits were just validated: write under the lock from the current content.
	c, err := f.Config()
	if err != nil {
		return err
	}
	if _, _, err := f.writer(c).Update(l.Path, l.parseOpts(), edits...); err != nil {
		return editErr(l.target, err)
	}
	return nil
}
