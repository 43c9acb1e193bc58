package cmd

import (
	"regexp"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/importer"
)

// ImportAppYMLOptions are the inputs of `flagctl import application-yml`.
type ImportAppYMLOptions struct {
	*ImportOptions
	File string
	// Keys selects the keys imported as flags (default _enabled$).
	Keys string
}

// NewCmdImportAppYML builds `flagctl import application-yml FILE [--keys REGEXP]`.
func NewCmdImportAppYML(f *Factory, common *ImportOptions, runF func(*ImportAppYMLOptions) error) *cobra.Command {
	opts := &ImportAppYMLOptions{ImportOptions: common}
	cmd := &cobra.Command{
		Use:   "application-yml FILE",
		Short: "Import boolean settings of a Rails application.yml, one flag file per environment",
		Long: `Reads a Rails-style application.yml (IdentityConfig style): top-level keys are
defaults, the blocks development:, test:, staging: and production: override them
(deep merge, <<: merge keys included). Every key matching --keys (default
_enabled$) whose merged value is an unquoted true or false becomes a flag in that
environment's file. Other matching keys — strings, numbers, quoted booleans
('true'), yes/no — are listed, not guessed. With --env, only that environment is
imported (a file without environment blocks imports its defaults into it).`,
		Example: `  flagctl import application-yml config/application.yml.default --dry-run
  flagctl import application-yml config/application.yml --keys '_(enabled|disabled)$' --env production`,
	}
	check := func() error {
		if _, err := regexp.Compile(opts.Keys); err != nil {
			return flagErrorf("--keys: %v", err)
		}
		return nil
	}
	importFileCmd(cmd, "the application.yml FILE", opts, &opts.File, check, runF, func(o *ImportAppYMLOptions) error { return importAppYMLRun(f, o) })
	cmd.Flags().StringVar(&opts.Keys, "keys", importer.DefaultAppYMLKeys, "regular expression selecting the keys that are flags")
	return cmd
}

func importAppYMLRun(f *Factory, opts *ImportAppYMLOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	var only []string
	if c.Env != "" {
		only = []string{c.Env}
	}
	keys := regexp.MustCompile(opts.Keys)
	return importRun(f, opts.ImportOptions, importFileSource(opts.File, "user:%d", func(path string, data []byte) (*importer.Result, error) {
		return importer.ReadAppYML(path, data, keys, c.Environments, only)
	}))
}
