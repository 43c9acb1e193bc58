package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// RemoveOptions are the inputs of `flagctl remove`.
type RemoveOptions struct {
	Name string
}

// NewCmdRemove builds `flagctl remove NAME`.
func NewCmdRemove(f *Factory, runF func(*RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{}
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete a flag from every environment file (or --env only)",
		Long: `Deletes the flag, with the comment block directly above it, from every
environment file in one go (or from --env only). If any file cannot be parsed, none
is changed.`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return removeRun(f, opts)
		},
	}
}

func removeRun(f *Factory, opts *RemoveOptions) error {
	c, files, err := f.loadEnvs(true)
	if err != nil {
		return err
	}
	found := false
	for _, l := range files {
		found = found || l.File.Flag(opts.Name) != nil
	}
	if !found {
		return unknownFlag(opts.Name, files...)
	}
	changed, err := applyAll(f, c, files, func(l *loaded) ([]flagfile.Edit, error) {
		if l.File.Flag(opts.Name) == nil {
			return nil, nil
		}
		return []flagfile.Edit{flagfile.RemoveFlag(opts.Name)}, nil
	})
	if err != nil {
		return err
	}
	for i, l := range files {
		if changed[i] {
			fmt.Fprintf(f.IO.Out, "%s %s: removed %s\n", f.IO.green("✓"), l.name(), opts.Name)
		}
	}
	return nil
}
