package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/importer"
)

// ImportFlipperOptions are the inputs of `flagctl import flipper`.
type ImportFlipperOptions struct {
	*ImportOptions
	// File is the export (Flipper.export(format: :json, version: 1)).
	File string
}

// NewCmdImportFlipper builds `flagctl import flipper EXPORT.json --env E`.
func NewCmdImportFlipper(f *Factory, common *ImportOptions, runF func(*ImportFlipperOptions) error) *cobra.Command {
	opts := &ImportFlipperOptions{ImportOptions: common}
	return &cobra.Command{
		Use:   "flipper EXPORT.json",
		Short: "Import a Flipper export (version 1) into one environment",
		Long: `Reads Flipper's JSON export (Flipper.export, version 1): boolean, actors (their
flipper_id, such as "User;1", is kept as the actor ID), groups, percentage of
actors and of time. Every flag gets "bucketing: flipper", so its percentage of
actors keeps Flipper's CRC-32 cohorts (and keeps them when the percentage is
changed later). Expression gates, and a percentage of time next to a percentage
of actors, cannot be translated and are reported.`,
		Example: `  flagctl import flipper flipper-production.json --env production --dry-run
  flagctl import flipper flipper-production.json --env production --verify`,
		Args: exactArgs(1, "the EXPORT.json file"),
		RunE: func(_ *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return importFlipperRun(f, opts)
		},
	}
}

func importFlipperRun(f *Factory, opts *ImportFlipperOptions) error {
	env, err := importEnv(f)
	if err != nil {
		return err
	}
	return importRun(f, opts.ImportOptions, importSource{
		actorFormat: "User;%d",
		read: func() (*importer.Result, error) {
			data, err := flagfile.ReadFile(opts.File, importer.MaxSourceSize)
			if err != nil {
				return nil, err
			}
			return importer.ReadFlipper(opts.File, data, env)
		},
	})
}
