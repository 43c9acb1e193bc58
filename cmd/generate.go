package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/flagctl/flagctl/pkg/flagfile"
	"github.com/flagctl/flagctl/pkg/goident"
)

// GenerateOptions are the inputs of `flagctl generate go`.
type GenerateOptions struct {
	Package string
	Out     string
	Check   bool
}

// GeneratedHeader starts every generated file (the stale scan skips such files).
const GeneratedHeader = goident.GeneratedHeader

// NewCmdGenerate builds `flagctl generate`.
func NewCmdGenerate(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Generate typed code for the flags",
	}
	cmd.AddCommand(NewCmdGenerateGo(f, nil))
	return cmd
}

// NewCmdGenerateGo builds `flagctl generate go`.
func NewCmdGenerateGo(f *Factory, runF func(*GenerateOptions) error) *cobra.Command {
	opts := &GenerateOptions{}
	cmd := &cobra.Command{
		Use:   "go",
		Short: "Write Go constants and typed handles for every flag",
		Long: `Writes a Go file with, for every flag of every environment (or --env only), an
exported constant holding the raw key and a typed handle (eval.Flag) in a Flags
struct, documented from the flag's description, owner, kind and expiry. Identifiers
are the names in Go style (new_checkout_enabled → NewCheckoutEnabled); collisions
get a numeric suffix and are reported. Removing a flag and re-running generate turns
every remaining use into a compile error. --check exits 1 when the file is out of
date.`,
		Example: `  flagctl generate go --package flags --out internal/flags/flags.go
  flagctl generate go --package flags --out internal/flags/flags.go --check
  flagctl generate go | head`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if opts.Check && (opts.Out == "" || opts.Out == "-") {
				return flagErrorf("--check compares with a file: give --out FILE")
			}
			if !isGoIdent(opts.Package) {
				return flagErrorf("--package %q is not a Go package name", opts.Package)
			}
			if runF != nil {
				return runF(opts)
			}
			return generateRun(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Package, "package", "flags", "Go package name")
	cmd.Flags().StringVar(&opts.Out, "out", "", "file to write (default and \"-\": standard output)")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; exit 1 if the file is out of date")
	return cmd
}

func isGoIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

func generateRun(f *Factory, opts *GenerateOptions) error {
	_, files, err := f.loadEnvs(true)
	if err != nil {
		return err
	}
	src, collisions, err := generateGo(opts.Package, files, flagfile.DateOf(f.Now()))
	if err != nil {
		return err
	}
	for _, msg := range collisions {
		fmt.Fprintf(f.IO.ErrOut, "warning: %s\n", msg)
	}
	if opts.Out == "" || opts.Out == "-" {
		if _, err := f.IO.Out.Write(src); err != nil {
			return internalErr(err)
		}
		return nil
	}
	if st, err := os.Stat(opts.Out); err == nil && !st.Mode().IsRegular() {
		// /dev/stdout, a FIFO, a device: write to it, never read it back.
		if opts.Check {
			return usageErr("--check --out %s: not a regular file, nothing to compare with", opts.Out)
		}
		return writeStream(opts.Out, src)
	}
	old, err := flagfile.ReadFile(opts.Out, maxGeneratedSize)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fileErr(err)
	}
	if opts.Check {
		if !bytes.Equal(old, src) {
			fmt.Fprintf(f.IO.Out, "%s is out of date; run \"flagctl generate go --package %s --out %s\"\n", f.displayPath(opts.Out), opts.Package, opts.Out)
			return errFindings
		}
		return nil
	}
	if bytes.Equal(old, src) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(opts.Out), 0o755); err != nil {
		return fileErr(err)
	}
	if err := flagfile.WriteFile(opts.Out, src); err != nil {
		return fileErr(err)
	}
	fmt.Fprintf(f.IO.Out, "%s wrote %s (%d flags)\n", f.IO.green("✓"), f.displayPath(opts.Out), bytes.Count(src, []byte("eval.Flag\n")))
	return nil
}

// writeStream writes data to a path that is not a regular file (a pipe, a
// device) as a stream: no temporary file, no read-back.
func writeStream(path string, data []byte) error {
	w, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fileErr(err)
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return fileErr(fmt.Errorf("write %s: %w", path, err))
	}
	return fileErr(w.Close())
}

// generateGo renders the file. Flags are the union of every file, sorted by name;
// metadata comes from the first file (in promotion order) that defines the flag.
func generateGo(pkg string, files []*loaded, today flagfile.Date) ([]byte, []string, error) {
	names, first := firstDefinitions(files)
	meta := make(map[string]*flagfile.Flag, len(names))
	for _, n := range names {
		meta[n] = first[n].File.Flag(n)
	}
	sort.Strings(names)
	ident, collisions := goident.Assign(names)
	var b strings.Builder
	var envs []string
	for _, l := range files {
		envs = append(envs, l.name())
	}
	fmt.Fprintf(&b, "%s\n// Source: flag files of %s.\n\n", GeneratedHeader, strings.Join(envs, ", "))
	fmt.Fprintf(&b, "// Package %s holds the raw keys and typed handles of the feature flags.\n", pkg)
	fmt.Fprintf(&b, "package %s\n\nimport \"github.com/flagctl/flagctl/pkg/eval\"\n\n", pkg)
	b.WriteString("// Raw flag keys, as written in the flag files.\nconst (\n")
	for _, n := range names {
		writeDoc(&b, ident[n], "is the key of", meta[n], today)
		fmt.Fprintf(&b, "%s = %q\n", ident[n], n)
	}
	b.WriteString(")\n\n")
	b.WriteString("// Flags holds a typed handle per flag; build it once with New.\ntype Flags struct {\n")
	for _, n := range names {
		writeDoc(&b, ident[n], "checks", meta[n], today)
		fmt.Fprintf(&b, "%s eval.Flag\n", ident[n])
	}
	b.WriteString("}\n\n")
	b.WriteString("// New returns the handles of every flag of ev. Handles stay valid across reloads.\nfunc New(ev *eval.Evaluator) *Flags {\n\treturn &Flags{\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s: ev.Flag(%s),\n", ident[n], ident[n])
	}
	b.WriteString("}\n}\n\n")
	b.WriteString("// Keys lists every flag key.\nvar Keys = []string{\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s,\n", ident[n])
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, nil, fmt.Errorf("internal error: generated code does not format: %w", err)
	}
	return src, collisions, nil
}

func writeDoc(b *strings.Builder, id, verb string, fl *flagfile.Flag, today flagfile.Date) {
	fmt.Fprintf(b, "// %s %s %s", id, verb, fl.Name)
	if fl.Description != "" {
		fmt.Fprintf(b, ": %s", oneLine(fl.Description))
	}
	b.WriteString(".\n")
	var facts []string
	if fl.Owner != "" {
		facts = append(facts, "Owner: "+oneLine(fl.Owner)+".")
	}
	if fl.Kind != "" {
		facts = append(facts, "Kind: "+string(fl.Kind)+".")
	}
	if !fl.Expires.IsZero() {
		facts = append(facts, "Expires: "+fl.Expires.String()+".")
	}
	if len(facts) > 0 {
		fmt.Fprintf(b, "// %s\n", strings.Join(facts, " "))
	}
	if !fl.Expires.IsZero() && fl.Expires.Before(today) {
		fmt.Fprintf(b, "//\n// Deprecated: the flag expired on %s; remove it and the code it guards.\n", fl.Expires)
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// maxGeneratedSize bounds the read of an existing --out file (64 MiB).
const maxGeneratedSize = 64 << 20
