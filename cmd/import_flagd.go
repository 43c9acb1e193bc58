package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/importer"
)

// ImportFlagdOptions are the inputs of `flagctl import flagd`.
type ImportFlagdOptions struct {
	*ImportOptions
	File string
}

// NewCmdImportFlagd builds `flagctl import flagd flags.json`.
func NewCmdImportFlagd(f *Factory, common *ImportOptions, runF func(*ImportFlagdOptions) error) *cobra.Command {
	opts := &ImportFlagdOptions{ImportOptions: common}
	return importFileCmd(&cobra.Command{
		Use:   "flagd flags.json",
		Short: "Import flagd's boolean flag definitions into one environment",
		Long: `Reads a flagd flag definition file: boolean flags (true/false variants) become
flags on or off by their defaultVariant. A "fractional" split between a true and a
false variant becomes percentage_of_actors, reported because flagd buckets with
MurmurHash3 (other actors end up in the cohort). Other targeting, DISABLED flags
(flagd answers the caller's default), non-boolean flags and $evaluators are
reported.`,
		Example: `  flagctl import flagd flags.json --env production --dry-run`,
	}, "the flags.json file", opts, &opts.File, nil, runF, func(o *ImportFlagdOptions) error { return importFlagdRun(f, o) })
}

func importFlagdRun(f *Factory, opts *ImportFlagdOptions) error {
	env, err := importEnv(f)
	if err != nil {
		return err
	}
	return importRun(f, opts.ImportOptions, importFileSource(opts.File, "user:%d", func(path string, data []byte) (*importer.Result, error) {
		return importer.ReadFlagd(path, data, env)
	}))
}
