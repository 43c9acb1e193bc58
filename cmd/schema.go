package cmd

import (
	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/ruletest"
)

// NewCmdSchema builds `flagctl schema`.
func NewCmdSchema(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [flagfile|test]",
		Short: "Print the JSON Schema of the flag file (or of the rule-test file)",
		Long: `Prints the JSON Schema (draft 2020-12) of the version-1 flag file, or with "test"
of the rule-test file, for editors: "flagctl init" writes both to .flagctl/ and points
every flag file it creates at it with a "# yaml-language-server: $schema=…" line.`,
		ValidArgs: []string{"flagfile", "test"},
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 || len(args) == 1 && args[0] != "flagfile" && args[0] != "test" {
				return flagErrorf("expected flagfile or test")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			s := flagfile.Schema
			if len(args) == 1 && args[0] == "test" {
				s = ruletest.Schema
			}
			_, err := f.IO.Out.Write(s)
			return err
		},
	}
}
