package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/importer"
)

// ImportUnleashOptions are the inputs of `flagctl import unleash`.
type ImportUnleashOptions struct {
	*ImportOptions
	File string
}

// NewCmdImportUnleash builds `flagctl import unleash export.json`.
func NewCmdImportUnleash(f *Factory, common *ImportOptions, runF func(*ImportUnleashOptions) error) *cobra.Command {
	opts := &ImportUnleashOptions{ImportOptions: common}
	return importFileCmd(&cobra.Command{
		Use:   "unleash export.json",
		Short: "Import an Unleash export, one flag file per environment",
		Long: `Reads an Unleash export (features, featureStrategies, featureEnvironments): per
environment, a disabled feature is off; an enabled one is opened by its
strategies — default (on), userWithId (actor gates) and flexibleRollout
(percentage of actors, reported because Unleash buckets with MurmurHash3; random
stickiness becomes percentage of time). Constraints, segments, other strategies
and variants are reported. Description, type (as kind), createdAt and an "owner"
tag are kept. With --env, only that environment is imported.`,
		Example: `  flagctl import unleash export.json --dry-run
  flagctl import unleash export.json --env production --allow-lossy`,
	}, "the export.json file", opts, &opts.File, nil, runF, func(o *ImportUnleashOptions) error { return importUnleashRun(f, o) })
}

func importUnleashRun(f *Factory, opts *ImportUnleashOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	return importRun(f, opts.ImportOptions, importFileSource(opts.File, "user:%d", func(path string, data []byte) (*importer.Result, error) {
		return importer.ReadUnleash(path, data, c.Env)
	}))
}
