package cmd

import (
	"github.com/spf13/cobra"

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
	return importFileCmd(&cobra.Command{
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
	}, "the EXPORT.json file", opts, &opts.File, nil, runF, func(o *ImportFlipperOptions) error { return importFlipperRun(f, o) })
}

func importFlipperRun(f *Factory, opts *ImportFlipperOptions) error {
	env, err := importEnv(f)
	if err != nil {
		return err
	}
	return importRun(f, opts.ImportOptions, importFileSource(opts.File, "User;%d", func(path string, data []byte) (*importer.Result, error) {
		return importer.ReadFlipper(path, data, env)
	}))
}
