package cmd

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/importer"
)

// importFWFTimeout bounds reading a live FunWithFlags store (2 minutes): 10,000
// flags take well under a second, so reaching it means the server is stuck.
const importFWFTimeout = 2 * time.Minute

// ImportFunWithFlagsOptions are the inputs of `flagctl import funwithflags`.
type ImportFunWithFlagsOptions struct {
	*ImportOptions
	// Redis is redis://[:PASSWORD@]HOST:PORT/DB.
	Redis string
	// Postgres is a PostgreSQL URL; Table the toggles table (default
	// fun_with_flags_toggles).
	Postgres, Table string
	// Rows is the toggles table exported with psql's \copy ... csv header.
	Rows string
}

// NewCmdImportFunWithFlags builds `flagctl import funwithflags`.
func NewCmdImportFunWithFlags(f *Factory, common *ImportOptions, runF func(*ImportFunWithFlagsOptions) error) *cobra.Command {
	opts := &ImportFunWithFlagsOptions{ImportOptions: common}
	cmd := &cobra.Command{
		Use:   "funwithflags (--redis URL | --postgres URL [--table T] | --rows FILE.csv)",
		Short: "Import FunWithFlags flags from Redis, PostgreSQL or a CSV export",
		Long: `Reads FunWithFlags' store: a live Redis (the set fun_with_flags and a hash
fun_with_flags:NAME per flag), its Ecto table in PostgreSQL, or that table exported
with psql's "\copy fun_with_flags_toggles to 'toggles.csv' csv header".

Gates map one to one: FunWithFlags' semantics are flagctl's (same priorities,
same SHA-256 score), so every actor keeps its answer. One Redis database or table
is one environment, chosen with --env. Passwords in URLs never appear in the
output or in the files.`,
		Example: `  flagctl import funwithflags --redis redis://localhost:6379/0 --env production --dry-run
  flagctl import funwithflags --postgres postgres://app@db/app --env production --verify
  flagctl import funwithflags --rows toggles.csv --env staging`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			n := 0
			for _, s := range []string{opts.Redis, opts.Postgres, opts.Rows} {
				if s != "" {
					n++
				}
			}
			if n != 1 {
				return flagErrorf("name the store: one of --redis URL, --postgres URL or --rows FILE.csv")
			}
			if opts.Table != "" && opts.Postgres == "" {
				return flagErrorf("--table goes with --postgres")
			}
			if runF != nil {
				return runF(opts)
			}
			return importFunWithFlagsRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Redis, "redis", "", "read a live Redis: redis://HOST:PORT/DB")
	cmd.Flags().StringVar(&opts.Postgres, "postgres", "", "read the Ecto table from PostgreSQL: postgres://USER@HOST/DB")
	cmd.Flags().StringVar(&opts.Table, "table", "", "the Ecto table (default fun_with_flags_toggles; SCHEMA.TABLE works)")
	cmd.Flags().StringVar(&opts.Rows, "rows", "", "read the table exported with psql \\copy ... csv header")
	return cmd
}

func importFunWithFlagsRun(f *Factory, opts *ImportFunWithFlagsOptions) error {
	env, err := importEnv(f)
	if err != nil {
		return err
	}
	return importRun(f, opts.ImportOptions, importSource{
		actorFormat: "user:%d",
		read: func() (*importer.Result, error) {
			ctx, cancel := context.WithTimeout(context.Background(), importFWFTimeout)
			defer cancel()
			switch {
			case opts.Redis != "":
				return importer.ReadFunWithFlagsRedis(ctx, opts.Redis, env)
			case opts.Postgres != "":
				return importer.ReadFunWithFlagsPostgres(ctx, opts.Postgres, opts.Table, env)
			}
			return readImportFile(opts.Rows, func(path string, data []byte) (*importer.Result, error) {
				return importer.ReadFunWithFlagsCSV(path, data, env)
			})
		},
	})
}
