package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
)

// LogOptions are the inputs of `flagctl log`.
type LogOptions struct {
	Name   string
	Since  string
	Until  string
	Output string
}

// LogEntry is one commit of `flagctl log -o json`.
type LogEntry struct {
	Hash    string                `json:"hash"`
	Short   string                `json:"short"`
	Author  string                `json:"author"`
	Email   string                `json:"email"`
	Date    string                `json:"date"`
	Subject string                `json:"subject"`
	Changes []flagdiff.FlagChange `json:"changes"`
	// Notes mention versions that could not be compared (an invalid file).
	Notes []string `json:"notes,omitempty"`
}

// NewCmdLog builds `flagctl log`.
func NewCmdLog(f *Factory, runF func(*LogOptions) error) *cobra.Command {
	opts := &LogOptions{}
	cmd := &cobra.Command{
		Use:   "log [NAME]",
		Short: "Audit history: every commit that changed a flag (or any flag), newest first",
		Long: `Reads the git history of the environment files (or --env only) and prints, for
every commit that changed a flag, its date, author, short hash and subject, and the
semantic change. With NAME, only commits that changed that flag; a flag removed and
re-added shows both events. Commits that only touched comments or layout are left
out.`,
		Example: `  flagctl log new_checkout_enabled --env production --since 2026-10-01`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return flagErrorf("expected at most one flag NAME, got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: f.completeFlags,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if err := checkFormat("output", opts.Output, "text", "json"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return logRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Since, "since", "", "only commits after this date (YYYY-MM-DD or anything git accepts)")
	cmd.Flags().StringVar(&opts.Until, "until", "", "only commits before this date")
	outputFlag(cmd, &opts.Output, "text", "json")
	return cmd
}

func logRun(f *Factory, opts *LogOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	r, err := openRepo(c.Root)
	if err != nil {
		return err
	}
	ts, err := c.AllEnvs(true)
	if err != nil {
		return err
	}
	entries, err := history(r, ts, opts.Since, opts.Until)
	if err != nil {
		return err
	}
	out := []LogEntry{}
	for _, e := range entries {
		if opts.Name != "" {
			var keep []flagdiff.FlagChange
			for _, ch := range e.Changes {
				if ch.Flag == opts.Name {
					keep = append(keep, ch)
				}
			}
			e.Changes = keep
		}
		if len(e.Changes) > 0 || opts.Name == "" && len(e.Notes) > 0 {
			out = append(out, e)
		}
	}
	if opts.Output == "json" {
		return writeJSON(f.IO.Out, out)
	}
	for i, e := range out {
		if i > 0 {
			fmt.Fprintln(f.IO.Out)
		}
		fmt.Fprintf(f.IO.Out, "%s  %s  %s <%s>  %s\n", f.IO.yellow(e.Short), e.Date[:min(10, len(e.Date))], e.Author, e.Email, e.Subject)
		for _, ch := range e.Changes {
			fmt.Fprintf(f.IO.Out, "    %s\n", ch)
		}
		for _, n := range e.Notes {
			fmt.Fprintf(f.IO.Out, "    %s\n", n)
		}
	}
	return nil
}

// history returns, newest first, every commit that touched the targets' files,
// with the semantic change of each. Blobs are read through one git process and
// parsed once each.
func history(r *repo, ts []target, since, until string) ([]LogEntry, error) {
	envOf := map[string]target{}
	var paths []string
	for _, t := range ts {
		rel, err := r.rel(t.Path)
		if err != nil {
			return nil, err
		}
		envOf[rel] = t
		paths = append(paths, rel)
	}
	var extra []string
	// A bare date means the whole day: git alone would take it at the current
	// time of day.
	for _, b := range []struct{ flag, v, clock string }{{"--since", since, "T00:00:00"}, {"--until", until, "T23:59:59"}} {
		if b.v == "" {
			continue
		}
		if strings.HasPrefix(b.v, "-") {
			return nil, flagErrorf("%s %q: give a date", b.flag, b.v)
		}
		v := b.v
		if _, err := flagfile.ParseDate(v); err == nil {
			v += b.clock
		}
		extra = append(extra, b.flag+"="+v)
	}
	commits, err := r.log(paths, extra...)
	if err != nil {
		return nil, fileErr(err)
	}
	bp, err := newBlobParser(r, commits, ts, paths)
	if err != nil {
		return nil, err
	}
	var out []LogEntry
	for _, c := range commits {
		e := LogEntry{Hash: c.Hash, Short: c.Hash[:min(7, len(c.Hash))], Author: c.Author, Email: c.Email, Date: c.Date, Subject: c.Subject}
		byPath := map[string]blobChange{}
		for _, ch := range c.Changes {
			byPath[ch.Path] = ch
		}
		for _, rel := range paths { // environments in promotion order
			ch, ok := byPath[rel]
			if !ok {
				continue
			}
			t := envOf[rel]
			env := t.Env
			if env == "" {
				env = ch.Path
			}
			a, errA := bp.parse(ch.Old, ch.Path)
			b, errB := bp.parse(ch.New, ch.Path)
			if errA != nil || errB != nil {
				e.Notes = append(e.Notes, fmt.Sprintf("[%s]: not compared: the file is invalid on one side", env))
				continue
			}
			e.Changes = append(e.Changes, flagdiff.Files(env, a, b)...)
		}
		out = append(out, e)
	}
	return out, nil
}
