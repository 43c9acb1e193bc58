package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/importer"
)

// This file holds what the importers that read one source file (flagd,
// unleash, flipper, application-yml) share: their command's argument handling
// and the bounded read of the file.

// importFileCmd completes cmd (Use, Short, Long, Example, flags already set)
// as the command of an importer reading one FILE: the argument (arg says what
// it is, for the usage error) goes to *file, check (nil = none) validates the
// options, then runF (tests) or run runs with opts.
func importFileCmd[O any](cmd *cobra.Command, arg string, opts O, file *string, check func() error, runF, run func(O) error) *cobra.Command {
	cmd.Args = exactArgs(1, arg)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		*file = args[0]
		if check != nil {
			if err := check(); err != nil {
				return err
			}
		}
		if runF != nil {
			return runF(opts)
		}
		return run(opts)
	}
	return cmd
}

// importFileSource is the importSource of an importer reading path: --verify
// generates actors with actorFormat, and the file is read by readImportFile.
func importFileSource(path, actorFormat string, parse func(path string, data []byte) (*importer.Result, error)) importSource {
	return importSource{
		actorFormat: actorFormat,
		read:        func() (*importer.Result, error) { return readImportFile(path, parse) },
	}
}

// readImportFile reads the source file at path — a regular file of at most
// importer.MaxSourceSize bytes (flagfile.ReadFile) — and parses its bytes.
func readImportFile(path string, parse func(path string, data []byte) (*importer.Result, error)) (*importer.Result, error) {
	data, err := flagfile.ReadFile(path, importer.MaxSourceSize)
	if err != nil {
		return nil, err
	}
	return parse(path, data)
}
