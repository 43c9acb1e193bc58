package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
)

// SetOptions are the inputs of `flagctl set`. An empty field is not changed.
type SetOptions struct {
	Name        string
	Description string
	Owner       string
	Kind        string
	Expires     string
	Created     string
	// Unset are metadata fields to remove (description, owner, kind,
	// expires, created).
	Unset  []string
	DryRun bool
	Strict bool
}

// NewCmdSet builds `flagctl set NAME`.
func NewCmdSet(f *Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{}
	cmd := &cobra.Command{
		Use:   "set NAME",
		Short: "Change a flag's metadata (description, owner, kind, dates) in every environment",
		Long: `Sets the flag's description, owner, kind, expires or created date, keeping the
comments and layout of the files. Without --env, every environment file that
defines the flag is edited, all of them or none; --env names one or several.
An empty value is refused: remove a field with --unset FIELD.`,
		Example: `  flagctl set new_checkout_enabled --expires 2027-03-01
  flagctl set new_checkout_enabled --owner team-checkout --env staging,production
  flagctl set new_checkout_enabled --unset expires --dry-run`,
		Args:              exactArgs(1, "the flag NAME"),
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return setRun(f, opts)
		},
	}
	fl := cmd.Flags()
	metadataFlags(cmd, &opts.Description, &opts.Owner, &opts.Kind, "", &opts.Expires)
	fl.StringVar(&opts.Created, "created", "", "date the flag was created (YYYY-MM-DD)")
	fl.StringArrayVar(&opts.Unset, "unset", nil, "remove these `fields`: description, owner, kind, expires, created (repeatable; comma-separated)")
	dryRunFlag(cmd, &opts.DryRun)
	strictFlag(cmd, &opts.Strict)
	_ = cmd.RegisterFlagCompletionFunc("unset", cobra.FixedCompletions([]string{"description", "owner", "kind", "expires", "created"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// setEdits turns the options into metadata edits, checking values up front.
func setEdits(f *Factory, opts *SetOptions) ([]flagfile.Edit, error) {
	values := map[flagfile.Meta]string{
		flagfile.MetaDescription: opts.Description, flagfile.MetaOwner: opts.Owner, flagfile.MetaKind: opts.Kind,
		flagfile.MetaCreated: opts.Created, flagfile.MetaExpires: opts.Expires,
	}
	unset, err := splitIDs("unset", opts.Unset)
	if err != nil {
		return nil, err
	}
	remove := map[flagfile.Meta]bool{}
	for _, u := range unset {
		m := flagfile.Meta(u)
		if _, ok := values[m]; !ok {
			return nil, flagErrorf("--unset %q: use description, owner, kind, expires or created", u)
		}
		if values[m] != "" {
			return nil, flagErrorf("--%s and --unset %s: set the field or remove it, not both", u, u)
		}
		remove[m] = true
	}
	if opts.Kind != "" && !validKind(opts.Kind) {
		return nil, flagErrorf("--kind %q: use release, experiment, ops or permission", opts.Kind)
	}
	for _, m := range []flagfile.Meta{flagfile.MetaCreated, flagfile.MetaExpires} {
		if values[m] == "" {
			continue
		}
		d, err := flagfile.ParseDate(values[m])
		if err != nil {
			return nil, flagErrorf("--%s: %w", m, err)
		}
		if m == flagfile.MetaExpires && d.Before(flagfile.DateOf(f.Now())) {
			return nil, flagErrorf("--expires %s is in the past", d)
		}
		values[m] = d.String()
	}
	var edits []flagfile.Edit
	for _, m := range []flagfile.Meta{flagfile.MetaDescription, flagfile.MetaOwner, flagfile.MetaKind, flagfile.MetaCreated, flagfile.MetaExpires} {
		switch {
		case values[m] != "":
			edits = append(edits, flagfile.SetMeta(opts.Name, m, values[m]))
		case remove[m]:
			edits = append(edits, flagfile.SetMeta(opts.Name, m, ""))
		}
	}
	if len(edits) == 0 {
		return nil, flagErrorf("nothing to set: give --description, --owner, --kind, --expires, --created or --unset")
	}
	return edits, nil
}

func setRun(f *Factory, opts *SetOptions) error {
	edits, err := setEdits(f, opts)
	if err != nil {
		return err
	}
	c, files, err := f.editFiles(true, opts.Strict)
	if err != nil {
		return err
	}
	// Every file --env names must define the flag; without --env, the files
	// that define it are edited.
	explicit := c.Env != "" || c.FlagFile != ""
	if err := flagDefined(opts.Name, files, explicit); err != nil {
		return err
	}
	return applyEdits(f, c, files, opts.DryRun, nil, func(l *loaded) ([]flagfile.Edit, error) {
		if !explicit && l.File.Flag(opts.Name) == nil {
			return nil, nil
		}
		return edits, nil
	}, func(l *loaded, after *flagfile.File, changed bool) {
		reportChange(f, l, after, opts.Name, changed)
	})
}

// flagDefined refuses a flag no file defines (every file, when each must).
func flagDefined(name string, files []*loaded, each bool) error {
	found := false
	for _, l := range files {
		if l.File.Flag(name) != nil {
			found = true
		} else if each {
			return usageErr("%s: unknown flag %q%s", l.name(), name, flagfile.DidYouMean(name, l.File.Names()))
		}
	}
	if !found {
		return unknownFlag(name, files...)
	}
	return nil
}

// reportChange prints the semantic change of one flag in one file (flagdiff's
// items), or that it was already so.
func reportChange(f *Factory, l *loaded, after *flagfile.File, name string, changed bool) {
	if !changed || after == nil {
		fmt.Fprintf(f.IO.Out, "%s: %s unchanged\n", l.name(), name)
		return
	}
	for _, line := range changeLines(l, after) {
		fmt.Fprintf(f.IO.Out, "%s %s\n", f.IO.green("✓"), line)
	}
}
