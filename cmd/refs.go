package cmd

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/flagctl/flagctl/pkg/goident"
	"github.com/flagctl/flagctl/pkg/refscan"
)

// codeRefs lists where code names flag, or the Go identifier `flagctl generate
// go` gives it, with pkg/refscan: in the files git lists under the project root
// (tracked, and untracked but not ignored), or every file below it outside a
// repository (hidden directories and node_modules skipped); never in the flag
// directory, vendored trees or generated files. It does not apply the stale.src,
// stale.include and stale.exclude settings: `flagctl stale --refs` does.
func codeRefs(c *Config, flag string) ([]refscan.Ref, int) {
	files := projectFiles(c)
	aliases := map[string]string{}
	if id := goident.Base(flag); id != flag {
		aliases[id] = flag
	}
	res := refscan.Scan(files, refscan.Options{Names: []string{flag}, Aliases: aliases, SkipPrefix: []byte(GeneratedHeader)})
	return res.Refs[flag], res.Files
}

// projectFiles is the file list of codeRefs.
func projectFiles(c *Config) []string {
	root := c.Root
	var all []string
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		for _, p := range bytes.Split(out, []byte{0}) {
			if len(p) > 0 {
				all = append(all, filepath.Join(root, string(p)))
			}
		}
	} else {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return nil
			case d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules"):
				return filepath.SkipDir
			case d.Type().IsRegular():
				all = append(all, p)
			}
			return nil
		})
	}
	flagDir, _ := filepath.Abs(c.Dir)
	var out []string
	for _, p := range all {
		abs, _ := filepath.Abs(p)
		rel, _ := filepath.Rel(root, abs)
		if strings.HasPrefix(abs, flagDir+string(filepath.Separator)) || isVendored(filepath.ToSlash(rel)) {
			continue
		}
		if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
			continue
		}
		out = append(out, abs)
	}
	sort.Strings(out)
	return out
}

// isVendored reports a path inside vendor, node_modules or third_party.
func isVendored(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "vendor" || part == "node_modules" || part == "third_party" {
			return true
		}
	}
	return false
}
