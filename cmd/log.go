package cmd

import (
	"bytes"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// LogOptions are the inputs of `flagctl log`.
type LogOptions struct {
	Name   string
	Since  string
	Until  string
	Output string
}

// LogEntry is one commit of `flagctl log -o json` (history.Entry).
type LogEntry = history.Entry

// NewCmdLog builds `flagctl log`.
func NewCmdLog(f *Factory, runF func(*LogOptions) error) *cobra.Command {
	opts := &LogOptions{}
	cmd := &cobra.Command{
		Use:   "log [NAME]",
		Short: "Audit history: every commit that changed a flag (or any flag), newest first",
		Long: `Reads the git history of the environment files (or --env only) and prints, for
every commit that changed a flag, its short hash, date, time and zone (the
commit's own), author and subject, and the semantic change. With NAME, only
commits that changed that flag; a flag removed and re-added shows both events;
a NAME that no file defines and no commit ever changed is an error. Commits
that only touched comments or layout are left out. Subjects are printed with control characters escaped.

In a shallow clone the history is cut: log says so (on stderr, and as a note
on the commit where it is cut, whose changes are unknown). Fetch full history
(git fetch --unshallow; actions/checkout with fetch-depth: 0). When git fails
(for example "dubious ownership"), its own message is shown and log exits 3.`,
		Example: `  flagctl log new_checkout_enabled --env production --since 2026-10-01`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return flagErrorf("expected at most one flag NAME, got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: f.completeFlags,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			format, err := outputFormat(cmd, "text", "json", "yaml")
			if err != nil {
				return err
			}
			opts.Output = format
			for _, d := range []struct{ flag, v string }{{"--since", opts.Since}, {"--until", opts.Until}} {
				if d.v == "" {
					continue
				}
				if err := history.CheckDate(d.v); err != nil {
					return flagErrorf("%s %q: not a date; write YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS or \"2 weeks ago\"", d.flag, d.v)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return logRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Since, "since", "", "only commits after this date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS or \"2 weeks ago\")")
	cmd.Flags().StringVar(&opts.Until, "until", "", "only commits before this date")
	outputFlag(cmd, &opts.Output, "text", "json", "yaml")
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
	files := historyFiles(ts)
	entries, err := r.History(files, history.LogOptions{Since: opts.Since, Until: opts.Until})
	if err != nil {
		return gitErr(err)
	}
	shallow, err := r.Shallow()
	if err != nil {
		return gitErr(err)
	}
	if shallow {
		fmt.Fprintf(f.IO.ErrOut, "warning: %s is a shallow clone: the history is cut, earlier changes are not shown; fetch full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0)\n", r.Root())
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
		if len(e.Changes) > 0 || (opts.Name == "" || e.Truncated) && len(e.Notes) > 0 {
			out = append(out, e)
		}
	}
	if opts.Name != "" && !hasChanges(out) {
		if err := knownInHistory(r, ts, files, entries, opts); err != nil {
			return err
		}
	}
	if opts.Output == "json" {
		var b bytes.Buffer
		if err := writeJSON(&b, out); err != nil {
			return err
		}
		_, err := f.IO.Out.Write(history.EscapeJSON(b.Bytes()))
		return err
	}
	if opts.Output == "yaml" { // the encoder escapes control characters
		return writeYAMLOfJSON(f.IO.Out, out)
	}
	for i, e := range out {
		if i > 0 {
			fmt.Fprintln(f.IO.Out)
		}
		fmt.Fprintf(f.IO.Out, "%s  %s  %s <%s>  %s\n", f.IO.yellow(e.Short), logTime(e.Date),
			history.EscapeControl(e.Author), history.EscapeControl(e.Email), history.EscapeControl(e.Subject))
		for _, ch := range e.Changes {
			fmt.Fprintf(f.IO.Out, "    %s\n", history.EscapeControl(ch.String()))
		}
		for _, n := range e.Notes {
			fmt.Fprintf(f.IO.Out, "    %s\n", n)
		}
	}
	return nil
}

func hasChanges(es []LogEntry) bool {
	for _, e := range es {
		if len(e.Changes) > 0 {
			return true
		}
	}
	return false
}

// knownInHistory refuses a NAME that no current file defines and no commit
// ever changed (a typo), with a suggestion; a known flag without changes in
// the range is fine.
func knownInHistory(r *repo, ts []target, files []history.File, entries []LogEntry, opts *LogOptions) error {
	seen := map[string]bool{}
	var names []string
	note := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, t := range ts {
		if l, err := load(t); err == nil {
			for _, n := range l.File.Names() {
				note(n)
			}
		}
	}
	if !seen[opts.Name] && (opts.Since != "" || opts.Until != "") {
		all, err := r.History(files, history.LogOptions{})
		if err != nil {
			return gitErr(err)
		}
		entries = all
	}
	for _, e := range entries {
		for _, ch := range e.Changes {
			note(ch.Flag)
		}
	}
	if seen[opts.Name] {
		return nil
	}
	return usageErr("unknown flag %q: no flag file defines it and no commit changed it%s", opts.Name, flagfile.DidYouMean(opts.Name, names))
}

// logTime writes a commit's date (RFC 3339, as git records it) as
// "2026-12-04 17:23 +01:00": the time and the commit's own zone, which an
// incident's timeline needs; a date it cannot read is printed as it is.
func logTime(date string) string {
	t, err := time.Parse(time.RFC3339, date)
	if err != nil {
		return history.EscapeControl(date)
	}
	return t.Format("2006-01-02 15:04 -07:00")
}
