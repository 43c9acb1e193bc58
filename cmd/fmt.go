package cmd

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"
)

// FmtOptions are the inputs of `flagctl fmt`.
type FmtOptions struct {
	Check bool
	// ApplySchedule folds schedule entries and ramps that have taken effect into
	// the plain gates first (flagfile.FoldSchedule).
	ApplySchedule bool
}

// NewCmdFmt builds `flagctl fmt`.
func NewCmdFmt(f *Factory, runF func(*FmtOptions) error) *cobra.Command {
	opts := &FmtOptions{}
	cmd := &cobra.Command{
		Use:   "fmt",
		Short: "Rewrite flag files in canonical form (--check: exit 1 if any would change)",
		Long: `Rewrites every environment file (or --env / --file) in canonical form: 2-space
indentation, block style, percentages as 25%, quotes only where YAML needs them.
Comments, key order and single blank lines are kept. --apply-schedule first folds
schedule entries and finished ramps that have taken effect into the plain gates;
what the flags evaluate to, now and later, does not change.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return fmtRun(f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; list files that are not formatted and exit 1")
	cmd.Flags().BoolVar(&opts.ApplySchedule, "apply-schedule", false, "first fold schedule entries and ramps that have taken effect into the plain gates")
	return cmd
}

func fmtRun(f *Factory, opts *FmtOptions) error {
	c, files, err := f.loadEnvs(true)
	if err != nil {
		return err
	}
	dirty := 0
	for _, l := range files {
		file := l.File
		if opts.ApplySchedule { // fold what has taken effect (schedule.go)
			if file, err = applySchedule(l, f.Now()); err != nil {
				return err
			}
		}
		out, err := file.Format()
		if err != nil {
			return fileErr(fmt.Errorf("%s: %w", f.displayPath(l.Path), err))
		}
		if bytes.Equal(out, l.File.Source()) {
			continue
		}
		dirty++
		if opts.Check {
			if opts.ApplySchedule {
				fmt.Fprintf(f.IO.Out, "%s: not formatted or has passed schedule steps (run \"flagctl fmt --apply-schedule\")\n", f.displayPath(l.Path))
				continue
			}
			fmt.Fprintf(f.IO.Out, "%s: not formatted (run \"flagctl fmt\")\n", f.displayPath(l.Path))
			continue
		}
		if err := f.writer(c).WriteIfUnchanged(l.Path, l.Hash, out); err != nil {
			return fileErr(err)
		}
		fmt.Fprintf(f.IO.Out, "%s formatted %s\n", f.IO.green("✓"), f.displayPath(l.Path))
	}
	if opts.Check && dirty > 0 {
		return errFindings
	}
	return nil
}
