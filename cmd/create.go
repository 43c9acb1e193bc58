package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// CreateOptions are the inputs of `flagctl create`.
type CreateOptions struct {
	Name        string
	Description string
	Owner       string
	Kind        string
	Expires     string
	EnableIn    []string
	DryRun      bool
	Strict      bool
}

// NewCmdCreate builds `flagctl create NAME`.
func NewCmdCreate(f *Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{}
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Add a flag to every environment file, disabled",
		Long: `Adds the flag, with its metadata and "created" set to today, to every environment
file in one go: if any file cannot be parsed, none is changed. The flag is off
everywhere except in the environments named by --enable-in.`,
		Example: `  flagctl create new_checkout_enabled --description "New checkout flow" \
      --owner team-payments --kind release --expires 2027-01-15 --enable-in development`,
		Args: exactArgs(1, "the flag NAME"),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return createRun(f, opts)
		},
	}
	fl := cmd.Flags()
	metadataFlags(cmd, &opts.Description, &opts.Owner, &opts.Kind, "release", &opts.Expires)
	fl.StringArrayVar(&opts.EnableIn, "enable-in", nil, "`environments` where it starts enabled (repeatable; comma- or newline-separated)")
	dryRunFlag(cmd, &opts.DryRun)
	strictFlag(cmd, &opts.Strict)
	_ = cmd.RegisterFlagCompletionFunc("enable-in", f.completeEnvs)
	return cmd
}

func createRun(f *Factory, opts *CreateOptions) error {
	if !flagfile.ValidFlagName(opts.Name) {
		return usageErr("bad flag name %q: use lower-case letters, digits and '_', starting with a letter, at most 100 characters", opts.Name)
	}
	c, err := f.Config()
	if err != nil {
		return err
	}
	fl := &flagfile.Flag{Name: opts.Name, Created: flagfile.DateOf(f.Now())}
	fl.Description, fl.Owner, fl.Kind = opts.Description, opts.Owner, flagfile.Kind(opts.Kind)
	if opts.Kind != "" && !validKind(opts.Kind) {
		return flagErrorf("--kind %q: use release, experiment, ops or permission", opts.Kind)
	}
	if opts.Expires != "" {
		d, err := flagfile.ParseDate(opts.Expires)
		if err != nil {
			return flagErrorf("--expires: %w", err)
		}
		if d.Before(fl.Created) {
			return flagErrorf("--expires %s is in the past", d)
		}
		fl.Expires = d
	}
	enable := map[string]bool{}
	enableIn, err := splitIDs("enable-in", opts.EnableIn)
	if err != nil {
		return err
	}
	for _, e := range enableIn {
		if err := c.CheckEnv(e); err != nil {
			return err
		}
		enable[e] = true
	}
	_, files, err := f.loadEnvsToEdit(false, opts.Strict)
	if err != nil {
		return err
	}
	for _, l := range files {
		if l.File.Flag(opts.Name) != nil {
			return usageErr("%s: flag %q already exists", l.Path, opts.Name)
		}
	}
	return applyEdits(f, c, files, opts.DryRun, nil, func(l *loaded) ([]flagfile.Edit, error) {
		add := fl.Clone()
		on := enable[l.Env]
		add.Boolean = &on
		return []flagfile.Edit{flagfile.AddFlag(add)}, nil
	}, func(l *loaded, _ *flagfile.File, changed bool) {
		state := "off"
		if enable[l.Env] {
			state = "on"
		}
		if changed {
			fmt.Fprintf(f.IO.Out, "%s %s: created %s (%s)\n", f.IO.green("✓"), l.name(), opts.Name, state)
		}
	})
}

func validKind(k string) bool {
	for _, v := range flagfile.Kinds {
		if string(v) == k {
			return true
		}
	}
	return false
}
