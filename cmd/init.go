package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/ruletest"
)

// InitOptions are the inputs of `flagctl init`.
type InitOptions struct {
	Envs []string
}

// NewCmdInit builds `flagctl init`.
func NewCmdInit(f *Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write .flagctl.yaml and one empty flag file per environment",
		Long: `Writes .flagctl.yaml in the working directory (unless one exists) and an empty flag
file for every environment that has none. Existing files are never overwritten.`,
		Example: `  flagctl init
  flagctl init --envs dev,staging,prod`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return initRun(f, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Envs, "envs", []string{"development", "staging", "production"}, "`environments`, in promotion order")
	return cmd
}

func initRun(f *Factory, opts *InitOptions) error {
	envs, err := splitIDs("envs", opts.Envs)
	if err != nil {
		return err
	}
	if len(envs) == 0 {
		return flagErrorf("--envs: name at least one environment")
	}
	if err := checkEnvNames(envs, func(int) string { return "--envs: " }); err != nil {
		return err
	}
	c, err := f.Config()
	if err != nil {
		return err
	}
	if c.File == "" {
		path := filepath.Join(c.Root, ConfigFileName)
		rel, _ := filepath.Rel(c.Root, c.Dir)
		if rel == "" || strings.HasPrefix(rel, "..") {
			rel = c.Dir
		}
		cfg := fmt.Sprintf(`# flagctl project configuration.
dir: %s
environments: [%s]   # promotion order
default_env: %s
stale:
  max_age: 30d
  src: [.]
`, rel, strings.Join(envs, ", "), envs[0])
		if err := writeNew(path, cfg); err != nil {
			return err
		}
		fmt.Fprintf(f.IO.Out, "%s wrote %s\n", f.IO.green("✓"), f.displayPath(path))
	} else if c.Configured {
		envs = c.Environments
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fileErr(err)
	}
	// Schemas for editors, always current.
	schemaDir := filepath.Join(c.Root, ".flagctl")
	if err := os.MkdirAll(schemaDir, 0o755); err != nil {
		return fileErr(err)
	}
	for name, data := range map[string][]byte{"flagfile.schema.json": flagfile.Schema, "test.schema.json": ruletest.Schema} {
		if err := flagfile.WriteFile(filepath.Join(schemaDir, name), data); err != nil {
			return fileErr(err)
		}
	}
	schemaRef, err := filepath.Rel(c.Dir, filepath.Join(schemaDir, "flagfile.schema.json"))
	if err != nil {
		return fileErr(err)
	}
	for _, e := range envs {
		path := c.EnvPath(e)
		if _, err := os.Stat(path); err == nil {
			fmt.Fprintf(f.IO.Out, "  %s exists, left as is\n", f.displayPath(path))
			continue
		}
		if err := writeNew(path, emptyFlagFile(e, filepath.ToSlash(schemaRef))); err != nil {
			return err
		}
		fmt.Fprintf(f.IO.Out, "%s wrote %s\n", f.IO.green("✓"), f.displayPath(path))
	}
	ignore := filepath.Join(c.Dir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, fs.ErrNotExist) {
		if err := writeNew(ignore, "# flagctl's advisory lock files, and temporary files of an interrupted write\n.*.lock\n.*.tmp*\n"); err != nil {
			return err
		}
	}
	return nil
}

func emptyFlagFile(env, schema string) string {
	return fmt.Sprintf(`# yaml-language-server: $schema=%s
# Feature flags for %s. Edit with flagctl or by hand; changes are reviewed in pull requests.
version: 1
environment: %s
flags: {}
`, schema, env, env)
}

// writeNew writes a file that must not exist yet.
func writeNew(path, content string) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fileErr(err)
	}
	if _, err := fh.WriteString(content); err != nil {
		fh.Close()
		return fileErr(err)
	}
	return fileErr(fh.Close())
}
