package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagdiff"
	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/history"
)

// DiffOptions are the inputs of `flagctl diff`.
type DiffOptions struct {
	Revs     []string
	Staged   bool
	Envs     []string
	Output   string
	ExitCode bool
}

// DiffJSON is the -o json shape of `flagctl diff`.
type DiffJSON struct {
	From           string                `json:"from"`
	To             string                `json:"to"`
	Changes        []flagdiff.FlagChange `json:"changes"`
	FormattingOnly []string              `json:"formatting_only"`
}

// NewCmdDiff builds `flagctl diff`.
func NewCmdDiff(f *Factory, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{}
	cmd := &cobra.Command{
		Use:   "diff [REV [REV2]]",
		Short: "Show flag changes semantically: per flag and environment, gate by gate",
		Long: `Compares flag files and says what changed per flag and environment, e.g.
  new_checkout_enabled [production]: boolean off → on; + actor user:42 on

  flagctl diff                  working tree vs HEAD
  flagctl diff REV              REV vs working tree
  flagctl diff REV1 REV2        REV1 vs REV2
  flagctl diff --staged [REV]   REV (default HEAD) vs the index
  flagctl diff --envs staging,production [REV]
                                what differs between two environments (working tree, or REV)

Changes to comments or layout only are reported as such, never as gate changes.
With --exit-code, exits 1 when a flag changed.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 2 {
				return flagErrorf("expected at most two revisions, got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Revs = args
			format, err := outputFormat(cmd, "text", "json", "yaml", "markdown")
			if err != nil {
				return err
			}
			opts.Output = format
			envs, err := splitIDs("envs", opts.Envs)
			if err != nil {
				return err
			}
			opts.Envs = envs
			if len(opts.Envs) > 0 && (len(envs) != 2 || len(args) > 1 || opts.Staged) {
				return flagErrorf("--envs takes two environments (and at most one revision, without --staged)")
			}
			if opts.Staged && len(args) > 1 {
				return flagErrorf("--staged compares one revision with the index")
			}
			if runF != nil {
				return runF(opts)
			}
			return diffRun(f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Staged, "staged", false, "compare with the index instead of the working tree")
	cmd.Flags().StringArrayVar(&opts.Envs, "envs", nil, "compare two environments: `A,B`")
	cmd.Flags().BoolVar(&opts.ExitCode, "exit-code", false, "exit 1 when there are flag changes")
	outputFlag(cmd, &opts.Output, "text", "json", "yaml", "markdown")
	return cmd
}

// source is where a version of the flag files comes from.
type source struct {
	label string // "HEAD", "working tree", "index"
	rev   string // commit, or "" for the index
	kind  int
}

const (
	fromWorktree = iota
	fromIndex
	fromRev
)

// read returns the parsed file at this source, nil when absent, and its bytes.
func (s source) read(r *repo, t target) (*flagfile.File, []byte, error) {
	var data []byte
	label := t.Path
	switch s.kind {
	case fromWorktree:
		b, err := flagfile.ReadFile(t.Path, 0)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, fileErr(err)
		}
		data = b
	default:
		rel, err := r.rel(t.Path)
		if err != nil {
			return nil, nil, err
		}
		if data, err = r.show(s.rev, rel); err != nil {
			return nil, nil, fileErr(err)
		}
		if data == nil {
			return nil, nil, nil
		}
		label = s.rev + ":" + rel
		if s.kind == fromIndex {
			label = "(index):" + rel
		}
	}
	f, err := flagfile.Parse(label, data, flagfile.ParseOptions{Env: t.Expect})
	if f == nil {
		return nil, nil, fileErr(err)
	}
	return f, data, nil
}

func diffRun(f *Factory, opts *DiffOptions) error {
	c, err := f.Config()
	if err != nil {
		return err
	}
	r, err := openRepo(c.Root)
	var ee *ExitError
	if err != nil && (len(opts.Revs) > 0 || opts.Staged || len(opts.Envs) == 0 || errors.As(err, &ee) && ee.Code != ExitUsage) {
		return err // --envs on the working tree needs no git, but a failing git is never ignored
	}
	rev := func(s string) (source, error) {
		id, err := r.verify(s)
		return source{label: s, rev: id, kind: fromRev}, err
	}
	worktree := source{label: "working tree", kind: fromWorktree}
	var from, to source
	switch {
	case len(opts.Envs) > 0:
		from = worktree
		if len(opts.Revs) == 1 {
			if from, err = rev(opts.Revs[0]); err != nil {
				return err
			}
		}
		return diffEnvs(f, c, r, from, opts.Envs, opts)
	case len(opts.Revs) == 2:
		if from, err = rev(opts.Revs[0]); err != nil {
			return err
		}
		if to, err = rev(opts.Revs[1]); err != nil {
			return err
		}
	default:
		base := "HEAD"
		if len(opts.Revs) == 1 {
			base = opts.Revs[0]
		}
		if from, err = rev(base); err != nil {
			return err
		}
		to = worktree
		if opts.Staged {
			to = source{label: "index", kind: fromIndex}
		}
	}
	ts, err := c.AllEnvs(true)
	if err != nil {
		return err
	}
	out := DiffJSON{From: from.label, To: to.label, Changes: []flagdiff.FlagChange{}, FormattingOnly: []string{}}
	var envs []string
	for _, t := range ts {
		a, ab, err := from.read(r, t)
		if err != nil {
			return err
		}
		b, bb, err := to.read(r, t)
		if err != nil {
			return err
		}
		env := (&loaded{target: t, File: firstNonNil(b, a)}).name()
		envs = append(envs, env)
		ch := flagdiff.Files(env, a, b)
		out.Changes = append(out.Changes, ch...)
		if len(ch) == 0 && !bytes.Equal(ab, bb) {
			out.FormattingOnly = append(out.FormattingOnly, env)
		}
	}
	return printDiff(f, opts, out, envs)
}

func firstNonNil(fs ...*flagfile.File) *flagfile.File {
	for _, f := range fs {
		if f != nil {
			return f
		}
	}
	return nil
}

// diffEnvs compares two environments at one source.
func diffEnvs(f *Factory, c *Config, r *repo, at source, envs []string, opts *DiffOptions) error {
	var files [2]*flagfile.File
	for i, e := range envs {
		if err := c.CheckEnv(e); err != nil {
			return err
		}
		t := target{Env: e, Path: c.EnvPath(e), Expect: e}
		file, _, err := at.read(r, t)
		if err != nil {
			return err
		}
		if file == nil {
			return fileErr(fmt.Errorf("%s: no flag file for environment %q at %s", t.Path, e, at.label))
		}
		files[i] = file
	}
	label := envs[0] + " → " + envs[1]
	out := DiffJSON{From: envs[0], To: envs[1], Changes: flagdiff.Files(label, files[0], files[1]), FormattingOnly: []string{}}
	if out.Changes == nil {
		out.Changes = []flagdiff.FlagChange{}
	}
	return printDiff(f, opts, out, []string{label})
}

func printDiff(f *Factory, opts *DiffOptions, out DiffJSON, envs []string) error {
	switch opts.Output {
	case "json":
		if err := writeJSON(f.IO.Out, out); err != nil {
			return err
		}
	case "yaml":
		if err := writeYAMLOfJSON(f.IO.Out, out); err != nil {
			return err
		}
	case "markdown":
		writeDiffMarkdown(f, out, envs)
	default:
		for _, ch := range out.Changes {
			fmt.Fprintln(f.IO.Out, history.EscapeControl(ch.String()))
		}
		for _, env := range out.FormattingOnly {
			fmt.Fprintf(f.IO.Out, "[%s]: formatting or comments only, no flag changes\n", env)
		}
		if len(out.Changes) == 0 && len(out.FormattingOnly) == 0 {
			fmt.Fprintf(f.IO.Out, "no flag changes (%s → %s)\n", out.From, out.To)
		}
	}
	if opts.ExitCode && len(out.Changes) > 0 {
		return errFindings
	}
	return nil
}

// writeDiffMarkdown writes a pull-request comment: a table per environment, the
// last environment of the promotion order (production) first.
func writeDiffMarkdown(f *Factory, out DiffJSON, envs []string) {
	w := f.IO.Out
	fmt.Fprintf(w, "### Flag changes (%s → %s)\n\n", out.From, out.To)
	if len(out.Changes) == 0 && len(out.FormattingOnly) == 0 {
		fmt.Fprintln(w, "No flag changes.")
		return
	}
	for i := len(envs) - 1; i >= 0; i-- {
		env := envs[i]
		var rows []flagdiff.FlagChange
		for _, ch := range out.Changes {
			if ch.Env == env {
				rows = append(rows, ch)
			}
		}
		formatting := false
		for _, e := range out.FormattingOnly {
			formatting = formatting || e == env
		}
		if len(rows) == 0 && !formatting {
			continue
		}
		fmt.Fprintf(w, "#### %s\n\n", env)
		if formatting {
			fmt.Fprint(w, "_Formatting or comments only, no flag changes._\n\n")
			continue
		}
		fmt.Fprint(w, "| Flag | Change |\n|---|---|\n")
		for _, ch := range rows {
			var parts []string
			for _, it := range ch.Items {
				parts = append(parts, mdEscape(it.String()))
			}
			what := strings.Join(parts, "<br>")
			switch ch.Type {
			case flagdiff.Added:
				what = "**added**" + prefixBr(what)
			case flagdiff.Removed:
				what = "**removed**"
			}
			fmt.Fprintf(w, "| `%s` | %s |\n", ch.Flag, what)
		}
		fmt.Fprintln(w)
	}
}

func prefixBr(s string) string {
	if s == "" {
		return ""
	}
	return "<br>" + s
}

// mdEscape escapes s for a markdown table cell: control characters (a newline
// would end the row) as Go escapes, then markdown's own special characters.
func mdEscape(s string) string {
	s = history.EscapeControl(s)
	return strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_").Replace(s)
}
